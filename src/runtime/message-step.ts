import { ArazzoError } from '../errors.js';
import type { MessageView, RuntimeContext } from '../expressions/context.js';
import type { EvaluatedParameter } from '../http/build-request.js';
import { checkPayload, displayUrl } from '../messaging/index.js';
import type { AsyncOperationRef, AsyncServerRef } from '../sources/asyncapi-operation.js';
import { brokerLogin, type BrokerLogin } from './broker-auth.js';
import type { RunEvent } from './events.js';
import type { CompiledStep } from './compile.js';
import { evaluateRequest, type OperationValues } from './evaluate-request.js';
import type { RunResources } from './resources.js';
import {
  contextOf,
  stepFailure,
  type RunState,
  type StepOutcome,
  type WorkflowState,
} from './state.js';
import { StepTimedOut } from './step-deadline.js';
import { checkSuccess } from './success.js';
import { correlationOf, outgoing, text } from './message-values.js';
import { evaluateValue } from '../expressions/index.js';

/** How long a receive step without a `timeout` waits for its message (POSITIONS §11.11). */
export const DEFAULT_RECEIVE_TIMEOUT_MS = 30_000;

/** AsyncAPI §Server Object `protocol` → the URL scheme of a transport this runner has. */
const SCHEMES: Readonly<Record<string, string>> = {
  mqtt: 'mqtt',
  mqtt5: 'mqtt',
  mqtts: 'mqtts',
  'secure-mqtt': 'mqtts',
  amqp: 'amqp',
  amqps: 'amqps',
  nats: 'nats',
  ws: 'ws',
  wss: 'wss',
};

type Target = Extract<CompiledStep['target'], { kind: 'message' }>;

/**
 * An Arazzo 1.1 AsyncAPI step (§Step Object `action: send | receive`; POSITIONS §11.11): the
 * server and channel address, then a publish (complete once the broker accepted it) or a take
 * from the run's subscription of the channel (the first message whose correlation value is the
 * step's `correlationId`), then the success criteria with `$message` bound.
 */
export class MessageStep {
  readonly #run: RunResources;
  readonly #state: RunState;

  constructor(run: RunResources, state: RunState) {
    this.#run = run;
    this.#state = state;
  }

  /**
   * Subscribes every receive step's channel of a workflow before its first step runs, so that a
   * reply published while an earlier step is still sending is kept. A step whose address needs
   * values of earlier steps, or whose broker fails here, subscribes (and says why) at its turn.
   */
  async subscribeAhead(state: WorkflowState): Promise<void> {
    const base = contextOf(this.#state, state, undefined, {});
    for (const step of state.compiled.steps) {
      const { target } = step;
      if (target.kind !== 'message' || target.action !== 'receive') continue;
      const values = evaluateRequest(step, base);
      if (values.kind !== 'operation') continue;
      const where = this.#where(target.operation, values.parameters);
      if (typeof where === 'string') continue;
      await this.#run.brokers
        .subscription(where.url, where.channel, target.operation.bindings, where.login)
        .catch(() => undefined);
    }
  }

  async execute(
    state: WorkflowState,
    step: CompiledStep,
    values: OperationValues,
    base: RuntimeContext,
  ): Promise<StepOutcome> {
    const target = step.target as Target;
    const where = this.#where(target.operation, values.parameters);
    if (typeof where === 'string') {
      const written = { channel: target.operation.address ?? '', action: target.action };
      return { ...stepFailure(base, 'REQUEST_INVALID', where), ...written };
    }
    const { url, channel, login } = where;
    const shown = { channel, action: target.action };
    const correlation = this.#correlationId(target, base);
    if (typeof correlation === 'object')
      return { ...stepFailure(base, correlation.code, correlation.message), ...shown };
    try {
      if (target.action === 'send') {
        const message = outgoing(step, target.operation, values);
        if ('problem' in message)
          return { ...stepFailure(base, 'REQUEST_INVALID', message.problem), ...shown };
        const sending = { ...base, message: message.view };
        // --check-responses: the payload as built; with --strict a mismatch is not sent.
        const broken = this.#checkPayload(
          state,
          step,
          target,
          'sent',
          message.view.payload,
          message.contentType,
        );
        if (broken.length > 0)
          return { success: false, context: sending, reasons: broken, ...shown };
        const transport = await this.#run.brokers.transport(url, login);
        const sent = {
          channel,
          headers: message.headers,
          payload: message.text,
          ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
          ...(correlation === undefined ? {} : { correlationId: correlation }),
        };
        await transport.publish({ ...sent, bindings: target.operation.bindings });
        this.#emitMessage(state, step, 'send', url, sent);
        return await this.#verdict(step, sending, shown);
      }
      const subscription = await this.#run.brokers.subscription(
        url,
        channel,
        target.operation.bindings,
        login,
      );
      const timeoutMs = step.timeoutMs ?? DEFAULT_RECEIVE_TIMEOUT_MS;
      const deadline = state.deadline;
      // With its own `timeout`, the step's deadline ends the wait (step-runner.ts #performWithin).
      const own = deadline !== undefined && deadline.stepId === step.step.stepId;
      const received = await subscription.take(
        (message) =>
          correlation === undefined ||
          correlationOf(target.operation, message).includes(correlation),
        own ? timeoutMs + 1000 : timeoutMs,
        deadline?.signal ?? this.#run.signal,
      );
      this.#run.checkStopped(step.step.stepId);
      const which =
        correlation === undefined ? 'no message' : `no message with correlationId "${correlation}"`;
      const reason = `${which} arrived on channel "${channel}" within ${timeoutMs} ms`;
      if (deadline?.signal.aborted) throw new StepTimedOut(deadline, own ? reason : undefined);
      if (received === undefined) return { ...stepFailure(base, 'STEP_TIMEOUT', reason), ...shown };
      this.#emitMessage(state, step, 'receive', url, {
        ...received,
        payload: received.payloadText,
      });
      const view: MessageView = { headers: received.headers, payload: received.payload };
      const broken = this.#checkPayload(
        state,
        step,
        target,
        'received',
        received.payloadText,
        received.contentType ?? target.operation.messages[0]?.contentType,
      );
      const verdict = await this.#verdict(step, { ...base, message: view }, shown);
      return broken.length === 0
        ? verdict
        : { ...verdict, success: false, reasons: [...verdict.reasons, ...broken] };
    } catch (error) {
      if (!(error instanceof ArazzoError)) throw error;
      return { ...stepFailure(base, error.code, error.message), ...shown };
    }
  }

  #emitMessage(
    state: WorkflowState,
    step: CompiledStep,
    action: 'send' | 'receive',
    url: string,
    message: Pick<
      Extract<RunEvent, { type: 'message' }>,
      'channel' | 'headers' | 'payload' | 'contentType' | 'correlationId'
    >,
  ): void {
    this.#run.emit({
      type: 'message',
      workflowId: state.compiled.workflow.workflowId,
      stepId: step.step.stepId,
      action,
      server: displayUrl(url),
      channel: message.channel,
      headers: message.headers,
      payload: message.payload,
      ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    });
  }

  async #verdict(
    step: CompiledStep,
    context: RuntimeContext,
    shown: { channel: string; action: 'send' | 'receive' },
  ): Promise<StepOutcome> {
    const evaluate = this.#run.evaluator(step.step.stepId);
    const { success, reasons } = await checkSuccess(step, context, undefined, evaluate);
    return { success, context, reasons, ...shown };
  }

  /**
   * `--check-responses` for messages (POSITIONS §11.11): each issue is a warning; with `--strict`
   * the `schema` ones are returned, as reasons that fail the step (as for HTTP responses,
   * operation-step.ts). A payload that could not be judged (not JSON Schema) only warns.
   */
  #checkPayload(
    state: WorkflowState,
    step: CompiledStep,
    target: Target,
    direction: 'sent' | 'received',
    payload: unknown,
    contentType: string | undefined,
  ): string[] {
    const run = this.#run;
    if (!run.options.checkResponses) return [];
    const { workflowId } = state.compiled.workflow;
    const { stepId } = step.step;
    const reasons: string[] = [];
    for (const issue of checkPayload(target.operation, direction, payload, contentType)) {
      run.emit({ type: 'warning', workflowId, stepId, message: issue.message });
      if (run.options.strictResponses && issue.kind === 'schema') reasons.push(issue.message);
    }
    return reasons;
  }

  /** The step's `correlationId`, as text; undefined when it has none. */
  #correlationId(
    target: Target,
    context: RuntimeContext,
  ): string | undefined | { code: 'VALUE_UNRESOLVED'; message: string } {
    if (target.correlationId === undefined) return undefined;
    const { value, unresolved } = evaluateValue(target.correlationId, context);
    if (unresolved.length > 0 || value === undefined || value === null)
      return {
        code: 'VALUE_UNRESOLVED',
        message: `correlationId could not be evaluated: ${unresolved.join(', ') || 'it'} has no value`,
      };
    return text(value);
  }

  /**
   * The server URL (`--server` first), the login its security schemes take from `--auth`, and
   * the channel address with its parameters; or why not.
   */
  #where(
    operation: AsyncOperationRef,
    parameters: readonly EvaluatedParameter[],
  ): { url: string; channel: string; login: BrokerLogin | undefined } | string {
    const chosen = this.#server(operation);
    if ('problem' in chosen) return chosen.problem;
    const { url } = chosen;
    const login = brokerLogin(operation.sourceName, chosen.server, this.#run.credentials);
    if (typeof login === 'string') return login;
    const address = operation.address ?? '';
    let problem: string | undefined;
    const channel = address.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      // Arazzo 1.1 has no `in` for channel parameters: `in: path` names them (POSITIONS §11.11).
      const given = parameters.findLast((p) => p.in === 'path' && p.name === name);
      const declared = operation.parameters.get(name);
      const value = given === undefined ? declared?.default : text(given.value);
      if (value === undefined) {
        problem ??= `channel "${operation.channelKey}" (address ${address}) needs parameter "${name}": give it as a step parameter with in: path`;
        return whole;
      }
      if (declared?.enum !== undefined && !declared.enum.includes(value))
        problem ??= `channel parameter "${name}" is "${value}", not one of ${declared.enum.join(', ')}`;
      return value;
    });
    return problem ?? { url, channel, login };
  }

  /**
   * The server: the first of the channel's with a transport. `--server` replaces its URL; its
   * security schemes still say which `--auth` credential applies.
   */
  #server(
    operation: AsyncOperationRef,
  ): { url: string; server: AsyncServerRef | undefined } | { problem: string } {
    const { sourceName } = operation;
    const usable = operation.servers.find(
      (server) => SCHEMES[server.protocol.toLowerCase()] !== undefined,
    );
    const override = this.#run.options.servers?.[sourceName];
    if (override !== undefined) return { url: override, server: usable ?? operation.servers[0] };
    if (usable !== undefined) {
      const scheme = SCHEMES[usable.protocol.toLowerCase()] ?? '';
      return { url: usable.url.replace(/^[^:]*:/, `${scheme}:`), server: usable };
    }
    const protocols = [...new Set(operation.servers.map((server) => server.protocol))];
    const give = `give one with --server ${sourceName}=<url>`;
    if (protocols.length === 0)
      return {
        problem: `AsyncAPI source "${sourceName}" has no server for channel "${operation.channelKey}"; ${give}`,
      };
    return {
      problem: `AsyncAPI source "${sourceName}" has servers for ${protocols.join(', ')} only: ${protocols.join(', ')} ${protocols.length === 1 ? 'is' : 'are'} not supported yet (supported: mqtt, amqp, nats, ws); ${give}`,
    };
  }
}
