import { ArazzoError } from '../errors.js';
import type { ExchangeView, RuntimeContext } from '../expressions/context.js';
import { applySecurity, settledSecurity } from '../http/auth/apply-security.js';
import { buildRequest } from '../http/build-request.js';
import { checkResponse } from '../http/check-response.js';
import { requestSignature } from '../http/request-signature.js';
import { selectServer } from '../http/select-server.js';
import type { HttpResponse } from '../http/types.js';
import type { OperationRef } from '../sources/operations.js';
import type { CompiledStep } from './compile.js';
import type { OperationValues } from './evaluate-request.js';
import { pollDelay, serverDelay } from './pacing.js';
import { pollIteration } from './records.js';
import { sameRequestInputs, type RequestInputs } from './request-inputs.js';
import { StopRun, type RunResources } from './resources.js';
import type { StepRecord } from './result.js';
import { stepFailure, type SentRequest, type StepOutcome, type WorkflowState } from './state.js';
import { checkSuccess } from './success.js';

/** The context of a step's evaluators, with the exchange it made (if any). */
export type ContextFor = (exchange: ExchangeView | undefined) => RuntimeContext;

/**
 * The request pipeline of an operation step, in its order: prepare (server, security, build or
 * reuse the request), pace a poll, send, judge the response (success criteria, the
 * description's contract, `Retry-After`).
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
    if (step.target.kind !== 'operation') throw new Error('unreachable');
    const { operation } = step.target;
    const stepId = step.step.stepId;
    const previous = state.requests.get(stepId);
    const sent = await this.#prepare(state, step, operation, values, previous);
    if (!('built' in sent)) return stepFailure(contextFor(undefined), sent.code, sent.message);
    // Poll pacing: a goto back to a step that sends the very same request is a poll.
    const polled = enteredByGoto && previous?.signature === sent.signature;
    state.requests.set(stepId, sent);
    const pacedMs = polled ? await this.#pace(state, stepId) : 0;
    const response = await this.#send(state, stepId, sent);
    if (!('statusCode' in response)) {
      state.exchange = sent.built.view;
      const { code, message } = response;
      return { ...stepFailure(contextFor(state.exchange), code, message), polled, pacedMs };
    }
    const outcome = await this.#judge(state, step, operation, sent, response, contextFor);
    return { ...outcome, polled, pacedMs };
  }

  /** The request to send: the previous one again when its inputs are the same. */
  async #prepare(
    state: WorkflowState,
    step: CompiledStep,
    operation: OperationRef,
    values: OperationValues,
    previous: SentRequest | undefined,
  ): Promise<SentRequest | Pick<ArazzoError, 'code' | 'message'>> {
    const run = this.#run;
    const { parameters, body } = values;
    try {
      const serverUrl = selectServer(
        operation,
        run.options.servers?.[operation.sourceName],
        run.options.serverVariables,
      );
      // Credentials from the source's securitySchemes; a step's own header parameter still wins.
      const security =
        settledSecurity(operation, run.credentials) ??
        (await applySecurity(operation, run.credentials, run.tokens, run.transport, {
          signal: run.signal,
          timeoutMs: run.send.timeoutMs,
          serverUrl,
        }));
      const inputs: RequestInputs = { serverUrl, parameters, body, security };
      if (previous !== undefined && sameRequestInputs(previous.inputs, inputs)) return previous;
      const headers = run.options.headers;
      const built = buildRequest({
        operation,
        serverUrl,
        parameters,
        security,
        ...(headers === undefined ? {} : { defaultHeaders: headers }),
        ...(body === undefined ? {} : { body }),
      });
      const { workflowId } = state.compiled.workflow;
      const stepId = step.step.stepId;
      for (const message of built.warnings)
        run.emit({ type: 'warning', workflowId, stepId, message });
      return { inputs, built, signature: requestSignature(built.request) };
    } catch (error) {
      run.checkStopped(step.step.stepId);
      if (error instanceof ArazzoError) return error;
      // Other people's OpenAPI documents can hold fields of the wrong type that no check
      // caught; the step fails with what went wrong instead of the run crashing.
      const reason = error instanceof Error ? error.message : String(error);
      const message = `cannot build the request from the description of ${operation.method.toUpperCase()} ${operation.path}: ${reason}`;
      return { code: 'REQUEST_INVALID', message };
    }
  }

  /** Waits before a poll; returns how long, which does not count as the step's duration. */
  async #pace(state: WorkflowState, stepId: string): Promise<number> {
    const run = this.#run;
    const retryAfter = state.exchange?.response?.headers['retry-after'];
    const delayMs = pollDelay(retryAfter, run.clock.now(), run.limits);
    if (delayMs === undefined) return 0;
    const { workflowId } = state.compiled.workflow;
    const iteration = pollIteration(this.#records.at(-1), workflowId, stepId);
    run.emit({ type: 'poll-wait', workflowId, stepId, iteration, delayMs });
    await run.wait(delayMs);
    return delayMs;
  }

  async #send(
    state: WorkflowState,
    stepId: string,
    sent: SentRequest,
  ): Promise<HttpResponse | Pick<ArazzoError, 'code' | 'message'>> {
    const run = this.#run;
    const { workflowId } = state.compiled.workflow;
    const { request } = sent.built;
    run.emit({ type: 'request', workflowId, stepId, request });
    let response;
    try {
      response = await run.transport.send(request, run.send);
    } catch (error) {
      if (run.signal.aborted) throw new StopRun(run.stopError(stepId));
      const code = error instanceof ArazzoError ? error.code : 'HTTP_NETWORK';
      const message = error instanceof Error ? error.message : String(error);
      return { code, message };
    }
    run.emit({ type: 'response', workflowId, stepId, request, response });
    return response;
  }

  async #judge(
    state: WorkflowState,
    step: CompiledStep,
    operation: OperationRef,
    sent: SentRequest,
    response: HttpResponse,
    contextFor: ContextFor,
  ): Promise<StepOutcome> {
    const run = this.#run;
    const { view } = sent.built;
    const { statusCode, headers } = response;
    const exchange: ExchangeView = {
      url: view.url,
      method: view.method,
      request: view.request,
      response: { statusCode, headers, body: response.body },
    };
    state.exchange = exchange;
    const context = contextFor(exchange);
    const { success, reasons } = await checkSuccess(step, context, statusCode);
    // --check-responses: what the description promises; warnings, or failures with strict.
    if (run.options.checkResponses) {
      const { workflowId } = state.compiled.workflow;
      const stepId = step.step.stepId;
      for (const issue of checkResponse(operation, response)) {
        run.emit({ type: 'warning', workflowId, stepId, message: issue.message });
        if (run.options.strictResponses) reasons.push(issue.message);
      }
    }
    const retryAfterMs = serverDelay(headers['retry-after'], run.clock.now(), run.limits);
    return {
      success: reasons.length === 0 && success,
      context,
      reasons,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
}
