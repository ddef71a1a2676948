import type { Diagnostic, ValidationResult } from '../../validate/diagnostic.js';
import type { FormatOptions } from './types.js';
import { passes, summaryLine } from './summary.js';
import { palette, type Palette } from '../style.js';

/**
 * `file:line:col  severity  code  message`, a short code frame with a caret under the column,
 * and a summary line. ANSI colour only when `color` is set.
 */
export function formatHuman(
  results: readonly ValidationResult[],
  options: FormatOptions = {},
): string {
  const paint = palette(options.color === true);
  const out: string[] = [];
  for (const result of results) {
    const lines = result.document?.source.text.split(/\r?\n/);
    for (const d of result.diagnostics) {
      out.push(diagnosticLine(d, paint));
      const frame = lines === undefined ? [] : codeFrame(lines, d);
      out.push(...frame.map((line) => paint.dim(line)));
    }
  }
  if (out.length > 0) out.push('');
  const summary = summaryLine(results, options.strict === true);
  out.push(passes(results, options.strict === true) ? paint.green(summary) : paint.red(summary));
  return `${out.join('\n')}\n`;
}

/**
 * One diagnostic in one line, `file:line:col  severity  code  message`: the head of each
 * `validate` finding, and how `run` shows the warnings of the workflow it runs.
 */
export function diagnosticLine(d: Diagnostic, paint: Palette): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column ?? 1}`;
  const severity = d.severity === 'error' ? paint.red('error') : paint.yellow('warning');
  return `${paint.bold(where)}  ${severity}  ${paint.dim(d.code)}  ${d.message}`;
}

/** The line before (if any), the line, and a caret under the column; long lines are cut. */
function codeFrame(lines: readonly string[], d: Diagnostic): string[] {
  if (d.line === undefined) return [];
  const index = d.line - 1;
  const line = lines[index];
  if (line === undefined) return [];
  const width = String(d.line).length;
  const gutter = (n: number | undefined) =>
    n === undefined ? ' '.repeat(width) : String(n).padStart(width);
  const frame: string[] = [];
  const previous = lines[index - 1];
  if (previous !== undefined && previous.trim() !== '')
    frame.push(`  ${gutter(d.line - 1)} | ${clip(previous)}`);
  frame.push(`> ${gutter(d.line)} | ${clip(line)}`);
  const column = Math.min(Math.max((d.column ?? 1) - 1, 0), 119);
  frame.push(`  ${gutter(undefined)} | ${line.slice(0, column).replace(/[^\t]/g, ' ')}^`);
  return frame;
}

function clip(line: string): string {
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
