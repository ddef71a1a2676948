import type { StepRecord } from './result.js';

/** One execution of a step, as the record keeping sees it. */
export interface StepExecution {
  readonly workflowId: string;
  readonly stepId: string;
  readonly success: boolean;
  readonly statusCode: number | undefined;
  /** An AsyncAPI step's channel address and action. */
  readonly channel?: string | undefined;
  readonly action?: 'send' | 'receive' | undefined;
  readonly reasons: readonly string[];
  readonly durationMs: number;
  /** 1 for the first attempt of a visit, 2+ for its retries. */
  readonly attempt: number;
  /** The execution was a paced poll (a goto re-sent the step's last request). */
  readonly polled: boolean;
}

/**
 * The record an execution leaves, given the run's last record. A retry (attempt > 1) or a
 * paced poll of the step the last record is about folds into it (`folds: true`: the result
 * replaces the last record), so a poll of 100,000 iterations keeps one record and memory flat;
 * anything else starts a new record. Pure: the last record is not changed.
 */
export function foldExecution(
  last: StepRecord | undefined,
  execution: StepExecution,
): { readonly record: StepRecord; readonly folds: boolean } {
  const { workflowId, stepId, success, statusCode, reasons, durationMs, attempt } = execution;
  const folds =
    (execution.polled || attempt > 1) &&
    last !== undefined &&
    last.workflowId === workflowId &&
    last.stepId === stepId;
  const record: StepRecord = {
    workflowId,
    stepId,
    success,
    attempts: attempt,
    executions: folds ? last.executions + (execution.polled ? 1 : 0) : 1,
    durationMs: folds ? last.durationMs + durationMs : durationMs,
  };
  // Assigned, not spread: one record per poll iteration, made without temporary objects.
  if (statusCode !== undefined) record.statusCode = statusCode;
  if (execution.channel !== undefined) record.channel = execution.channel;
  if (execution.action !== undefined) record.action = execution.action;
  if (reasons.length > 0) record.reasons = [...reasons];
  return { record, folds };
}

/**
 * Which execution of a poll the one about to run is (2 for the first repeat, …): one more than
 * the step's record already counts, when the last record is the step's.
 */
export function pollIteration(
  last: StepRecord | undefined,
  workflowId: string,
  stepId: string,
): number {
  return last !== undefined && last.workflowId === workflowId && last.stepId === stepId
    ? last.executions + 1
    : 2;
}
