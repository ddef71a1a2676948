/** Output formats of `arazzo validate`, as pure functions of the results. */
import type { ValidationResult } from '../types.js';
import { formatGithub } from './github.js';
import { formatHuman } from './human.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';

export type OutputFormat = 'human' | 'json' | 'github' | 'sarif';

export interface FormatOptions {
  /** ANSI colour (human format only). */
  readonly color?: boolean;
  /** Warnings count as errors (summary and `valid`). */
  readonly strict?: boolean;
}

export const FORMATTERS: Readonly<
  Record<OutputFormat, (results: readonly ValidationResult[], options?: FormatOptions) => string>
> = {
  human: formatHuman,
  json: formatJson,
  github: formatGithub,
  sarif: formatSarif,
};

export function formatResults(
  results: readonly ValidationResult[],
  format: OutputFormat,
  options: FormatOptions = {},
): string {
  return FORMATTERS[format](results, options);
}

export { formatGithub, formatHuman, formatJson, formatSarif };
