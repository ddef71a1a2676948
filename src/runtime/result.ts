import type { RunError } from './events.js';

/**
 * One visit of a step. Consecutive paced polls of the same step fold into one record
 * (`executions` counts them) so a long poll keeps memory flat.
 */
export interface StepRecord {
  readonly workflowId: string;
  readonly stepId: string;
  success: boolean;
  statusCode?: number;
  /** An AsyncAPI step (1.1): the channel address it sent on or received from, and which it did. */
  channel?: string;
  action?: 'send' | 'receive';
  /** Attempts in the last execution (1 + retries). */
  attempts: number;
  /** How many times this record's step ran (> 1 for a folded poll loop). */
  executions: number;
  durationMs: number;
  /** Why the step failed, one line per reason. */
  reasons?: string[];
}

export interface RunResult {
  readonly workflowId: string;
  readonly success: boolean;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Outputs whose expression did not resolve (reported as `null`). */
  readonly unresolvedOutputs: readonly string[];
  readonly steps: readonly StepRecord[];
  /** Distinct warnings raised during the run (at most 100), e.g. from --check-responses. */
  readonly warnings: readonly string[];
  readonly durationMs: number;
  readonly error?: RunError;
}
