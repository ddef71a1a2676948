import type { RuntimeContext } from '../expressions/context.js';
import type { Selections } from '../expressions/index.js';
import { stepKey, type CompiledStep } from './compile.js';
import { evaluateRequest } from './evaluate-request.js';
import { calleeInputs } from './inputs.js';
import type { MessageStep } from './message-step.js';
import type { ContextFor, OperationStep } from './operation-step.js';
import { evaluateOutputs } from './outputs.js';
import { foldExecution, type StepExecution } from './records.js';
import { StopRun, type RunResources } from './resources.js';
import { findWorkflow, type WorkflowLocation } from './select-workflow.js';
import {
  contextOf,
  stepFailure,
  type RunState,
  type StepOutcome,
  type WorkflowOutcome,
  type WorkflowState,
} from './state.js';
import { checkSuccess } from './success.js';
import { setOwn } from './own.js';
import { checkDeadline, startDeadline, StepTimedOut } from './step-deadline.js';

/** Runs a workflow nested in `parent` (a workflow step, a retry's or a goto's target, a dependency). */
export type RunNested = (
  location: WorkflowLocation,
  inputs: Record<string, unknown>,
  parent: WorkflowState,
) => Promise<WorkflowOutcome>;

/**
 * One execution of one step: the guards, its parameters, its request or its workflow, its
 * outputs, its record and its events. What comes next is not its business (next.ts).
 */
export class StepRunner {
  readonly #run: RunResources;
  readonly #state: RunState;
  readonly #operations: OperationStep;
  readonly #messages: MessageStep;
  readonly #nested: RunNested;
  /** When the execution that started the last record began (on the run's clock). */
  #recordStarted = 0;

  constructor(
    run: RunResources,
    state: RunState,
    operations: OperationStep,
    messages: MessageStep,
    nested: RunNested,
  ) {
    this.#run = run;
    this.#state = state;
    this.#operations = operations;
    this.#messages = messages;
    this.#nested = nested;
  }

  async execute(
    state: WorkflowState,
    step: CompiledStep,
    attempt: number,
    enteredByGoto: boolean,
  ): Promise<StepOutcome> {
    const { workflowId } = state.compiled.workflow;
    const stepId = step.step.stepId;
    this.#checkGuards(state, stepId);
    this.#run.emit({ type: 'step-started', workflowId, stepId, attempt });
    const { clock } = this.#run;
    const started = clock.now();
    const unmet = this.#unmetDependency(state, step);
    const outcome =
      unmet !== undefined
        ? stepFailure(contextOf(this.#state, state, undefined, {}), 'STEP_DEPENDENCY_UNMET', unmet)
        : step.timeoutMs === undefined
          ? await this.#perform(state, step, enteredByGoto)
          : await this.#performWithin(state, step, enteredByGoto, step.timeoutMs);
    if (outcome.success) this.#state.succeeded.add(step.key);
    const finished = clock.now();
    const pacedMs = outcome.pacedMs ?? 0;
    const durationMs = finished - started - pacedMs;
    const outputs = evaluateOutputs(
      step.outputs,
      outcome.context,
      step.selectors && step.selectors.outputs.length > 0
        ? await this.#run.outputSelections(step.selectors.outputs, outcome.context, stepId)
        : undefined,
    );
    setOwn(state.steps, stepId, { outputs });
    const { success, reasons, context } = outcome;
    const { exchange } = context;
    const statusCode = exchange?.response?.statusCode;
    const polled = outcome.polled === true;
    const executions = this.#record(
      {
        workflowId,
        stepId,
        success,
        statusCode,
        channel: outcome.channel,
        action: outcome.action,
        reasons,
        durationMs,
        attempt,
        polled,
      },
      started,
    );
    this.#run.emit({
      type: 'step-finished',
      workflowId,
      stepId,
      success,
      attempt,
      durationMs,
      reasons,
      outputs,
      ...(exchange === undefined ? {} : { method: exchange.method, url: exchange.url }),
      ...(outcome.channel === undefined ? {} : { channel: outcome.channel }),
      ...(outcome.action === undefined ? {} : { action: outcome.action }),
      ...(statusCode === undefined ? {} : { statusCode }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(polled
        ? { poll: executions, pollWaitMs: pacedMs, pollElapsedMs: finished - this.#recordStarted }
        : {}),
      ...(step.target.kind === 'workflow' ? { calledWorkflowId: step.target.workflowId } : {}),
    });
    return outcome;
  }

  /**
   * 1.1 §Step Object `timeout`: the execution is aborted and the step fails when it has not
   * completed in time (its `onFailure` actions then apply, next.ts). Each execution, a retry's
   * included, gets the whole timeout (POSITIONS §11.3).
   */
  async #performWithin(
    state: WorkflowState,
    step: CompiledStep,
    enteredByGoto: boolean,
    timeoutMs: number,
  ): Promise<StepOutcome> {
    const outer = state.deadline;
    const { deadline, cancel } = startDeadline(this.#run, outer, step.step.stepId, timeoutMs);
    state.deadline = deadline;
    // What the step sent before the time was up; an earlier step's exchange is not its own.
    const earlier = state.exchange;
    try {
      const outcome = await this.#perform(state, step, enteredByGoto);
      // Finished, but only after the time was up (a condition evaluated meanwhile): too late.
      checkDeadline(this.#run, deadline, step.step.stepId);
      return outcome;
    } catch (error) {
      if (!(error instanceof StepTimedOut && error.deadline === deadline)) throw error;
      const own = state.exchange === earlier ? undefined : state.exchange;
      const context = contextOf(this.#state, state, own, {});
      return stepFailure(context, 'STEP_TIMEOUT', error.message);
    } finally {
      cancel();
      state.deadline = outer;
    }
  }

  /**
   * 1.1 §Step Object `dependsOn`: "A list of steps that MUST be completed before this step can be
   * executed"; it "does not trigger execution of the referenced steps". A dependency that has not
   * succeeded in this run (a goto skipped it, it failed, its workflow did not run) fails the step,
   * whose `onFailure` actions then apply (POSITIONS §11.4).
   */
  #unmetDependency(state: WorkflowState, step: CompiledStep): string | undefined {
    for (const dependency of step.dependsOn ?? []) {
      let url = state.compiled.scope.loaded.url;
      const workflowId = dependency.workflowId ?? state.compiled.workflow.workflowId;
      if (dependency.sourceName !== undefined) {
        try {
          const ref = `$sourceDescriptions.${dependency.sourceName}.${workflowId}`;
          url = findWorkflow(state.compiled.scope, ref).scope.loaded.url;
        } catch (error) {
          return `dependsOn "${dependency.raw}": ${(error as Error).message}`;
        }
      }
      if (!this.#state.succeeded.has(stepKey(url, workflowId, dependency.stepId)))
        return `step "${step.step.stepId}" depends on "${dependency.raw}", which has not completed successfully in this run`;
    }
    return undefined;
  }

  /** Counts a step execution against `maxSteps`; a stopped run or a passed deadline goes no further. */
  #checkGuards(state: WorkflowState, stepId: string): void {
    checkDeadline(this.#run, state.deadline, stepId);
    this.#state.stepCount += 1;
    const { maxSteps } = this.#run.limits;
    if (this.#state.stepCount > maxSteps) {
      throw new StopRun({
        code: 'MAX_STEPS_EXCEEDED',
        message: `stopped after ${maxSteps} step executions (--max-steps) at step "${stepId}"`,
        stepId,
      });
    }
  }

  /**
   * Keeps an execution's record (records.ts folds polls and retries), noting when a new record
   * started (a poll's elapsed time counts from there); returns its executions.
   */
  #record(execution: StepExecution, started: number): number {
    const { records } = this.#state;
    const { record, folds } = foldExecution(records.at(-1), execution);
    if (folds) records[records.length - 1] = record;
    else {
      records.push(record);
      this.#recordStarted = started;
    }
    return record.executions;
  }

  /** What the step does: evaluate its parameters, then send its request or run its workflow. */
  async #perform(
    state: WorkflowState,
    step: CompiledStep,
    enteredByGoto: boolean,
  ): Promise<StepOutcome> {
    const contextFor: ContextFor = (exchange) => contextOf(this.#state, state, exchange, {});
    const base = contextFor(undefined);
    let selections: Selections | undefined;
    if (step.selectors && step.selectors.request.length > 0) {
      const selected = await this.#run.requestSelections(
        step.selectors.request,
        base,
        step.step.stepId,
      );
      if ('reason' in selected)
        return stepFailure(
          base,
          'VALUE_UNRESOLVED',
          `a selector could not be evaluated: ${selected.reason}`,
        );
      selections = selected;
    }
    const values = evaluateRequest(step, base, selections);
    if (values.kind === 'failure') return stepFailure(base, values.code, values.message);
    if (values.kind === 'operation' && step.target.kind === 'message')
      return this.#messages.execute(state, step, values, base);
    if (values.kind === 'operation')
      return this.#operations.execute(state, step, values, enteredByGoto, contextFor);
    return this.#workflowStep(state, step, values.inputs, base);
  }

  /** A step with a `workflowId`: the workflow runs nested, with the step's parameters as inputs. */
  async #workflowStep(
    state: WorkflowState,
    step: CompiledStep,
    inputs: Record<string, unknown>,
    base: RuntimeContext,
  ): Promise<StepOutcome> {
    if (step.target.kind !== 'workflow') throw new Error('unreachable');
    const { workflowId } = step.target;
    const location = findWorkflow(state.compiled.scope, workflowId);
    const prepared = calleeInputs(location.scope, location.index, workflowId, inputs);
    if ('problem' in prepared) return stepFailure(base, 'INPUT_INVALID', prepared.problem);
    const callee = await this.#nested(location, prepared.inputs, state);
    // POSITIONS §4.2: $outputs is the callee's outputs; $statusCode/$response its last exchange.
    const context = contextOf(this.#state, state, callee.exchange, callee.outputs);
    if (!callee.success) {
      const message = `workflow "${workflowId}" failed${callee.error ? `: ${callee.error.message}` : ''}`;
      return stepFailure(context, callee.error?.code ?? 'STEP_FAILED', message);
    }
    const { success, reasons } = await checkSuccess(
      step,
      context,
      undefined,
      this.#run.evaluator(step.step.stepId),
    );
    return { success, context, reasons };
  }
}
