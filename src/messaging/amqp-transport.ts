/**
 * AMQP 0-9-1 through `amqplib` (loaded on first use: a run without AsyncAPI steps never loads
 * it). Mapping (README, "AsyncAPI transports"):
 *   - channel address + the channel's `amqp` binding (AsyncAPI bindings amqp 0.3.0) → an
 *     exchange and routing key, or a queue: amqp-bindings.ts;
 *   - headers → the message's `headers` table (strings; received non-string values as text);
 *   - content type → the `content-type` property; correlation id → the `correlation-id`
 *     property, both ways;
 *   - send completes on the broker's publisher confirm (a confirm channel's basic.ack); a nack or
 *     the broker closing the channel (e.g. 404, no such exchange) fails it;
 *   - receive consumes with automatic acknowledgement; what arrives waits in the Inbox;
 *   - credentials: `options.username`/`password`, else the URL's user info (else amqplib's
 *     guest/guest); the vhost is the URL's path (amqplib reads it).
 * No reconnecting: a broker that goes away fails the step that needs it, with one line.
 */
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { ArazzoError } from '../errors.js';
import { brokerCredentials } from './credentials.js';
import { parsePayload } from './payload.js';
import { amqpRoute, type AmqpRoute } from './amqp-bindings.js';
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

export async function connectAmqp(options: ConnectOptions): Promise<MessageTransport> {
  const amqp = await import('amqplib');
  const { url, username, password } = brokerCredentials(options);
  const vhost = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : '/';
  const shown = displayUrl(options.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_MS;
  const scrub = scrubber(password);
  const attempt = amqp.connect(url.toString(), {
    // amqplib's timeout is the socket's idle time; the race below bounds the whole handshake.
    timeout: timeoutMs,
    ...(username === undefined && password === undefined
      ? {}
      : { credentials: amqp.credentials.plain(username ?? '', password ?? '') }),
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('connect ETIMEDOUT')), timeoutMs);
  });
  let model: ChannelModel;
  try {
    model = await Promise.race([attempt, late]);
  } catch (error) {
    // A handshake that completes after the bound is closed at once, never left open.
    attempt.then((opened) => opened.close()).catch(() => undefined);
    throw new ArazzoError(
      'BROKER_UNREACHABLE',
      `AMQP broker ${shown}: ${scrub(connectReason(error, timeoutMs, vhost))}`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
  return new AmqpTransport(model, shown, vhost, scrub);
}

/** What the broker said when it closed a channel; its 'close' callbacks only say "closed". */
const channelErrors = new WeakMap<Channel, Error>();

function watch<C extends Channel>(channel: C): C {
  // amqplib emits 'error' when the broker closes a channel: kept for the message, never unhandled.
  channel.on('error', (error: Error) => channelErrors.set(channel, error));
  return channel;
}

class AmqpTransport implements MessageTransport {
  readonly protocol = 'amqp';
  readonly #model: ChannelModel;
  readonly #shown: string;
  readonly #vhost: string;
  readonly #scrub: (text: string) => string;
  /** The confirm channel sends go through, opened again after the broker closed it. */
  #publisher: Promise<ConfirmChannel> | undefined;
  /** Routes whose queue or exchange this connection declared or checked for sending. */
  readonly #prepared = new Set<string>();
  readonly #inboxes = new Set<Inbox>();
  /** Why the connection ended, when it did without `close()`. */
  #lost: Error | undefined;
  #closing = false;

  constructor(model: ChannelModel, shown: string, vhost: string, scrub: (t: string) => string) {
    this.#model = model;
    this.#shown = shown;
    this.#vhost = vhost;
    this.#scrub = scrub;
    model.on('error', (error: Error) => {
      this.#lost ??= error;
    });
    model.on('close', (error?: Error) => {
      if (!this.#closing) this.#lost ??= error ?? new Error('the connection was closed');
    });
  }

  async publish(message: OutgoingMessage): Promise<void> {
    const route = amqpRoute(message.channel, message.bindings, this.#vhost);
    this.#ensureOpen(`could not publish to ${describe(route)}`);
    const content =
      typeof message.payload === 'string'
        ? Buffer.from(message.payload, 'utf8')
        : Buffer.from(message.payload);
    const properties: Options.Publish = {
      headers: { ...message.headers },
      ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    };
    let channel: ConfirmChannel | undefined;
    try {
      channel = await this.#publisherChannel();
      await this.#prepareSend(channel, route);
      const [exchange, routingKey] =
        route.kind === 'queue' ? ['', route.queue] : [route.exchange, route.routingKey];
      const sending = channel;
      await new Promise<void>((resolve, reject) => {
        sending.publish(exchange, routingKey, content, properties, (error: unknown) =>
          error === null || error === undefined
            ? resolve()
            : reject(error instanceof Error ? error : new Error('the broker did not confirm it')),
        );
      });
    } catch (error) {
      throw this.#failure(`could not publish to ${describe(route)}`, error, channel);
    }
  }

  async subscribe(address: string, bindings?: ChannelBindings): Promise<Subscription> {
    const route = amqpRoute(address, bindings, this.#vhost);
    this.#ensureOpen(`could not subscribe to ${describe(route)}`);
    const inbox = new Inbox();
    let channel: Channel | undefined;
    try {
      channel = watch(await this.#model.createChannel());
      let queue: string;
      if (route.kind === 'queue') {
        if (route.declare !== undefined) await channel.assertQueue(route.queue, route.declare);
        queue = route.queue;
      } else {
        if (route.declare !== undefined)
          await channel.assertExchange(route.exchange, route.declare.type, route.declare);
        // A queue of this subscription's own, gone with it (exclusive, auto-delete).
        const own = await channel.assertQueue('', {
          exclusive: true,
          autoDelete: true,
          durable: false,
        });
        queue = own.queue;
        await channel.bindQueue(queue, route.exchange, route.routingKey);
      }
      // consume resolves on basic.consume-ok: from here on nothing routed to the queue is lost.
      await channel.consume(
        queue,
        (delivery) => {
          // null: the broker cancelled the consumer (its queue was deleted); what came stays.
          if (delivery === null) return;
          inbox.push(
            incoming(route.kind === 'queue' ? address : delivery.fields.routingKey, delivery),
          );
        },
        { noAck: true },
      );
    } catch (error) {
      await channel?.close().catch(() => undefined);
      throw this.#failure(`could not subscribe to ${describe(route)}`, error, channel);
    }
    this.#inboxes.add(inbox);
    const opened = channel;
    return {
      take: (matches, timeoutMs, signal) => inbox.take(matches, timeoutMs, signal),
      close: async () => {
        inbox.close();
        this.#inboxes.delete(inbox);
        await opened.close().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const inbox of this.#inboxes) inbox.close();
    this.#inboxes.clear();
    await this.#model.close().catch(() => undefined);
  }

  #publisherChannel(): Promise<ConfirmChannel> {
    if (this.#publisher !== undefined) return this.#publisher;
    const opening = this.#model.createConfirmChannel().then((channel) => {
      watch(channel).on('close', () => {
        if (this.#publisher === opening) this.#publisher = undefined;
      });
      return channel;
    });
    opening.catch(() => {
      if (this.#publisher === opening) this.#publisher = undefined;
    });
    this.#publisher = opening;
    return opening;
  }

  /** Declare what the binding describes, or check a named queue exists (not dropped unseen). */
  async #prepareSend(channel: ConfirmChannel, route: AmqpRoute): Promise<void> {
    // Keyed with the flags: a send declaring them differently is declared again (and refused).
    const key = JSON.stringify(route);
    if (this.#prepared.has(key)) return;
    if (route.kind === 'queue') {
      if (route.declare === undefined) await channel.checkQueue(route.queue);
      else await channel.assertQueue(route.queue, route.declare);
    } else if (route.declare === undefined) {
      // An exchange named without flags must exist; a publish to one that does not fails.
      return;
    } else {
      await channel.assertExchange(route.exchange, route.declare.type, route.declare);
    }
    this.#prepared.add(key);
  }

  #ensureOpen(what: string): void {
    if (this.#closing)
      throw new ArazzoError(
        'BROKER_ERROR',
        `AMQP broker ${this.#shown}: ${what}: the transport was closed`,
      );
  }

  #failure(what: string, error: unknown, channel: Channel | undefined): ArazzoError {
    const said = (channel === undefined ? undefined : channelErrors.get(channel)) ?? error;
    const code = this.#lost === undefined ? 'BROKER_ERROR' : 'BROKER_UNREACHABLE';
    return new ArazzoError(
      code,
      `AMQP broker ${this.#shown}: ${what}: ${this.#scrub(reason(this.#lost ?? said))}`,
      { cause: error },
    );
  }
}

function describe(route: AmqpRoute): string {
  return route.kind === 'queue'
    ? `queue ${route.queue}`
    : `exchange ${route.exchange} with routing key ${route.routingKey}`;
}

function incoming(channel: string, delivery: ConsumeMessage): IncomingMessage {
  const headers: Record<string, string> = {};
  const table = (delivery.properties.headers ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(table)) headers[name] = headerText(value);
  const payloadText = delivery.content.toString('utf8');
  const contentType = stringOrUndefined(delivery.properties.contentType);
  const correlationId = stringOrUndefined(delivery.properties.correlationId);
  const parsed = parsePayload(payloadText, contentType);
  return {
    channel,
    headers,
    payloadText,
    payload: parsed,
    ...(contentType === undefined ? {} : { contentType }),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
}

/** A header table value as text: AMQP tables also hold numbers, booleans, bytes, tables. */
function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Keeps a password out of any text, whatever a library chose to put in its messages. */
function scrubber(password: string | undefined): (text: string) => string {
  if (password === undefined || password === '') return (text) => text;
  return (text) => text.replaceAll(password, '***');
}

/** Why connecting failed, in one line. */
function connectReason(error: unknown, timeoutMs: number, vhost: string): string {
  const message = error instanceof Error ? error.message : '';
  if (message === 'connect ETIMEDOUT') return `no answer within ${timeoutMs} ms`;
  // The broker refuses connection.open with connection.close (530 NOT_ALLOWED), which amqplib
  // reports without its text.
  if (message.startsWith('Expected ConnectionOpenOk'))
    return `the broker refused vhost ${vhost} (it does not exist, or the user may not use it)`;
  return reason(error);
}

/** One line: the broker's reply text ("NOT_FOUND - no exchange …") where there is one. */
function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  const reply = /(\d{3}) \([A-Z-]+\) with message "(.*)"/.exec(message);
  if (reply !== null) return `${reply[2]} (${reply[1]})`;
  return message.split('\n')[0] ?? message;
}
