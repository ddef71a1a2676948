import { ArazzoError } from '../errors.js';
import type { ExchangeView, RuntimeContext } from '../expressions/context.js';
import { applySecurity, settledSecurity } from '../http/auth/apply-security.js';
import { buildRequest } from '../http/build-request.js';
import { checkResponse } from '../http/check-response.js';
import { requestSignature } from '../http/request-signature.js';
import { selectServer } from '../http/select-server.js';
import type { HttpResponse } from '../http/types.js';
import { NO_SECURITY, type SecurityAdditions } from '../http/auth/types.js';
import { extensionSecurity, overlaySecurity } from '../http/auth/x-security.js';
import { directOperation } from '../http/direct-operation.js';
import { requestMethod, type OperationRef } from '../sources/operations.js';
import type { CompiledStep } from './compile.js';
import type { OperationValues } from './evaluate-request.js';
import { pollDelay, serverDelay } from './pacing.js';
import { pollIteration } from './records.js';
import { sameRequestInputs, type RequestInputs } from './request-inputs.js';
import type { RunResources } from './resources.js';
import type { StepRecord } from './result.js';
import { stepFailure, type SentRequest, type StepOutcome, type WorkflowState } from './state.js';
import { checkSuccess, type Verdict } from './success.js';
import { checkDeadline } from './step-deadline.js';
import type { SendOptions } from '../http/types.js';

/** The context of a step's evaluators, with the exchange it made (if any). */
export type ContextFor = (exchange: ExchangeView | undefined) => RuntimeContext;

/**
 * The request pipeline of an operation step, in its order: the server and the security, the
 * request (built, or the previous one again), the pacing of a poll, the exchange, the verdict
 * (success criteria, the description's contract, `Retry-After`). Only what waits is awaited:
 * a poll costs no more promise turns than it must.
 */
export class OperationStep {
  readonly #run: RunResources;
  readonly #records: readonly StepRecord[];

  constructor(run: RunResources, records: readonly StepRecord[]) {
    this.#run = run;
    this.#records = records;
  }

  async execute(
    state: WorkflowState,
    step: CompiledStep,
    values: OperationValues,
    enteredByGoto: boolean,
    contextFor: ContextFor,
  ): Promise<StepOutcome> {
    const { target } = step;
    if (target.kind === 'workflow' || target.kind === 'message') throw new Error('unreachable');
    const run = this.#run;
    const stepId = step.step.stepId;
    const previous = state.requests.get(stepId);
    // The one place the two kinds differ: an OpenAPI operation has a server and security
    // schemes; an x-operation URL (POSITIONS §12.2) has neither. The rest is one pipeline.
    const { operation, serverUrl: direct } =
      target.kind === 'operation'
        ? { operation: target.operation, serverUrl: undefined }
        : directOperation(values.url ?? '', target.method);
    let sent: SentRequest;
    try {
      let serverUrl: string;
      let security: SecurityAdditions;
      if (direct === undefined) {
        serverUrl = selectServer(
          operation,
          run.options.servers?.[operation.sourceName],
          run.options.serverVariables,
        );
        // Credentials from the source's securitySchemes; a step's own header parameter still wins.
        security =
          settledSecurity(operation, run.credentials) ??
          (await this.#fetchSecurity(state, stepId, operation, serverUrl));
      } else {
        serverUrl = direct;
        security = NO_SECURITY;
      }
      security = this.#extensionSecurity(state, stepId, security, values);
      sent = this.#request(state, step, operation, values, serverUrl, security, previous);
    } catch (error) {
      const { code, message } = this.#unbuildable(error, state, stepId, operation);
      return stepFailure(contextFor(undefined), code, message);
    }
    // Poll pacing: a goto back to a step that sends the very same request is a poll.
    const polled = enteredByGoto && previous?.signature === sent.signature;
    state.requests.set(stepId, sent);
    const retryAfter = state.exchange?.response?.headers['retry-after'];
    const delayMs = polled ? pollDelay(retryAfter, run.clock.now(), run.limits) : undefined;
    const pacedMs = delayMs === undefined ? 0 : await this.#pace(state, stepId, delayMs);
    const { workflowId } = state.compiled.workflow;
    const { request } = sent.built;
    run.emit({ type: 'request', workflowId, stepId, request });
    let response;
    try {
      const options = sendOptions(run, state);
      response = await run.journal.record(`${workflowId}/${stepId}`, () =>
        run.transport.send(request, options),
      );
    } catch (error) {
      checkDeadline(run, state.deadline, stepId);
      const code = error instanceof ArazzoError ? error.code : 'HTTP_NETWORK';
      const message = error instanceof Error ? error.message : String(error);
      state.exchange = sent.built.view;
      const failed = stepFailure(contextFor(state.exchange), code, message);
      return { ...failed, polled, pacedMs };
    }
    run.emit({ type: 'response', workflowId, stepId, request, response });
    const context = contextFor((state.exchange = exchangeOf(sent, response)));
    const verdict = await checkSuccess(step, context, response.statusCode, run.evaluator(stepId));
    return this.#judge(state, step, response, context, verdict, polled, pacedMs);
  }

  /** Security additions that need a token; a token fetched now is announced before any use. */
  #fetchSecurity(
    state: WorkflowState,
    stepId: string,
    operation: OperationRef,
    serverUrl: string,
  ): Promise<SecurityAdditions> {
    const run = this.#run;
    const { workflowId } = state.compiled.workflow;
    return applySecurity(operation, run.credentials, run.tokens, run.transport, {
      signal: state.deadline?.signal ?? run.signal,
      timeoutMs: run.send.timeoutMs,
      serverUrl,
      onToken: (schemeName, value) =>
        run.emit({ type: 'credential', workflowId, stepId, schemeName, value }),
    });
  }

  /**
   * Respect's `x-security` (POSITIONS §12.1) over what `--auth` gave: the document names the
   * credentials for this step. Each value is announced as a credential before any request
   * carries it, so that reports mask it whatever its input's schema says.
   */
  #extensionSecurity(
    state: WorkflowState,
    stepId: string,
    security: SecurityAdditions,
    values: OperationValues,
  ): SecurityAdditions {
    if (values.credentials.length === 0) return security;
    const { additions, secrets } = extensionSecurity(values.credentials);
    const { workflowId } = state.compiled.workflow;
    for (const { label: schemeName, value } of secrets)
      this.#run.emit({ type: 'credential', workflowId, stepId, schemeName, value });
    return overlaySecurity(security, additions);
  }

  /** The request to send: the previous one again when its inputs are the same. */
  #request(
    state: WorkflowState,
    step: CompiledStep,
    operation: OperationRef,
    values: OperationValues,
    serverUrl: string,
    security: SecurityAdditions,
    previous: SentRequest | undefined,
  ): SentRequest {
    const { parameters, body } = values;
    const inputs: RequestInputs = { serverUrl, parameters, body, security };
    if (previous !== undefined && sameRequestInputs(previous.inputs, inputs)) return previous;
    const headers = this.#run.options.headers;
    const built = buildRequest({
      operation,
      serverUrl,
      parameters,
      security,
      ...(step.target.kind === 'url' ? { undescribed: true } : {}),
      ...(headers === undefined ? {} : { defaultHeaders: headers }),
      ...(body === undefined ? {} : { body }),
    });
    const { workflowId } = state.compiled.workflow;
    const stepId = step.step.stepId;
    for (const message of built.warnings)
      this.#run.emit({ type: 'warning', workflowId, stepId, message });
    return { inputs, built, signature: requestSignature(built.request) };
  }

  /** Why a request could not be prepared; a stopped run (or a passed deadline) unwinds instead. */
  #unbuildable(
    error: unknown,
    state: WorkflowState,
    stepId: string,
    operation: OperationRef,
  ): Pick<ArazzoError, 'code' | 'message'> {
    checkDeadline(this.#run, state.deadline, stepId);
    if (error instanceof ArazzoError) return error;
    // Other people's OpenAPI documents can hold fields of the wrong type that no check
    // caught; the step fails with what went wrong instead of the run crashing.
    const reason = error instanceof Error ? error.message : String(error);
    const message = `cannot build the request from the description of ${requestMethod(operation)} ${operation.path}: ${reason}`;
    return { code: 'REQUEST_INVALID', message };
  }

  /** Waits before a poll; the wait does not count as the step's duration. */
  async #pace(state: WorkflowState, stepId: string, delayMs: number): Promise<number> {
    const { workflowId } = state.compiled.workflow;
    const iteration = pollIteration(this.#records.at(-1), workflowId, stepId);
    this.#run.emit({ type: 'poll-wait', workflowId, stepId, iteration, delayMs });
    await this.#run.wait(delayMs, state.deadline);
    return delayMs;
  }

  /** The step's outcome: its verdict, the description's contract, the response's Retry-After. */
  #judge(
    state: WorkflowState,
    step: CompiledStep,
    response: HttpResponse,
    context: RuntimeContext,
    verdict: Verdict,
    polled: boolean,
    pacedMs: number,
  ): StepOutcome {
    const run = this.#run;
    const { reasons } = verdict;
    // --check-responses: what the description promises; warnings, or failures with strict.
    if (run.options.checkResponses && step.target.kind === 'operation') {
      const { workflowId } = state.compiled.workflow;
      const stepId = step.step.stepId;
      for (const issue of checkResponse(step.target.operation, response)) {
        run.emit({ type: 'warning', workflowId, stepId, message: issue.message });
        if (run.options.strictResponses) reasons.push(issue.message);
      }
    }
    const retryAfterMs = serverDelay(response.headers['retry-after'], run.clock.now(), run.limits);
    const success = reasons.length === 0 && verdict.success;
    return retryAfterMs === undefined
      ? { success, context, reasons, polled, pacedMs }
      : { success, context, reasons, retryAfterMs, polled, pacedMs };
  }
}

/** The run's request options, bounded by the deadline of a step with a `timeout` when one runs. */
function sendOptions(run: RunResources, state: WorkflowState): SendOptions {
  const { deadline } = state;
  return deadline === undefined ? run.send : { ...run.send, signal: deadline.signal };
}

/** The exchange `$statusCode`, `$response.*` and `$request.*` read after a response. */
function exchangeOf(sent: SentRequest, response: HttpResponse): ExchangeView {
  const { view } = sent.built;
  const { statusCode, headers, body } = response;
  return {
    url: view.url,
    method: view.method,
    request: view.request,
    response: { statusCode, headers, body },
  };
}
