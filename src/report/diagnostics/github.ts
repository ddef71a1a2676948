import type { ValidationResult } from '../../validate/diagnostic.js';
import type { FormatOptions } from './types.js';
import { summaryLine } from './summary.js';

/**
 * GitHub Actions workflow commands: one `::error` / `::warning` annotation per diagnostic
 * (https://docs.github.com/actions/reference/workflow-commands-for-github-actions), then the
 * summary as a plain line.
 */
export function formatGithub(
  results: readonly ValidationResult[],
  options: FormatOptions = {},
): string {
  const out: string[] = [];
  for (const d of results.flatMap((r) => r.diagnostics)) {
    const properties = [`file=${property(d.file)}`];
    if (d.line !== undefined) properties.push(`line=${d.line}`, `col=${d.column ?? 1}`);
    properties.push(`title=${property(`arazzo ${d.code}`)}`);
    out.push(
      `::${d.severity} ${properties.join(',')}::${data(`${d.message} [${d.pointer || '/'}]`)}`,
    );
  }
  out.push(summaryLine(results, options.strict === true));
  return `${out.join('\n')}\n`;
}

function data(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function property(text: string): string {
  return data(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
