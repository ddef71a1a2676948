/**
 * The demo's order service: the application pet-asyncapi.yaml describes. It receives
 * `placeOrder` on the place-order channel and sends `confirmOrder` on confirm-order (the
 * operation our copy adds), over MQTT 5 with the `mqtt` client directly, not the runner's
 * transport, so the demo exercises the runner against an independent peer.
 *
 * Both messages declare `correlationId.location: $message.header#/orderRequestId` (AsyncAPI
 * 3.0 §Correlation ID Object); a message header is an MQTT 5 user property (README,
 * "AsyncAPI transports"). So the confirmation carries the request's `orderRequestId` user
 * property, which is what the workflow's receive step matches its `correlationId` against.
 */
import { connectAsync, type IClientPublishOptions, type MqttClient } from 'mqtt';
import { BrokerUnavailableError, shownUrl } from './broker.js';
import type { PetStore } from './store.js';

/** The channel addresses of pet-asyncapi.yaml. */
export const PLACE_ORDER = 'place-order';
export const CONFIRM_ORDER = 'confirm-order';
/** The header both messages name as their correlationId location. */
export const CORRELATION_HEADER = 'orderRequestId';

export interface ReceivedOrder {
  readonly headers: Record<string, string>;
  readonly payload: unknown;
}

export interface SentConfirmation {
  readonly orderRequestId: string;
  readonly orderId: number;
}

export interface OrderService {
  /** placeOrder messages received, in order. */
  readonly received: readonly ReceivedOrder[];
  /** confirmOrder messages sent (after the broker's PUBACK). */
  readonly sent: readonly SentConfirmation[];
  close(): Promise<void>;
}

export interface OrderServiceOptions {
  brokerUrl: string;
  store: PetStore;
  /** The correlation id a confirmation carries; default the request's own (tests break it). */
  answerWith?: (orderRequestId: string) => string;
  /** One line per order handled. */
  log?: (line: string) => void;
}

/** Connects, subscribes to place-order (resolves after the SUBACK) and answers each order. */
export async function startOrderService(options: OrderServiceOptions): Promise<OrderService> {
  const log = options.log ?? (() => undefined);
  const answerWith = options.answerWith ?? ((id: string) => id);
  let client: MqttClient;
  try {
    client = await connectAsync(options.brokerUrl, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ECONNREFUSED' ? 'connection refused' : String((error as Error).message);
    throw new BrokerUnavailableError(
      `the order service cannot connect to the MQTT broker ${shownUrl(options.brokerUrl)}: ${why}`,
    );
  }
  const received: ReceivedOrder[] = [];
  const sent: SentConfirmation[] = [];
  const pending = new Set<Promise<void>>();

  const handle = async (payload: Buffer, userProperties: unknown): Promise<void> => {
    const headers = flatten(userProperties);
    const text = payload.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    received.push({ headers, payload: body });
    // Header names are matched case-insensitively, as the runner matches them.
    const requestId = Object.entries(headers).find(
      ([name]) => name.toLowerCase() === CORRELATION_HEADER.toLowerCase(),
    )?.[1];
    const petId = (body as { petId?: unknown } | null)?.petId;
    if (requestId === undefined || !Number.isInteger(petId)) {
      log(
        `ignored a ${PLACE_ORDER} message without an ${CORRELATION_HEADER} header or an integer petId: ${text}`,
      );
      return;
    }
    const order = options.store.placeOrder(petId as number, requestId);
    if (typeof order === 'string') {
      log(`refused the order ${requestId}: ${order}`);
      return;
    }
    const answer = answerWith(requestId);
    const properties: NonNullable<IClientPublishOptions['properties']> = {
      contentType: 'application/json',
      userProperties: { [CORRELATION_HEADER]: answer },
    };
    await client.publishAsync(CONFIRM_ORDER, JSON.stringify({ orderId: order.id }), {
      qos: 1,
      properties,
    });
    sent.push({ orderRequestId: answer, orderId: order.id });
    log(
      `order ${order.id} for pet ${order.petId}: confirmed on ${CONFIRM_ORDER} (${CORRELATION_HEADER} ${answer})`,
    );
  };

  client.on('error', (error) => log(`MQTT error: ${error.message}`));
  client.on('message', (topic, payload, packet) => {
    if (topic !== PLACE_ORDER) return;
    const task = handle(payload, packet.properties?.userProperties)
      .catch((error: unknown) =>
        log(`could not answer: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => pending.delete(task));
    pending.add(task);
  });
  await client.subscribeAsync(PLACE_ORDER, { qos: 1 });

  return {
    received,
    sent,
    async close() {
      await Promise.allSettled(pending);
      await client.endAsync();
    },
  };
}

function flatten(properties: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof properties !== 'object' || properties === null) return headers;
  for (const [name, value] of Object.entries(properties as Record<string, unknown>))
    headers[name] = Array.isArray(value) ? String(value.at(-1) ?? '') : String(value);
  return headers;
}
