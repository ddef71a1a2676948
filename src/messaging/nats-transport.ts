/**
 * Core NATS through `@nats-io/transport-node` (loaded on first use: a run without AsyncAPI steps
 * never loads it). Mapping (README, "AsyncAPI transports"):
 *   - channel address → subject (AsyncAPI 3.0 §Channel Object `address`);
 *   - headers → NATS message headers (a repeated header: the last value); headers need a server
 *     that announces them (NATS 2.2+), else a send with headers is refused rather than stripped;
 *   - content type → a `content-type` header (it replaces a `content-type` the headers hold, in
 *     any case); on receipt it becomes `contentType` and leaves the headers;
 *   - correlation id → not mapped. The NATS bindings (0.1.0) define nothing but an operation's
 *     `queue`, and NATS's own request/reply correlates by reply subject, not by a property; there
 *     is no convention to follow. AsyncAPI 3.0 §Correlation ID Object names where the id lives
 *     (`$message.header#/…` or `$message.payload#/…`), so it is matched there, in the headers or
 *     the payload the message carries anyway; `IncomingMessage.correlationId` stays unset.
 *   - an operation's `bindings.nats.queue` → the subscription's queue group.
 * Core NATS publishing is fire-and-forget: "accepted" means a PING/PONG round trip (`flush`)
 * after the PUB, by which the server has processed it and reported any permission violation.
 * `subscribe` flushes too, so the server holds the interest before it resolves.
 * Credentials: user/password from the options or the URL's user info; a URL with a user and no
 * password carries a token (`nats://s3cr3t@host`), as the NATS CLI and nats.go read it.
 * No reconnecting: a server that goes away fails the step that needs it, with one line.
 */
import type {
  Msg,
  MsgHdrs,
  NatsConnection,
  Subscription as NatsSubscription,
} from '@nats-io/transport-node';
import { ArazzoError } from '../errors.js';
import { brokerCredentials } from './credentials.js';
import { parsePayload } from './payload.js';
import { displayUrl } from './display-url.js';
import { Inbox } from './inbox.js';
import type {
  ChannelBindings,
  ConnectOptions,
  IncomingMessage,
  MessageTransport,
  OutgoingMessage,
  Subscription,
} from './types.js';

const DEFAULT_CONNECT_MS = 5000;
const CONTENT_TYPE = 'content-type';

export async function connectNats(options: ConnectOptions): Promise<MessageTransport> {
  const nats = await import('@nats-io/transport-node');
  const { url, username: user, password: pass } = brokerCredentials(options);
  const token = pass === undefined && options.username === undefined ? user : undefined;
  const secrets = [pass, token].filter((s): s is string => s !== undefined && s !== '');
  const shown = displayUrl(options.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_MS;
  let connection: NatsConnection;
  try {
    connection = await nats.connect({
      servers: url.host,
      name: 'arazzo',
      timeout: timeoutMs,
      reconnect: false,
      maxReconnectAttempts: 0,
      ...(token !== undefined
        ? { token }
        : { ...(user === undefined ? {} : { user }), ...(pass === undefined ? {} : { pass }) }),
    });
  } catch (error) {
    throw new ArazzoError(
      'BROKER_UNREACHABLE',
      `NATS server ${shown}: ${reason(error, secrets, timeoutMs)}`,
      { cause: error },
    );
  }
  return new NatsTransport(connection, shown, secrets, nats.headers);
}

class NatsTransport implements MessageTransport {
  readonly protocol = 'nats';
  readonly #nc: NatsConnection;
  readonly #shown: string;
  readonly #secrets: readonly string[];
  readonly #headers: () => MsgHdrs;
  readonly #inboxes = new Set<Inbox>();
  /** Subjects the server refused a PUB on (its -ERR arrives as a status, not on the publish). */
  readonly #refused: string[] = [];

  constructor(
    nc: NatsConnection,
    shown: string,
    secrets: readonly string[],
    headers: () => MsgHdrs,
  ) {
    this.#nc = nc;
    this.#shown = shown;
    this.#secrets = secrets;
    this.#headers = headers;
    void this.#watch();
  }

  async #watch(): Promise<void> {
    try {
      for await (const status of this.#nc.status()) {
        if (status.type !== 'error') continue;
        const error = status.error as { operation?: unknown; subject?: unknown };
        if (error.operation === 'publish' && typeof error.subject === 'string')
          this.#refused.push(error.subject);
      }
    } catch {
      // The status stream ends with the connection; nothing to report from here.
    }
  }

  async publish(message: OutgoingMessage): Promise<void> {
    const names = Object.keys(message.headers);
    if ((names.length > 0 || message.contentType !== undefined) && this.#nc.info?.headers !== true)
      throw new ArazzoError(
        'BROKER_ERROR',
        `NATS server ${this.#shown}: could not publish to ${message.channel}: the server does not support headers (NATS 2.2+), needed for ${[...names, ...(message.contentType === undefined ? [] : [CONTENT_TYPE])].join(', ')}`,
      );
    const before = this.#refused.length;
    try {
      const headers = this.#headers();
      for (const [name, value] of Object.entries(message.headers))
        if (message.contentType === undefined || name.toLowerCase() !== CONTENT_TYPE)
          headers.set(name, value);
      if (message.contentType !== undefined) headers.set(CONTENT_TYPE, message.contentType);
      this.#nc.publish(
        message.channel,
        message.payload,
        names.length > 0 || message.contentType !== undefined ? { headers } : {},
      );
      await this.#nc.flush();
      // The server's -ERR for the PUB precedes the PONG; let the status stream deliver it.
      await new Promise((resolve) => setImmediate(resolve));
    } catch (error) {
      throw this.#failure(`could not publish to ${message.channel}`, error);
    }
    if (this.#refused.slice(before).includes(message.channel))
      throw new ArazzoError(
        'BROKER_ERROR',
        `NATS server ${this.#shown}: could not publish to ${message.channel}: permissions violation`,
      );
  }

  async subscribe(channel: string, bindings?: ChannelBindings): Promise<Subscription> {
    const queue = queueOf(bindings);
    const inbox = new Inbox();
    let refusal: Error | undefined;
    let subscription: NatsSubscription;
    try {
      subscription = this.#nc.subscribe(channel, {
        ...(queue === undefined ? {} : { queue }),
        callback: (error, msg) => {
          if (error !== null) refusal = error;
          else inbox.push(incoming(msg));
        },
      });
      await this.#nc.flush();
      await new Promise((resolve) => setImmediate(resolve));
    } catch (error) {
      throw this.#failure(`could not subscribe to ${channel}`, error);
    }
    if (refusal !== undefined) throw this.#failure(`could not subscribe to ${channel}`, refusal);
    this.#inboxes.add(inbox);
    return {
      take: (matches, timeoutMs, signal) => inbox.take(matches, timeoutMs, signal),
      close: () => {
        inbox.close();
        this.#inboxes.delete(inbox);
        if (!subscription.isClosed()) subscription.unsubscribe();
        return Promise.resolve();
      },
    };
  }

  async close(): Promise<void> {
    for (const inbox of this.#inboxes) inbox.close();
    this.#inboxes.clear();
    if (this.#nc.isClosed()) return;
    await this.#nc.drain().catch(() => this.#nc.close());
  }

  #failure(what: string, error: unknown): ArazzoError {
    const code = this.#nc.isClosed() ? 'BROKER_UNREACHABLE' : 'BROKER_ERROR';
    return new ArazzoError(
      code,
      `NATS server ${this.#shown}: ${what}: ${reason(error, this.#secrets)}`,
      { cause: error },
    );
  }
}

/** AsyncAPI NATS bindings 0.1.0 §Operation Binding Object: `queue`, a queue group. */
function queueOf(bindings: ChannelBindings | undefined): string | undefined {
  const nats = bindings?.['nats'];
  if (typeof nats !== 'object' || nats === null) return undefined;
  const queue = (nats as { queue?: unknown }).queue;
  return typeof queue === 'string' && queue !== '' ? queue : undefined;
}

function incoming(msg: Msg): IncomingMessage {
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  for (const [name, values] of msg.headers ?? []) {
    const value = values.at(-1) ?? '';
    if (name.toLowerCase() === CONTENT_TYPE) contentType = value;
    else headers[name] = value;
  }
  const payloadText = Buffer.from(msg.data).toString('utf8');
  const payload = parsePayload(payloadText, contentType);
  return {
    channel: msg.subject,
    headers,
    payloadText,
    payload,
    ...(contentType === undefined ? {} : { contentType }),
  };
}

/** The library's error as one line, with any secret masked (the library's texts hold none). */
function reason(error: unknown, secrets: readonly string[], timeoutMs?: number): string {
  const name = error instanceof Error ? error.name : '';
  let text = error instanceof Error ? error.message : String(error);
  if (name === 'TimeoutError' && timeoutMs !== undefined) text = `no answer within ${timeoutMs} ms`;
  if (name === 'AuthorizationError') text = 'authorization violation (credentials refused)';
  text = text.split('\n')[0] ?? text;
  for (const secret of secrets) text = text.split(secret).join('***');
  return text;
}
