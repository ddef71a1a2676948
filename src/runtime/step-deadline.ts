import type { RunResources } from './resources.js';

/**
 * The deadline of a step with an Arazzo 1.1 `timeout`, for one execution of it (POSITIONS
 * §11.3): its signal aborts when the time is up or the run stops, and everything the execution
 * waits on (requests, token fetches, poll pacing, the steps of a workflow it calls) listens to it.
 */
export interface StepDeadline {
  readonly signal: AbortSignal;
  readonly stepId: string;
  readonly timeoutMs: number;
}

/** Thrown where an execution notices its deadline passed; caught by the step that set it. */
export class StepTimedOut extends Error {
  /** `message`: what the step was waiting for, when it can say (a receive step's message). */
  constructor(
    readonly deadline: StepDeadline,
    message?: string,
  ) {
    super(
      message ??
        `step "${deadline.stepId}" did not complete within its timeout of ${deadline.timeoutMs} ms`,
    );
  }
}

/** Starts a deadline inside `outer` (an enclosing step's, or the run's); `cancel` clears its timer. */
export function startDeadline(
  run: RunResources,
  outer: StepDeadline | undefined,
  stepId: string,
  timeoutMs: number,
): { readonly deadline: StepDeadline; readonly cancel: () => void } {
  const controller = new AbortController();
  const cancel = run.clock.timer(timeoutMs, () =>
    controller.abort(new DOMException('step timeout', 'TimeoutError')),
  );
  const signal = AbortSignal.any([outer?.signal ?? run.signal, controller.signal]);
  return { deadline: { signal, stepId, timeoutMs }, cancel };
}

/**
 * Unwinds a stopped run (`StopRun`) or an execution past its deadline (`StepTimedOut`); the run's
 * stop wins, since it ends everything.
 */
export function checkDeadline(
  run: RunResources,
  deadline: StepDeadline | undefined,
  stepId: string,
): void {
  run.checkStopped(stepId);
  if (deadline?.signal.aborted) throw new StepTimedOut(deadline);
}
