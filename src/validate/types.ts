export type Severity = 'error' | 'warning';

/**
 * What a rule reports: the context adds the file, severity default and position. `offset` is a
 * character offset inside the string at `pointer`, for problems inside an expression or condition.
 */
export interface Finding {
  readonly code: string;
  readonly message: string;
  readonly pointer: string;
  readonly offset?: number;
  /** Overrides the code's default severity. */
  readonly severity?: Severity;
}
