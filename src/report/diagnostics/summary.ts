import type { Diagnostic, ValidationResult } from '../../validate/types.js';

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
  /** Files with at least one diagnostic. */
  readonly files: number;
  readonly total: number;
}

export function count(results: readonly ValidationResult[]): Counts {
  const all = results.flatMap((r) => r.diagnostics);
  const files = new Set(all.map((d) => d.file));
  return {
    errors: all.filter((d) => d.severity === 'error').length,
    warnings: all.filter((d) => d.severity === 'warning').length,
    files: files.size,
    total: results.length,
  };
}

/** Whether the results pass: no errors, and with `strict` no warnings either. */
export function passes(results: readonly ValidationResult[], strict: boolean): boolean {
  return results.every((r) =>
    r.diagnostics.every(
      (d: Diagnostic) => d.severity !== 'error' && !(strict && d.severity === 'warning'),
    ),
  );
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `✖ 2 errors, 1 warning in 1 file` / `✔ valid` (plain text; the human format colours it). */
export function summaryLine(results: readonly ValidationResult[], strict: boolean): string {
  const c = count(results);
  const files = c.total > 1 ? ` (${plural(c.total, 'file')})` : '';
  if (passes(results, strict)) {
    return c.warnings === 0
      ? `✔ valid${files}`
      : `✔ valid, ${plural(c.warnings, 'warning')} in ${plural(c.files, 'file')}`;
  }
  const note = strict && c.errors === 0 ? ' (--strict counts warnings as errors)' : '';
  return `✖ ${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')} in ${plural(c.files, 'file')}${note}`;
}
