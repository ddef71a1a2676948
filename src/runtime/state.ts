import type { ErrorCode } from '../errors.js';
import type { ExchangeView, RuntimeContext, WorkflowScopeView } from '../expressions/context.js';
import type { BuiltRequest } from '../http/build-request.js';
import type { CompiledWorkflow } from './compile.js';
import type { RunError } from './events.js';
import type { RequestInputs } from './request-inputs.js';
import type { StepRecord } from './result.js';
import type { StepDeadline } from './step-deadline.js';

/*
 * Where a run's state lives. Between two steps, everything a run has done is plain data (JSON
 * values: strings, numbers, records, parsed bodies) that could be written down and read back
 * to resume it:
 *   - `RunState` (one per run): the step records, each finished workflow's inputs and outputs
 *     (`$workflows`), the dependencies already run, the step executions counted so far (and
 *     the warnings, strings collected by resources.ts);
 *   - `WorkflowState` (one per running workflow, nested ones on the runner's call stack): the
 *     workflow's inputs, its steps' outputs (`$steps`), its last exchange, its depth and chain
 *     of callers, and its `position` (the step to run next and whether a goto led there; within
 *     a visit of a step, the attempt and the retries used per action are two more numbers,
 *     step-loop.ts `#visit`).
 * Everything else is derived or a resource: the compiled workflow (compiled again from the
 * document), `requests` (a memo of the last request each step built: without it the next one
 * is built again, and only the first poll after a resume goes unpaced), the transport, the
 * deadline and the token cache (resources.ts).
 */

export interface RunState {
  readonly records: StepRecord[];
  /** `$workflows.<id>`: each finished workflow's inputs and outputs. */
  readonly workflows: Record<string, WorkflowScopeView>;
  /** Dependencies (§Workflow Object dependsOn) run so far, by `<document url>#<index>`. */
  readonly completed: Map<string, WorkflowOutcome>;
  /** Step executions so far, retries and polls included (`maxSteps`). */
  stepCount: number;
  /** Steps that have succeeded in this run, by `<document url>#<workflowId>/<stepId>` (1.1 dependsOn). */
  readonly succeeded: Set<string>;
}

/** Where a workflow is: the step to run next and how the runner got there. */
export interface Position {
  readonly index: number;
  /** A goto led here (a re-sent request is then a poll, and paced). */
  readonly enteredByGoto: boolean;
}

/** The state of one workflow execution; step outputs are stored, never copied per step. */
export interface WorkflowState {
  readonly compiled: CompiledWorkflow;
  /** 0 for the workflow the run was asked for, one more per nesting (a step, goto or dependsOn). */
  readonly depth: number;
  /** The workflows now running, this one last (`<document url>#<workflowId>`): cycle detection. */
  readonly chain: readonly string[];
  readonly inputs: Record<string, unknown>;
  readonly steps: Record<string, { outputs: Record<string, unknown> }>;
  exchange?: ExchangeView | undefined;
  position: Position;
  /** The last request each step sent, to recognise polling (the same request re-entered by goto). */
  readonly requests: Map<string, SentRequest>;
  /**
   * The deadline of the step with a `timeout` now executing, in this workflow or in one that
   * called it (a resource, set only during that execution; step-deadline.ts).
   */
  deadline?: StepDeadline | undefined;
}

/** A step's last request, with what it was built from. */
export interface SentRequest {
  readonly inputs: RequestInputs;
  readonly built: BuiltRequest;
  readonly signature: string;
}

/** How one step execution ended. */
export interface StepOutcome {
  readonly success: boolean;
  readonly context: RuntimeContext;
  readonly reasons: string[];
  readonly error?: { readonly code: ErrorCode; readonly message: string };
  /** The response's `Retry-After`, capped (pacing.ts `serverDelay`). */
  readonly retryAfterMs?: number;
  /** The step was re-entered by goto and sent the same request again (a paced poll). */
  readonly polled?: boolean;
  /** Time spent pacing the poll before sending, not counted as the step's duration. */
  readonly pacedMs?: number;
  /** An AsyncAPI step: the channel address it sent on or received from, and which it did. */
  readonly channel?: string;
  readonly action?: 'send' | 'receive';
}

/** How one workflow execution ended. */
export interface WorkflowOutcome {
  readonly success: boolean;
  readonly outputs: Record<string, unknown>;
  readonly error?: RunError;
  readonly exchange?: ExchangeView;
}

/**
 * The context a step's expressions and criteria are evaluated in. Every context has the same
 * shape (exchange present or undefined): one shape for the evaluators.
 */
export function contextOf(
  run: RunState,
  state: WorkflowState,
  exchange: ExchangeView | undefined,
  outputs: Readonly<Record<string, unknown>>,
): RuntimeContext {
  return {
    inputs: state.inputs,
    outputs,
    steps: state.steps,
    workflows: run.workflows,
    sourceDescriptions: state.compiled.scope.sourceViews,
    components: state.compiled.scope.components,
    self: state.compiled.scope.self,
    exchange,
  };
}

/** A step that failed before or instead of its request, with one reason. */
export function stepFailure(
  context: RuntimeContext,
  code: ErrorCode,
  message: string,
): StepOutcome & { readonly error: { readonly code: ErrorCode; readonly message: string } } {
  return { success: false, context, reasons: [message], error: { code, message } };
}
