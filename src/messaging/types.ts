/**
 * What the engine sends to and receives from a message broker for an Arazzo 1.1 AsyncAPI step
 * (§Step Object `action: send | receive`). Protocol-neutral: each transport maps headers,
 * content type and correlation onto its protocol (MQTT 5: user properties, the content-type
 * property, correlation data), and says so in the README.
 */

/** A message as a send step publishes it. */
export interface OutgoingMessage {
  /** The channel's address with its parameters substituted (an MQTT topic, a NATS subject, …). */
  readonly channel: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string | Uint8Array;
  readonly contentType?: string;
  readonly correlationId?: string;
  /** The channel's (and operation's) AsyncAPI bindings for this protocol, e.g. `amqp`'s exchange. */
  readonly bindings?: ChannelBindings;
}

/**
 * AsyncAPI 3.0 §Channel Bindings / §Operation Bindings, keyed by protocol (`amqp`, `mqtt`, `ws`,
 * `nats`), as written in the document. A transport reads its own protocol's entry, if any.
 */
export type ChannelBindings = Readonly<Record<string, unknown>>;

/** A message as a receive step sees it (`$message.header…`, `$message.payload…`). */
export interface IncomingMessage {
  readonly channel: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The payload as text (UTF-8). */
  readonly payloadText: string;
  /** Parsed JSON for JSON content types, otherwise the text. */
  readonly payload: unknown;
  readonly contentType?: string;
  readonly correlationId?: string;
}

/** Messages of one channel, kept from the moment of subscribing until taken. */
export interface Subscription {
  /**
   * The first message (already received or arriving within `timeoutMs`) that `matches`;
   * undefined when none did in time. Messages that do not match stay unseen by this call.
   */
  take(
    matches: (message: IncomingMessage) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<IncomingMessage | undefined>;
  close(): Promise<void>;
}

/**
 * One connection to a broker. Implementations reject with an `ArazzoError`
 * (`BROKER_UNREACHABLE`, `BROKER_ERROR`) whose message never holds credentials.
 */
export interface MessageTransport {
  readonly protocol: string;
  /** Resolves once the broker accepted the message (MQTT: QoS 1 PUBACK). */
  publish(message: OutgoingMessage): Promise<void>;
  /** Resolves once the broker confirmed the subscription: nothing published after is lost. */
  subscribe(channel: string, bindings?: ChannelBindings): Promise<Subscription>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** The server URL (`mqtt://127.0.0.1:1883`); user info in it is taken as credentials. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Bound on connecting (default 5 s). */
  readonly timeoutMs?: number;
}
