import { performance } from 'node:perf_hooks';
import { ArazzoError, type ErrorCode } from '../errors.js';
import { evaluateCriterion } from '../criteria/index.js';
import { isParameterLocation } from '../document/types.js';
import type { ExchangeView, RuntimeContext, WorkflowScopeView } from '../expressions/context.js';
import { evaluateExpression, evaluateValue } from '../expressions/index.js';
import { applySecurity, settledSecurity } from '../http/auth/apply-security.js';
import type { Credentials } from '../http/auth/types.js';
import { TokenCache } from '../http/auth/oauth2.js';
import {
  buildRequest,
  type BuiltRequest,
  type EvaluatedParameter,
  type RequestPlan,
} from '../http/build-request.js';
import { checkResponse } from '../http/check-response.js';
import { requestSignature } from '../http/request-signature.js';
import { selectServer } from '../http/select-server.js';
import type { HttpTransport } from '../http/types.js';
import { UndiciTransport } from '../http/undici-transport.js';
import { HostGuardTransport } from '../http/host-guard.js';
import { selectAction } from './actions.js';
import {
  compileWorkflow,
  type CompiledAction,
  type CompiledOutput,
  type CompiledStep,
  type CompiledWorkflow,
} from './compile.js';
import type { RunError, RunEvent } from './events.js';
import { compileFailure } from './compile-failure.js';
import { prepareInputs } from './inputs.js';
import { sameRequestInputs, type RequestInputs } from './request-inputs.js';
import { checkRunOptions, DEFAULTS, type RunOptions } from './options.js';
import type { RunResult, StepRecord } from './result.js';
import type { DocumentScope } from './scope.js';
import { findWorkflow, selectWorkflow, type WorkflowLocation } from './select-workflow.js';
import { parseRetryAfter, wait } from './waits.js';
import { LongTimeout } from '../timers.js';
import { setOwn } from './own.js';

/** One object for "no credentials", so that settled security additions are found again. */
const NO_CREDENTIALS: Credentials = Object.freeze({});

/** How one workflow execution ended. */
interface WorkflowOutcome {
  readonly success: boolean;
  readonly outputs: Record<string, unknown>;
  readonly error?: RunError;
  readonly exchange?: ExchangeView;
}

/** How one step execution ended. */
interface StepOutcome {
  readonly success: boolean;
  readonly context: RuntimeContext;
  readonly reasons: string[];
  readonly error?: { readonly code: ErrorCode; readonly message: string };
  readonly retryAfterMs?: number;
  /** The step was re-entered by goto and sent the same request again (a paced poll). */
  readonly polled?: boolean;
  /** Time spent pacing the poll before sending, not counted as the step's duration. */
  readonly pacedMs?: number;
}

/** A step's last request, with what it was built from. */
interface SentRequest {
  readonly inputs: RequestInputs;
  readonly built: BuiltRequest;
  readonly signature: string;
}

/** Mutable state of one workflow execution; step outputs are stored, never copied per step. */
interface WorkflowState {
  readonly compiled: CompiledWorkflow;
  readonly inputs: Record<string, unknown>;
  readonly steps: Record<string, { outputs: Record<string, unknown> }>;
  exchange?: ExchangeView | undefined;
  /** The last request sent by each step, to recognise polling (same request re-entered by goto). */
  readonly lastRequest: Map<string, SentRequest>;
}

/** A guard tripped or the run was stopped: unwinds every nested workflow. */
class StopRun extends Error {
  constructor(readonly error: RunError) {
    super(error.message);
  }
}

/**
 * Runs one workflow of a document (Arazzo §Workflow Object, SPEC-NOTES §6) and resolves with
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
    await runner.compiled(location); // compile before the first request: a broken document sends nothing
    return await runner.run(location, inputs);
  } finally {
    await runner.close();
  }
}

class Runner {
  readonly #options: RunOptions;
  readonly #transport: HttpTransport;
  /** The transport this run created, closed at its end (a caller's own is left open). */
  readonly #owned: UndiciTransport | undefined;
  readonly #signal: AbortSignal;
  readonly #userSignal: AbortSignal | undefined;
  readonly #deadline = new AbortController();
  #deadlineTimer: LongTimeout | undefined;
  readonly #emit: (event: RunEvent) => void;
  readonly #compiled = new Map<DocumentScope, Map<number, CompiledWorkflow>>();
  readonly #workflows: Record<string, WorkflowScopeView> = {};
  readonly #completed = new Map<string, WorkflowOutcome>();
  readonly #records: StepRecord[] = [];
  /** OAuth2 tokens fetched in this run, reused until they expire. */
  readonly #tokens = new TokenCache();
  /** Distinct warnings, capped so a long poll cannot grow them. */
  readonly #warnings = new Set<string>();
  readonly #maxSteps: number;
  readonly #pollIntervalMs: number;
  readonly #maxWaitMs: number;
  #stepCount = 0;

  constructor(options: RunOptions) {
    this.#options = options;
    let transport = options.transport;
    if (transport === undefined) transport = this.#owned = new UndiciTransport();
    else this.#owned = undefined;
    this.#transport =
      options.allowHosts && options.allowHosts.length > 0
        ? new HostGuardTransport(transport, options.allowHosts)
        : transport;
    this.#userSignal = options.signal;
    // The deadline is a timer this run holds and clears: AbortSignal.any() holds its sources
    // weakly, so a bare AbortSignal.timeout() passed to it can be collected and never fire.
    if (options.timeoutMs !== undefined) {
      this.#deadlineTimer = new LongTimeout(
        () => this.#deadline.abort(new DOMException('run timeout', 'TimeoutError')),
        options.timeoutMs,
      );
    }
    this.#signal = options.signal
      ? AbortSignal.any([options.signal, this.#deadline.signal])
      : this.#deadline.signal;
    const listener = options.onEvent ?? (() => undefined);
    this.#emit = (event) => {
      if (event.type === 'warning' && this.#warnings.size < 100)
        this.#warnings.add(`${event.stepId}: ${event.message}`);
      listener(event);
    };
    this.#maxSteps = options.maxSteps ?? DEFAULTS.maxSteps;
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
    this.#maxWaitMs = options.maxWaitMs ?? DEFAULTS.maxWaitMs;
  }

  async close(): Promise<void> {
    this.#deadlineTimer?.clear();
    await this.#owned?.close();
  }

  async compiled(location: WorkflowLocation): Promise<CompiledWorkflow> {
    let perScope = this.#compiled.get(location.scope);
    if (!perScope)
      this.#compiled.set(location.scope, (perScope = new Map<number, CompiledWorkflow>()));
    let compiled = perScope.get(location.index);
    if (!compiled) {
      try {
        compiled = compileWorkflow(location.scope, location.index);
      } catch (error) {
        if (error instanceof ArazzoError) throw error;
        throw await compileFailure(location, error);
      }
      perScope.set(location.index, compiled);
    }
    return compiled;
  }

  async run(location: WorkflowLocation, inputs: Record<string, unknown>): Promise<RunResult> {
    const started = performance.now();
    const workflowId = location.scope.loaded.document.workflows[location.index]?.workflowId ?? '';
    let outcome: WorkflowOutcome;
    try {
      outcome = await this.#runWorkflow(location, inputs, 0, []);
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
      steps: this.#records,
      warnings: [...this.#warnings],
      durationMs: performance.now() - started,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    };
  }

  async #runWorkflow(
    location: WorkflowLocation,
    inputs: Record<string, unknown>,
    depth: number,
    stack: readonly string[],
  ): Promise<WorkflowOutcome> {
    const compiled = await this.compiled(location);
    const { workflowId } = compiled.workflow;
    const key = `${location.scope.loaded.url}#${workflowId}`;
    /** The chain of workflows now running, this one included (cycle detection). */
    const inner = [...stack, key];
    if (stack.includes(key)) {
      throw new StopRun({
        code: 'STEP_FAILED',
        message: `workflow "${workflowId}" calls itself (${inner.map((k) => k.split('#')[1]).join(' → ')})`,
      });
    }
    if (depth > DEFAULTS.maxWorkflowDepth) {
      throw new StopRun({
        code: 'STEP_FAILED',
        message: `workflows nested deeper than ${DEFAULTS.maxWorkflowDepth} levels`,
      });
    }
    const failedDependency = await this.#runDependencies(compiled, depth, inner);
    if (failedDependency)
      return this.#finishWorkflow(compiled, { inputs, steps: {} }, depth, false, failedDependency);

    this.#emit({ type: 'workflow-started', workflowId, depth });
    const state: WorkflowState = { compiled, inputs, steps: {}, lastRequest: new Map() };
    let index = 0;
    let enteredByGoto = false;
    while (index < compiled.steps.length) {
      const step = compiled.steps[index] as CompiledStep;
      const stepId = step.step.stepId;
      let attempt = 1;
      let outcome = await this.#executeStep(state, step, attempt, enteredByGoto, depth, inner);
      // A visit of a step: retries repeat it; any other action leaves it (SPEC-NOTES §6.7).
      let retries: Map<string, number> | undefined;
      let action: CompiledAction | undefined;
      for (;;) {
        const actions = outcome.success ? step.onSuccess : step.onFailure;
        action = selectAction(actions, outcome.context, retries);
        if (action?.type !== 'retry') break;
        retries ??= new Map();
        const count = (retries.get(action.name) ?? 0) + 1;
        retries.set(action.name, count);
        this.#emit({
          type: 'action',
          workflowId,
          stepId,
          action: action.name,
          actionType: 'retry',
          ...target(action),
        });
        await this.#runRetryTarget(state, action, depth, inner);
        // §Failure Action Object retryAfter: a Retry-After header from the operation overrules it.
        const delayMs = Math.min(
          outcome.retryAfterMs ?? (action.retryAfter ?? 0) * 1000,
          this.#maxWaitMs,
        );
        this.#emit({
          type: 'retry-wait',
          workflowId,
          stepId,
          action: action.name,
          retry: count,
          delayMs,
        });
        await this.#wait(delayMs);
        attempt += 1;
        outcome = await this.#executeStep(state, step, attempt, false, depth, inner);
      }

      if (action)
        this.#emit({
          type: 'action',
          workflowId,
          stepId,
          action: action.name,
          actionType: action.type,
          ...target(action),
        });

      if (!action) {
        if (!outcome.success) {
          const message = `step "${stepId}" failed: ${outcome.reasons.join('; ') || 'no reason given'}`;
          return this.#finishWorkflow(compiled, state, depth, false, {
            code: outcome.error?.code ?? 'STEP_FAILED',
            message,
            stepId,
          });
        }
        index += 1;
        enteredByGoto = false;
        continue;
      }
      if (action.type === 'end') {
        const error = outcome.success
          ? undefined
          : {
              code: 'STEP_FAILED' as const,
              message: `step "${stepId}" failed and action "${action.name}" ended the workflow: ${outcome.reasons.join('; ')}`,
              stepId,
            };
        return this.#finishWorkflow(compiled, state, depth, outcome.success, error);
      }
      // goto (a retry never reaches here: exhausted retries are skipped by selectAction).
      if (action.stepId !== undefined) {
        const next = compiled.stepIndex.get(action.stepId);
        if (next === undefined) {
          return this.#finishWorkflow(compiled, state, depth, false, {
            code: 'STEP_NOT_FOUND',
            message: `action "${action.name}" of step "${stepId}" goes to unknown step "${action.stepId}"`,
            stepId,
          });
        }
        index = next;
        enteredByGoto = true;
        continue;
      }
      // §Success Action Object goto workflowId: a one-way transfer; this workflow ends with the target's result.
      const targetLocation = findWorkflow(compiled.scope, action.workflowId ?? '');
      const transferred = await this.#runWorkflow(
        targetLocation,
        this.#inputsFor(targetLocation, inputs),
        depth + 1,
        inner,
      );
      state.exchange = transferred.exchange;
      return this.#finishWorkflow(compiled, state, depth, transferred.success, transferred.error);
    }
    return this.#finishWorkflow(compiled, state, depth, true);
  }

  /** §Workflow Object dependsOn: each dependency runs once per run, before the dependent (SPEC-NOTES §6.1). */
  async #runDependencies(
    compiled: CompiledWorkflow,
    depth: number,
    stack: readonly string[],
  ): Promise<RunError | undefined> {
    for (const dependency of compiled.workflow.dependsOn ?? []) {
      const location = findWorkflow(compiled.scope, dependency);
      const key = `${location.scope.loaded.url}#${location.index}`;
      let outcome = this.#completed.get(key);
      if (!outcome) {
        outcome = await this.#runWorkflow(
          location,
          this.#inputsFor(location, {}),
          depth + 1,
          stack,
        );
        this.#completed.set(key, outcome);
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

  /** Inputs for a workflow started by goto or dependsOn: the given inputs if they satisfy its schema, else none. */
  #inputsFor(
    location: WorkflowLocation,
    candidate: Record<string, unknown>,
  ): Record<string, unknown> {
    try {
      return prepareInputs(location.scope, location.index, candidate);
    } catch {
      return prepareInputs(location.scope, location.index, {});
    }
  }

  #finishWorkflow(
    compiled: CompiledWorkflow,
    state: Pick<WorkflowState, 'inputs' | 'steps'> & { exchange?: ExchangeView | undefined },
    depth: number,
    success: boolean,
    error?: RunError,
  ): WorkflowOutcome {
    const context = this.#context(compiled, state, state.exchange, {});
    const outputs = evaluateOutputs(compiled.outputs, context);
    const { workflowId } = compiled.workflow;
    setOwn(this.#workflows, workflowId, { inputs: state.inputs, outputs });
    this.#emit({
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
      ...(state.exchange === undefined ? {} : { exchange: state.exchange }),
    };
  }

  async #runRetryTarget(
    state: WorkflowState,
    action: CompiledAction,
    depth: number,
    stack: readonly string[],
  ): Promise<void> {
    // §Failure Action Object retry: "the reference is executed and the context is returned".
    if (action.stepId !== undefined) {
      const index = state.compiled.stepIndex.get(action.stepId);
      const step = index === undefined ? undefined : state.compiled.steps[index];
      if (step) await this.#executeStep(state, step, 1, false, depth, stack);
    } else if (action.workflowId !== undefined) {
      const location = findWorkflow(state.compiled.scope, action.workflowId);
      await this.#runWorkflow(location, this.#inputsFor(location, state.inputs), depth + 1, stack);
    }
  }

  /** Every context has the same shape (exchange present or undefined): one shape for the evaluators. */
  #context(
    compiled: CompiledWorkflow,
    state: Pick<WorkflowState, 'inputs' | 'steps'>,
    exchange: ExchangeView | undefined,
    outputs: Readonly<Record<string, unknown>>,
  ): RuntimeContext {
    return {
      inputs: state.inputs,
      outputs,
      steps: state.steps,
      workflows: this.#workflows,
      sourceDescriptions: compiled.scope.sourceViews,
      components: compiled.scope.components,
      exchange,
    };
  }

  #checkGuards(stepId: string): void {
    if (this.#signal.aborted) throw new StopRun(this.#abortError(stepId));
    this.#stepCount += 1;
    if (this.#stepCount > this.#maxSteps) {
      throw new StopRun({
        code: 'MAX_STEPS_EXCEEDED',
        message: `stopped after ${this.#maxSteps} step executions (--max-steps) at step "${stepId}"`,
        stepId,
      });
    }
  }

  #abortError(stepId?: string): RunError {
    const byUser = this.#userSignal?.aborted === true;
    const base = byUser
      ? { code: 'ABORTED' as const, message: 'run interrupted' }
      : {
          code: 'RUN_TIMEOUT' as const,
          message: `run exceeded its time limit of ${this.#options.timeoutMs} ms (--timeout)`,
        };
    return stepId === undefined ? base : { ...base, stepId };
  }

  async #wait(ms: number): Promise<void> {
    try {
      await wait(ms, this.#signal);
    } catch {
      throw new StopRun(this.#abortError());
    }
  }

  async #executeStep(
    state: WorkflowState,
    step: CompiledStep,
    attempt: number,
    enteredByGoto: boolean,
    depth: number,
    stack: readonly string[],
  ): Promise<StepOutcome> {
    const { workflowId } = state.compiled.workflow;
    const stepId = step.step.stepId;
    this.#checkGuards(stepId);
    this.#emit({ type: 'step-started', workflowId, stepId, attempt });
    const started = performance.now();
    const outcome =
      step.target.kind === 'operation'
        ? await this.#executeOperation(state, step, enteredByGoto)
        : await this.#executeWorkflowStep(state, step, depth, stack);
    const durationMs = performance.now() - started - (outcome.pacedMs ?? 0);
    const outputs = evaluateOutputs(step.outputs, outcome.context);
    setOwn(state.steps, stepId, { outputs });

    const { exchange } = outcome.context;
    const statusCode = exchange?.response?.statusCode;
    const record = this.#record(
      workflowId,
      stepId,
      outcome,
      durationMs,
      attempt,
      outcome.polled === true,
    );
    this.#emit({
      type: 'step-finished',
      workflowId,
      stepId,
      success: outcome.success,
      attempt,
      durationMs,
      reasons: outcome.reasons,
      outputs,
      ...(exchange === undefined ? {} : { method: exchange.method, url: exchange.url }),
      ...(statusCode === undefined ? {} : { statusCode }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(outcome.polled === true ? { poll: record.executions } : {}),
    });
    return outcome;
  }

  #record(
    workflowId: string,
    stepId: string,
    outcome: StepOutcome,
    durationMs: number,
    attempt: number,
    polled: boolean,
  ): StepRecord {
    const statusCode = outcome.context.exchange?.response?.statusCode;
    const last = this.#records.at(-1);
    // Paced polls of one step fold into one record: a long poll keeps memory flat.
    if (
      (polled || attempt > 1) &&
      last &&
      last.workflowId === workflowId &&
      last.stepId === stepId
    ) {
      last.success = outcome.success;
      last.durationMs += durationMs;
      if (polled) last.executions += 1;
      last.attempts = attempt;
      if (statusCode === undefined) delete last.statusCode;
      else last.statusCode = statusCode;
      if (outcome.reasons.length > 0) last.reasons = outcome.reasons;
      else delete last.reasons;
      return last;
    }
    const record: StepRecord = {
      workflowId,
      stepId,
      success: outcome.success,
      attempts: attempt,
      executions: 1,
      durationMs,
      ...(statusCode === undefined ? {} : { statusCode }),
      ...(outcome.reasons.length > 0 ? { reasons: outcome.reasons } : {}),
    };
    this.#records.push(record);
    return record;
  }

  async #executeOperation(
    state: WorkflowState,
    step: CompiledStep,
    enteredByGoto: boolean,
  ): Promise<StepOutcome> {
    const { workflowId } = state.compiled.workflow;
    const stepId = step.step.stepId;
    const base = this.#context(state.compiled, state, undefined, {});
    const fail = (code: ErrorCode, message: string): StepOutcome => ({
      success: false,
      context: base,
      reasons: [message],
      error: { code, message },
    });
    if (step.target.kind !== 'operation') throw new Error('unreachable');
    const operation = step.target.operation;

    const parameters: EvaluatedParameter[] = [];
    for (const parameter of step.parameters) {
      const { value, unresolved } = evaluateValue(parameter.value, base);
      // A parameter that is one expression with no value (an optional input not given) is not
      // sent; the request builder still refuses a required one.
      if (value === undefined && parameter.value.kind === 'expression') continue;
      if (unresolved.length > 0) {
        return fail(
          'VALUE_UNRESOLVED',
          `parameter "${parameter.name}" could not be evaluated: ${unresolved.join(', ')} has no value`,
        );
      }
      // Arazzo §Parameter Object: `in` is required for operation steps (an unvalidated document
      // may have anything there).
      if (!isParameterLocation(parameter.in))
        return fail(
          'REQUEST_INVALID',
          `parameter "${parameter.name}" needs "in": path, query, header or cookie`,
        );
      parameters.push({ name: parameter.name, in: parameter.in, value });
    }
    let body: RequestPlan['body'];
    if (step.body) {
      let payload: unknown;
      if (step.body.payload !== undefined) {
        const evaluated = evaluateValue(step.body.payload, base);
        if (evaluated.unresolved.length > 0) {
          return fail(
            'VALUE_UNRESOLVED',
            `request body could not be evaluated: ${evaluated.unresolved.join(', ')} has no value`,
          );
        }
        payload = evaluated.value;
      }
      const replacements = [];
      for (const replacement of step.body.replacements) {
        const evaluated = evaluateValue(replacement.value, base);
        if (evaluated.unresolved.length > 0) {
          return fail(
            'VALUE_UNRESOLVED',
            `replacement ${replacement.target} could not be evaluated: ${evaluated.unresolved.join(', ')} has no value`,
          );
        }
        replacements.push({ target: replacement.target, value: evaluated.value });
      }
      body = { contentType: step.body.contentType, value: payload, replacements };
    }

    const previous = state.lastRequest.get(stepId);
    let sent: SentRequest;
    try {
      const serverUrl = selectServer(
        operation,
        this.#options.servers?.[operation.sourceName],
        this.#options.serverVariables,
      );
      // Credentials from the source's securitySchemes; a step's own header parameter still wins.
      const credentials = this.#options.credentials ?? NO_CREDENTIALS;
      const security =
        settledSecurity(operation, credentials) ??
        (await applySecurity(operation, credentials, this.#tokens, this.#transport, {
          signal: this.#signal,
          timeoutMs: this.#options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
          serverUrl,
        }));
      const inputs: RequestInputs = { serverUrl, parameters, body, security };
      if (previous !== undefined && sameRequestInputs(previous.inputs, inputs)) {
        sent = previous;
      } else {
        const built = buildRequest({
          operation,
          serverUrl,
          parameters,
          security,
          ...(this.#options.headers === undefined ? {} : { defaultHeaders: this.#options.headers }),
          ...(body === undefined ? {} : { body }),
        });
        for (const message of built.warnings) {
          this.#emit({ type: 'warning', workflowId, stepId, message });
        }
        sent = { inputs, built, signature: requestSignature(built.request) };
      }
    } catch (error) {
      if (this.#signal.aborted) throw new StopRun(this.#abortError(stepId));
      if (error instanceof ArazzoError) return fail(error.code, error.message);
      // Other people's OpenAPI documents can hold fields of the wrong type that no check
      // caught; the step fails with what went wrong instead of the run crashing.
      const reason = error instanceof Error ? error.message : String(error);
      return fail(
        'REQUEST_INVALID',
        `cannot build the request from the description of ${operation.method.toUpperCase()} ${operation.path}: ${reason}`,
      );
    }
    const { built } = sent;
    const { request } = built;

    // Poll pacing: a goto back to a step that sends the very same request is a poll.
    const polled = enteredByGoto && previous?.signature === sent.signature;
    state.lastRequest.set(stepId, sent);
    let pacedMs = 0;
    if (polled && this.#pollIntervalMs > 0) {
      const serverAsked = parseRetryAfter(
        state.exchange?.response?.headers['retry-after'],
        Date.now(),
      );
      const delayMs = Math.min(
        Math.max(this.#pollIntervalMs, serverAsked ?? 0),
        Math.max(this.#maxWaitMs, this.#pollIntervalMs),
      );
      this.#emit({
        type: 'poll-wait',
        workflowId,
        stepId,
        iteration: this.#pollIteration(workflowId, stepId),
        delayMs,
      });
      await this.#wait(delayMs);
      pacedMs = delayMs;
    }

    this.#emit({ type: 'request', workflowId, stepId, request });
    let response;
    try {
      response = await this.#transport.send(request, {
        signal: this.#signal,
        timeoutMs: this.#options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
        maxBodyBytes: this.#options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      });
    } catch (error) {
      if (this.#signal.aborted) throw new StopRun(this.#abortError(stepId));
      const exchange: ExchangeView = built.view;
      state.exchange = exchange;
      const context = this.#context(state.compiled, state, exchange, {});
      const code = error instanceof ArazzoError ? error.code : 'HTTP_NETWORK';
      const message = error instanceof Error ? error.message : String(error);
      return {
        success: false,
        context,
        reasons: [message],
        error: { code, message },
        polled,
        pacedMs,
      };
    }
    this.#emit({ type: 'response', workflowId, stepId, request, response });
    const { view } = built;
    const exchange: ExchangeView = {
      url: view.url,
      method: view.method,
      request: view.request,
      response: { statusCode: response.statusCode, headers: response.headers, body: response.body },
    };
    state.exchange = exchange;
    const context = this.#context(state.compiled, state, exchange, {});
    const checked = checkSuccess(step, context, response.statusCode);
    const reasons = checked.reasons;
    // --check-responses: what the description promises; warnings, or failures with strict.
    if (this.#options.checkResponses) {
      for (const issue of checkResponse(operation, response)) {
        this.#emit({ type: 'warning', workflowId, stepId, message: issue.message });
        if (this.#options.strictResponses) reasons.push(issue.message);
      }
    }
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
    return {
      success: reasons.length === 0 && checked.success,
      context,
      reasons,
      polled,
      pacedMs,
      ...(retryAfterMs === undefined
        ? {}
        : { retryAfterMs: Math.min(retryAfterMs, this.#maxWaitMs) }),
    };
  }

  #pollIteration(workflowId: string, stepId: string): number {
    const last = this.#records.at(-1);
    // The poll about to run is the one after those the step's record already counts.
    return last && last.workflowId === workflowId && last.stepId === stepId
      ? last.executions + 1
      : 2;
  }

  async #executeWorkflowStep(
    state: WorkflowState,
    step: CompiledStep,
    depth: number,
    stack: readonly string[],
  ): Promise<StepOutcome> {
    const base = this.#context(state.compiled, state, undefined, {});
    if (step.target.kind !== 'workflow') throw new Error('unreachable');
    // §Parameter Object: for a workflowId step, every parameter maps to an input of the callee.
    const inputs: Record<string, unknown> = {};
    for (const parameter of step.parameters) {
      const { value, unresolved } = evaluateValue(parameter.value, base);
      if (value === undefined && parameter.value.kind === 'expression') continue;
      if (unresolved.length > 0) {
        const message = `parameter "${parameter.name}" could not be evaluated: ${unresolved.join(', ')} has no value`;
        return {
          success: false,
          context: base,
          reasons: [message],
          error: { code: 'VALUE_UNRESOLVED', message },
        };
      }
      setOwn(inputs, parameter.name, value);
    }
    const location = findWorkflow(state.compiled.scope, step.target.workflowId);
    let prepared: Record<string, unknown>;
    try {
      prepared = prepareInputs(location.scope, location.index, inputs);
    } catch (error) {
      const message = `inputs for workflow "${step.target.workflowId}": ${(error as Error).message}`;
      return {
        success: false,
        context: base,
        reasons: [message],
        error: { code: 'INPUT_INVALID', message },
      };
    }
    const callee = await this.#runWorkflow(location, prepared, depth + 1, stack);
    // SPEC-NOTES §4.2: $outputs is the callee's outputs; $statusCode/$response its last exchange.
    const context = this.#context(state.compiled, state, callee.exchange, callee.outputs);
    if (!callee.success) {
      const message = `workflow "${step.target.workflowId}" failed${callee.error ? `: ${callee.error.message}` : ''}`;
      return {
        success: false,
        context,
        reasons: [message],
        error: { code: callee.error?.code ?? 'STEP_FAILED', message },
      };
    }
    const reasons = step.successCriteria.flatMap((criterion) => {
      const result = evaluateCriterion(criterion, context);
      return result.passed ? [] : [result.reason ?? `${criterion.condition} did not hold`];
    });
    return { success: reasons.length === 0, context, reasons };
  }
}

/**
 * §Step Object successCriteria: all must pass. Without any, a step succeeds on a 2xx response
 * (SPEC-NOTES §6.3: HTTP's own meaning of success; a 500 must not count as success).
 */
function checkSuccess(
  step: CompiledStep,
  context: RuntimeContext,
  statusCode: number,
): { success: boolean; reasons: string[] } {
  if (step.successCriteria.length === 0) {
    const ok = statusCode >= 200 && statusCode < 300;
    return {
      success: ok,
      reasons: ok ? [] : [`status ${statusCode} is not 2xx (the step has no successCriteria)`],
    };
  }
  const reasons: string[] = [];
  for (const criterion of step.successCriteria) {
    const result = evaluateCriterion(criterion, context);
    if (!result.passed) reasons.push(result.reason ?? `${criterion.condition} did not hold`);
  }
  return { success: reasons.length === 0, reasons };
}

/** Outputs keep the referenced value's type; one that does not resolve is `null` (the run contract). */
function evaluateOutputs(
  outputs: readonly CompiledOutput[],
  context: RuntimeContext,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const output of outputs)
    setOwn(values, output.name, evaluateExpression(output.expression, context) ?? null);
  return values;
}

function target(action: CompiledAction): { target?: string } {
  const name = action.stepId ?? action.workflowId;
  return name === undefined ? {} : { target: name };
}
