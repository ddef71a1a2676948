import type { Diagnostic, ValidationResult } from '../../validate/diagnostic.js';
import type { FormatOptions } from './types.js';
import { passes } from './summary.js';

/** `{"valid": bool, "diagnostics": [{severity, code, message, file, pointer, line, column}]}`. */
export function formatJson(
  results: readonly ValidationResult[],
  options: FormatOptions = {},
): string {
  const diagnostics = results.flatMap((result) => result.diagnostics.map(jsonDiagnostic));
  return `${JSON.stringify({ valid: passes(results, options.strict === true), diagnostics }, null, 2)}\n`;
}

/** One diagnostic as JSON output carries it (`validate --json`, the `run --json` result). */
export function jsonDiagnostic(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.file,
    pointer: d.pointer,
    ...(d.line === undefined ? {} : { line: d.line, column: d.column ?? 1 }),
  };
}
