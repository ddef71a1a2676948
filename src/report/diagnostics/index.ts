/** Output formats of `arazzo validate`, as pure functions of the results. */
import type { ValidationResult } from '../../validate/diagnostic.js';
import type { FormatOptions, Formatter, OutputFormat } from './types.js';
import { formatGithub } from './github.js';
import { formatHuman } from './human.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';

export type { FormatOptions, Formatter, OutputFormat } from './types.js';

export const FORMATTERS: Readonly<Record<OutputFormat, Formatter>> = {
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
export { diagnosticLine } from './human.js';
export { jsonDiagnostic } from './json.js';
