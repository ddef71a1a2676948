import type { ValidationResult } from '../../validate/diagnostic.js';

export type OutputFormat = 'human' | 'json' | 'github' | 'sarif';

export interface FormatOptions {
  /** ANSI colour (human format only). */
  readonly color?: boolean;
  /** Warnings count as errors (summary and `valid`). */
  readonly strict?: boolean;
}

/** One output format of `arazzo validate`: a pure function of the results (spectral's shape). */
export type Formatter = (results: readonly ValidationResult[], options?: FormatOptions) => string;
