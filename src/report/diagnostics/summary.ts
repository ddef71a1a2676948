import type { Diagnostic, ValidationResult } from '../../validate/diagnostic.js';

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
  /** Files with at least one diagnostic. */
  readonly files: number;
  /** Files checked. */
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

/**
 * `✔ valid` / `✔ 2 files valid, 1 warning in 1 of 2 files` / `✖ 2 errors, 1 warning in 1 file`
 * (plain text; the human format colours it). The number of files checked is always there when
 * it is more than one, so "in 1 file" never reads as "1 file checked".
 */
export function summaryLine(results: readonly ValidationResult[], strict: boolean): string {
  const c = count(results);
  const where = c.files === c.total ? plural(c.total, 'file') : `${c.files} of ${c.total} files`;
  if (passes(results, strict)) {
    const valid = c.total > 1 ? `✔ ${plural(c.total, 'file')} valid` : '✔ valid';
    return c.warnings === 0 ? valid : `${valid}, ${plural(c.warnings, 'warning')} in ${where}`;
  }
  const note = strict && c.errors === 0 ? ' (--strict counts warnings as errors)' : '';
  return `✖ ${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')} in ${where}${note}`;
}
