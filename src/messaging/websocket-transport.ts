/**
 * WebSockets (RFC 6455) through the `ws` client (loaded on first use: a run without AsyncAPI
 * steps never loads it). Mapping (README, "AsyncAPI transports"), after the AsyncAPI WebSockets
 * bindings 0.1.0, where "the channel represents the connection":
 *   - channel address → a path appended to the server URL's; each channel is one connection,
 *     opened on its first publish or subscribe and shared by both;
 *   - a message → one frame: a text frame for a string payload, a binary frame for bytes;
 *   - headers → refused: a frame has none, and only the handshake has HTTP headers. A send with
 *     headers is a `BROKER_ERROR` naming them, never a silent loss. The channel binding's
 *     `headers` and `query` (Schema Objects) apply at the handshake, with the values the schema
 *     fixes (`const`, else `default`, else a one-value `enum`); its `method` must be GET
 *     (RFC 6455 §4.1: the opening handshake is a GET);
 *   - content type and correlation id → not carried (a frame has no place for them); a receive
 *     matches correlation where the AsyncAPI message's `correlationId` names it, in the payload;
 *   - publish completes when `ws` has written the frame (its send callback), subscribe once the
 *     connection is open: a frame that arrives after is kept.
 * Credentials: user/password from the options or the URL's user info, as HTTP Basic at the
 * handshake. A refused handshake (401, 404…) or an unreachable server is `BROKER_UNREACHABLE`.
 * No reconnecting: when the server closes a channel's connection, what arrived stays to be taken
 * and the channel's next publish or subscribe opens a new one.
 */
import type { RawData, WebSocket } from 'ws';
import { ArazzoError } from '../errors.js';
import { brokerCredentials } from './credentials.js';
import { displayUrl } from './display-url.js';
import { parsePayload } from './payload.js';
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

type WebSocketClass = typeof WebSocket;

interface Channel {
  /** Open once the handshake succeeded. */
  readonly socket: Promise<WebSocket>;
  /** Its subscriptions, there before the socket opens: a frame sent on opening is kept. */
  readonly inboxes: Set<Inbox>;
}

export async function connectWebSocket(options: ConnectOptions): Promise<MessageTransport> {
  const { WebSocket: client } = await import('ws');
  const { url: base, username: user, password: pass } = brokerCredentials(options);
  const authorization =
    user === undefined && pass === undefined
      ? undefined
      : `Basic ${Buffer.from(`${user ?? ''}:${pass ?? ''}`, 'utf8').toString('base64')}`;
  return new WebSocketTransport(client, base, {
    shown: displayUrl(options.url),
    timeoutMs: options.timeoutMs ?? DEFAULT_CONNECT_MS,
    ...(authorization === undefined ? {} : { authorization }),
  });
}

interface Settings {
  readonly shown: string;
  readonly timeoutMs: number;
  readonly authorization?: string;
}

class WebSocketTransport implements MessageTransport {
  readonly protocol = 'ws';
  readonly #client: WebSocketClass;
  readonly #base: URL;
  readonly #settings: Settings;
  readonly #channels = new Map<string, Channel>();
  readonly #inboxes = new Set<Inbox>();

  constructor(client: WebSocketClass, base: URL, settings: Settings) {
    this.#client = client;
    this.#base = base;
    this.#settings = settings;
  }

  async publish(message: OutgoingMessage): Promise<void> {
    const names = Object.keys(message.headers);
    if (names.length > 0)
      throw new ArazzoError(
        'BROKER_ERROR',
        `WebSocket server ${this.#settings.shown}: cannot send to ${message.channel}: a WebSocket message has no headers (only the handshake has), so ${names.join(', ')} would be lost`,
      );
    const socket = await this.#open(message.channel, message.bindings).socket;
    const binary = typeof message.payload !== 'string';
    await new Promise<void>((resolve, reject) => {
      socket.send(message.payload, { binary }, (error) => {
        if (error === undefined || error === null) resolve();
        else reject(this.#failure('BROKER_ERROR', `could not send to ${message.channel}`, error));
      });
    });
  }

  async subscribe(channel: string, bindings?: ChannelBindings): Promise<Subscription> {
    const { socket, inboxes } = this.#open(channel, bindings);
    const inbox = new Inbox();
    inboxes.add(inbox);
    this.#inboxes.add(inbox);
    try {
      await socket;
    } catch (error) {
      inboxes.delete(inbox);
      this.#inboxes.delete(inbox);
      throw error;
    }
    return {
      take: (matches, timeoutMs, signal) => inbox.take(matches, timeoutMs, signal),
      close: () => {
        inbox.close();
        inboxes.delete(inbox);
        this.#inboxes.delete(inbox);
        return Promise.resolve();
      },
    };
  }

  async close(): Promise<void> {
    for (const inbox of this.#inboxes) inbox.close();
    this.#inboxes.clear();
    const channels = await Promise.allSettled([...this.#channels.values()].map((c) => c.socket));
    this.#channels.clear();
    await Promise.all(
      channels.flatMap((settled) =>
        settled.status === 'fulfilled' ? [closeSocket(settled.value)] : [],
      ),
    );
  }

  /** The channel's connection, opened on first use; a failed opening is retried by the next use. */
  #open(channel: string, bindings: ChannelBindings | undefined): Channel {
    const known = this.#channels.get(channel);
    if (known !== undefined) return known;
    const inboxes = new Set<Inbox>();
    const forget = (): void => {
      if (this.#channels.get(channel) === opened) this.#channels.delete(channel);
    };
    const opened: Channel = { socket: this.#connect(channel, bindings, inboxes, forget), inboxes };
    this.#channels.set(channel, opened);
    opened.socket.catch(forget);
    return opened;
  }

  #connect(
    channel: string,
    bindings: ChannelBindings | undefined,
    inboxes: ReadonlySet<Inbox>,
    onClose: () => void,
  ): Promise<WebSocket> {
    let handshake: Handshake;
    try {
      handshake = handshakeOf(bindings);
    } catch (error) {
      return Promise.reject(this.#failure('BROKER_ERROR', `could not open ${channel}`, error));
    }
    const url = channelUrl(this.#base, channel, handshake.query);
    const headers = { ...handshake.headers };
    if (this.#settings.authorization !== undefined)
      headers['authorization'] = this.#settings.authorization;
    return new Promise((resolve, reject) => {
      const socket = new this.#client(url, {
        handshakeTimeout: this.#settings.timeoutMs,
        followRedirects: false,
        headers,
      });
      socket.once('error', (error) =>
        reject(this.#failure('BROKER_UNREACHABLE', `could not open ${channel}`, error)),
      );
      socket.once('open', () => {
        // Errors after the handshake end the connection ('close' follows); sends report them.
        socket.on('error', () => undefined);
        resolve(socket);
      });
      socket.on('message', (data) => {
        const message = incoming(channel, data);
        for (const inbox of inboxes) inbox.push(message);
      });
      socket.once('close', onClose);
    });
  }

  #failure(code: 'BROKER_ERROR' | 'BROKER_UNREACHABLE', what: string, error: unknown) {
    if (error instanceof ArazzoError) return error;
    return new ArazzoError(
      code,
      `WebSocket server ${this.#settings.shown}: ${what}: ${reason(error, this.#settings.timeoutMs)}`,
      { cause: error },
    );
  }
}

interface Handshake {
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** AsyncAPI WebSockets bindings 0.1.0 §Channel Binding Object: `method`, `query`, `headers`. */
function handshakeOf(bindings: ChannelBindings | undefined): Handshake {
  const ws = bindings?.['ws'];
  if (typeof ws !== 'object' || ws === null) return { query: {}, headers: {} };
  const { method, query, headers } = ws as { method?: unknown; query?: unknown; headers?: unknown };
  if (method !== undefined && (typeof method !== 'string' || method.toUpperCase() !== 'GET'))
    throw new Error(
      `the ws binding's method ${JSON.stringify(method)} is not supported: an RFC 6455 opening handshake is a GET`,
    );
  return { query: fixedValues(query), headers: fixedValues(headers) };
}

/** The values a Schema Object of primitive properties fixes: `const`, `default`, a one-value `enum`. */
function fixedValues(schema: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const properties = (schema as { properties?: unknown } | null | undefined)?.properties;
  if (typeof properties !== 'object' || properties === null) return values;
  for (const [name, property] of Object.entries(properties as Record<string, unknown>)) {
    if (typeof property !== 'object' || property === null) continue;
    const { const: fixed, default: fallback, enum: choices } = property as Record<string, unknown>;
    const value =
      fixed ??
      fallback ??
      (Array.isArray(choices) && choices.length === 1 ? (choices[0] as unknown) : undefined);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      values[name] = String(value);
  }
  return values;
}

/** The server URL's path, then the channel address (its own query, if any, added to the URL's). */
function channelUrl(base: URL, address: string, query: Readonly<Record<string, string>>): URL {
  const url = new URL(base);
  const at = address.indexOf('?');
  const path = at === -1 ? address : address.slice(0, at);
  url.pathname = `${base.pathname.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
  if (at !== -1)
    for (const [name, value] of new URLSearchParams(address.slice(at + 1)))
      url.searchParams.append(name, value);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

function incoming(channel: string, data: RawData): IncomingMessage {
  const bytes = Array.isArray(data)
    ? Buffer.concat(data)
    : Buffer.isBuffer(data)
      ? data
      : Buffer.from(data);
  const payloadText = bytes.toString('utf8');
  // No content type travels: JSON when it parses (as MQTT without one), else the text.
  return { channel, headers: {}, payloadText, payload: parsePayload(payloadText, undefined) };
}

function closeSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1000);
  });
}

function reason(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  const status = /^Unexpected server response: (\d+)$/.exec(message)?.[1];
  if (status !== undefined) return `the handshake was refused with HTTP ${status}`;
  if (message === 'Opening handshake has timed out') return `no handshake within ${timeoutMs} ms`;
  return message.split('\n')[0] ?? message;
}
