import type { CompiledWorkflow } from './compile.js';
import { compileWorkflow } from './compile.js';
import type { RunError } from './events.js';
import { calleeInputs, inputsOrNone, prepareInputs } from './inputs.js';
import { MessageStep } from './message-step.js';
import { OperationStep } from './operation-step.js';
import { checkRunOptions, DEFAULTS, type RunOptions } from './options.js';
import { evaluateOutputs } from './outputs.js';
import { RunResources, StopRun } from './resources.js';
import type { RunResult } from './result.js';
import type { DocumentScope } from './scope.js';
import { findWorkflow, selectWorkflow, type WorkflowLocation } from './select-workflow.js';
import { contextOf, type RunState, type WorkflowOutcome, type WorkflowState } from './state.js';
import { StepLoop } from './step-loop.js';
import { StepRunner } from './step-runner.js';
import { setOwn } from './own.js';

/**
 * Runs one workflow of a document (Arazzo §Workflow Object, POSITIONS §6) and resolves with
 * its result. A failing workflow resolves with `success: false`; only problems found before any
 * request (unknown workflow, invalid inputs, a document that does not compile) reject, with an
 * `ArazzoError`.
 */
export async function runWorkflow(
  scope: DocumentScope,
  options: RunOptions = {},
): Promise<RunResult> {
  checkRunOptions(options);
  const location = selectWorkflow(scope, options.workflowId);
  const inputs = prepareInputs(location.scope, location.index, options.inputs ?? {});
  const runner = new Runner(options);
  try {
    runner.compiled(location); // compile before the first request: a broken document sends nothing
    return await runner.run(location, inputs);
  } finally {
    await runner.close();
  }
}

/**
 * One run, in layers: the runner starts and finishes workflows (dependencies, nesting,
 * transfers); `StepLoop` (step-loop.ts) moves through a workflow's steps as `decide` (next.ts)
 * says; `StepRunner` (step-runner.ts) executes one step; `OperationStep` (operation-step.ts) is
 * an operation's request pipeline. What the run holds is in resources.ts; the state it keeps
 * between steps (state.ts) is plain data.
 */
class Runner {
  readonly #run: RunResources;
  readonly #state: RunState = {
    records: [],
    workflows: {},
    completed: new Map(),
    stepCount: 0,
    succeeded: new Set(),
  };
  readonly #loop: StepLoop;
  readonly #messages: MessageStep;
  readonly #compiled = new Map<DocumentScope, Map<number, CompiledWorkflow>>();

  constructor(options: RunOptions) {
    this.#run = new RunResources(options);
    const nested = (
      location: WorkflowLocation,
      inputs: Record<string, unknown>,
      parent: WorkflowState,
    ): Promise<WorkflowOutcome> => this.#runWorkflow(location, inputs, parent);
    const operations = new OperationStep(this.#run, this.#state.records);
    this.#messages = new MessageStep(this.#run, this.#state);
    const steps = new StepRunner(this.#run, this.#state, operations, this.#messages, nested);
    this.#loop = new StepLoop(this.#run, steps, nested);
  }

  close(): Promise<void> {
    return this.#run.close();
  }

  compiled(location: WorkflowLocation): CompiledWorkflow {
    let perScope = this.#compiled.get(location.scope);
    if (!perScope)
      this.#compiled.set(location.scope, (perScope = new Map<number, CompiledWorkflow>()));
    let compiled = perScope.get(location.index);
    if (!compiled) {
      // The model locates every problem it finds (model/), so what throws here is an ArazzoError.
      compiled = compileWorkflow(location.scope, location.index);
      perScope.set(location.index, compiled);
    }
    return compiled;
  }

  async run(location: WorkflowLocation, inputs: Record<string, unknown>): Promise<RunResult> {
    const { clock } = this.#run;
    const started = clock.now();
    const workflowId = location.scope.loaded.document.workflows[location.index]?.workflowId ?? '';
    let outcome: WorkflowOutcome;
    try {
      outcome = await this.#runWorkflow(location, inputs, undefined);
    } catch (error) {
      if (!(error instanceof StopRun)) throw error;
      outcome = { success: false, outputs: {}, error: error.error };
    }
    const unresolved = Object.entries(outcome.outputs)
      .filter(([, value]) => value === null)
      .map(([name]) => name);
    return {
      workflowId,
      success: outcome.success,
      outputs: outcome.outputs,
      unresolvedOutputs: unresolved,
      steps: this.#state.records,
      warnings: [...this.#run.warnings],
      durationMs: clock.now() - started,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    };
  }

  /** A workflow: its dependencies, then its steps, then its outputs. */
  async #runWorkflow(
    location: WorkflowLocation,
    inputs: Record<string, unknown>,
    parent: WorkflowState | undefined,
  ): Promise<WorkflowOutcome> {
    const compiled = this.compiled(location);
    const state = enter(location, compiled, inputs, parent);
    const failedDependency = await this.#runDependencies(state);
    if (failedDependency) return this.#finish(state, false, failedDependency);
    const { workflowId } = compiled.workflow;
    this.#run.emit({ type: 'workflow-started', workflowId, depth: state.depth });
    // A reply must not be lost while an earlier step is still sending (POSITIONS §11.11).
    await this.#messages.subscribeAhead(state);
    const end = await this.#loop.run(state);
    if (end.type === 'transfer') return this.#transfer(state, end.workflowId, end.inputs);
    return this.#finish(state, end.success, end.error);
  }

  /**
   * §Success Action Object goto workflowId: one way; this workflow ends with the target's result.
   * Its inputs: the 1.1 action `parameters` when given (checked by its schema: refused inputs
   * fail this workflow), else this workflow's inputs where the target's schema takes them
   * (POSITIONS §6.5).
   */
  async #transfer(
    state: WorkflowState,
    workflowId: string,
    given: Record<string, unknown> | undefined,
  ): Promise<WorkflowOutcome> {
    const location = findWorkflow(state.compiled.scope, workflowId);
    const prepared =
      given === undefined
        ? { inputs: inputsOrNone(location.scope, location.index, state.inputs) }
        : calleeInputs(location.scope, location.index, workflowId, given);
    if ('problem' in prepared)
      return this.#finish(state, false, { code: 'INPUT_INVALID', message: prepared.problem });
    const transferred = await this.#runWorkflow(location, prepared.inputs, state);
    state.exchange = transferred.exchange;
    return this.#finish(state, transferred.success, transferred.error);
  }

  /** §Workflow Object dependsOn: each dependency runs once per run, before the dependent (POSITIONS §6.1). */
  async #runDependencies(state: WorkflowState): Promise<RunError | undefined> {
    const { compiled } = state;
    for (const dependency of compiled.workflow.dependsOn ?? []) {
      const location = findWorkflow(compiled.scope, dependency);
      const key = `${location.scope.loaded.url}#${location.index}`;
      let outcome = this.#state.completed.get(key);
      if (!outcome) {
        const inputs = inputsOrNone(location.scope, location.index, {});
        outcome = await this.#runWorkflow(location, inputs, state);
        this.#state.completed.set(key, outcome);
      }
      if (!outcome.success) {
        return {
          code: 'STEP_FAILED',
          message: `dependency "${dependency}" of workflow "${compiled.workflow.workflowId}" failed`,
        };
      }
    }
    return undefined;
  }

  /** Ends a workflow: its outputs (`$workflows.<id>` from now on) and its event. */
  async #finish(
    state: WorkflowState,
    success: boolean,
    error?: RunError,
  ): Promise<WorkflowOutcome> {
    const { compiled, depth, exchange } = state;
    const context = contextOf(this.#state, state, exchange, {});
    const selections =
      compiled.outputSelectors === undefined
        ? undefined
        : await this.#run.outputSelections(compiled.outputSelectors, context);
    const outputs = evaluateOutputs(compiled.outputs, context, selections);
    const { workflowId } = compiled.workflow;
    setOwn(this.#state.workflows, workflowId, { inputs: state.inputs, outputs });
    this.#run.emit({
      type: 'workflow-finished',
      workflowId,
      depth,
      success,
      outputs,
      ...(error === undefined ? {} : { error }),
    });
    return {
      success,
      outputs,
      ...(error === undefined ? {} : { error }),
      ...(exchange === undefined ? {} : { exchange }),
    };
  }
}

/**
 * The state a workflow starts with, nested in `parent` (none for the run's own). A workflow
 * already in the chain of callers, or one nested too deep, stops the run.
 */
function enter(
  location: WorkflowLocation,
  compiled: CompiledWorkflow,
  inputs: Record<string, unknown>,
  parent: WorkflowState | undefined,
): WorkflowState {
  const { workflowId } = compiled.workflow;
  const key = `${location.scope.loaded.url}#${workflowId}`;
  const callers = parent?.chain ?? [];
  const chain = [...callers, key];
  if (callers.includes(key)) {
    throw new StopRun({
      code: 'STEP_FAILED',
      message: `workflow "${workflowId}" calls itself (${chain.map((k) => k.split('#')[1]).join(' → ')})`,
    });
  }
  const depth = parent === undefined ? 0 : parent.depth + 1;
  if (depth > DEFAULTS.maxWorkflowDepth) {
    throw new StopRun({
      code: 'STEP_FAILED',
      message: `workflows nested deeper than ${DEFAULTS.maxWorkflowDepth} levels`,
    });
  }
  const position = { index: 0, enteredByGoto: false };
  const { deadline } = parent ?? {};
  return { compiled, depth, chain, inputs, steps: {}, position, requests: new Map(), deadline };
}
