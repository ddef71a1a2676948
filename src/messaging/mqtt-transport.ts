/**
 * MQTT 5 through the `mqtt` client (loaded on first use: a run without AsyncAPI steps never
 * loads it). Mapping (README, "AsyncAPI transports"):
 *   - channel address → topic;
 *   - headers → MQTT 5 user properties (a repeated property: the last value);
 *   - content type → the PUBLISH content-type property;
 *   - correlation id → the correlation-data property (UTF-8);
 *   - send completes on the broker's PUBACK (QoS 1), receive subscribes with QoS 1.
 * No reconnecting: a broker that goes away fails the step that needs it, with one line.
 */
import type { MqttClient, IClientPublishOptions } from 'mqtt';
import { ArazzoError } from '../errors.js';
import { brokerCredentials } from './credentials.js';
import { parsePayload } from './payload.js';
import { Inbox } from './inbox.js';
import { displayUrl } from './display-url.js';
import type {
  ConnectOptions,
  IncomingMessage,
  MessageTransport,
  OutgoingMessage,
  Subscription,
} from './types.js';

const DEFAULT_CONNECT_MS = 5000;

export async function connectMqtt(options: ConnectOptions): Promise<MessageTransport> {
  const { connectAsync } = await import('mqtt');
  const { url, username, password } = brokerCredentials(options);
  const shown = displayUrl(options.url);
  let client: MqttClient;
  try {
    client = await connectAsync(url.toString(), {
      protocolVersion: 5,
      connectTimeout: options.timeoutMs ?? DEFAULT_CONNECT_MS,
      reconnectPeriod: 0,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    });
  } catch (error) {
    throw new ArazzoError('BROKER_UNREACHABLE', `MQTT broker ${shown}: ${reason(error)}`, {
      cause: error,
    });
  }
  return new MqttTransport(client, shown);
}

class MqttTransport implements MessageTransport {
  readonly protocol = 'mqtt';
  readonly #client: MqttClient;
  readonly #shown: string;
  readonly #inboxes = new Map<string, Set<Inbox>>();

  constructor(client: MqttClient, shown: string) {
    this.#client = client;
    this.#shown = shown;
    // Errors after connecting surface on the next publish or subscribe; never as an unhandled event.
    client.on('error', () => undefined);
    client.on('message', (topic, payload, packet) => {
      const inboxes = this.#inboxes.get(topic);
      if (inboxes === undefined) return;
      const message = incoming(topic, payload, packet.properties);
      for (const inbox of inboxes) inbox.push(message);
    });
  }

  async publish(message: OutgoingMessage): Promise<void> {
    const properties: NonNullable<IClientPublishOptions['properties']> = {};
    if (Object.keys(message.headers).length > 0) properties.userProperties = { ...message.headers };
    if (message.contentType !== undefined) properties.contentType = message.contentType;
    if (message.correlationId !== undefined)
      properties.correlationData = Buffer.from(message.correlationId, 'utf8');
    const payload =
      typeof message.payload === 'string' ? message.payload : Buffer.from(message.payload);
    try {
      await this.#client.publishAsync(message.channel, payload, { qos: 1, properties });
    } catch (error) {
      throw this.#failure(`could not publish to ${message.channel}`, error);
    }
  }

  async subscribe(channel: string): Promise<Subscription> {
    try {
      await this.#client.subscribeAsync(channel, { qos: 1 });
    } catch (error) {
      throw this.#failure(`could not subscribe to ${channel}`, error);
    }
    const inbox = new Inbox();
    let set = this.#inboxes.get(channel);
    if (set === undefined) this.#inboxes.set(channel, (set = new Set()));
    set.add(inbox);
    return {
      take: (matches, timeoutMs, signal) => inbox.take(matches, timeoutMs, signal),
      close: async () => {
        inbox.close();
        set.delete(inbox);
        if (set.size > 0) return;
        this.#inboxes.delete(channel);
        await this.#client.unsubscribeAsync(channel).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    for (const inboxes of this.#inboxes.values()) for (const inbox of inboxes) inbox.close();
    this.#inboxes.clear();
    await this.#client.endAsync().catch(() => undefined);
  }

  #failure(what: string, error: unknown): ArazzoError {
    const code = this.#client.connected ? 'BROKER_ERROR' : 'BROKER_UNREACHABLE';
    return new ArazzoError(code, `MQTT broker ${this.#shown}: ${what}: ${reason(error)}`, {
      cause: error,
    });
  }
}

interface PublishProperties {
  readonly userProperties?: Record<string, string | string[]>;
  readonly contentType?: string;
  readonly correlationData?: Buffer;
}

function incoming(
  topic: string,
  payload: Buffer,
  properties: PublishProperties | undefined,
): IncomingMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties?.userProperties ?? {}))
    headers[name] = Array.isArray(value) ? (value.at(-1) ?? '') : value;
  const payloadText = payload.toString('utf8');
  const contentType = properties?.contentType;
  const parsed = parsePayload(payloadText, contentType);
  return {
    channel: topic,
    headers,
    payloadText,
    payload: parsed,
    ...(contentType === undefined ? {} : { contentType }),
    ...(properties?.correlationData === undefined
      ? {}
      : { correlationId: properties.correlationData.toString('utf8') }),
  };
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  return message.split('\n')[0] ?? message;
}
