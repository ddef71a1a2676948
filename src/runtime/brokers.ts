import {
  connectBroker,
  type ChannelBindings,
  type MessageTransport,
  type Subscription,
} from '../messaging/index.js';
import type { BrokerLogin } from './broker-auth.js';

/**
 * The broker connections and subscriptions of one run (POSITIONS §11.11): one connection per
 * server URL, opened on first use; one subscription per server and channel, opened when a
 * workflow with a receive step on it starts (or at the step, when its address needs values of
 * earlier steps) and shared by every receive step on it with the same bindings (an AMQP binding
 * chooses the queue or exchange, so one address can be two subscriptions). All closed when the run ends.
 * A connection or subscription that failed is forgotten, so that a retry tries again.
 */
export class Brokers {
  readonly #connections = new Map<string, Promise<MessageTransport>>();
  readonly #subscriptions = new Map<string, Promise<Subscription>>();

  /** One connection per server URL and login (`--auth`; broker-auth.ts). */
  transport(url: string, login?: BrokerLogin): Promise<MessageTransport> {
    const key = `${url}\n${login?.username ?? ''}`;
    let connection = this.#connections.get(key);
    if (!connection) {
      connection = connectBroker({ url, ...login });
      this.#connections.set(key, connection);
      connection.catch(() => this.#connections.delete(key));
    }
    return connection;
  }

  subscription(
    url: string,
    channel: string,
    bindings?: ChannelBindings,
    login?: BrokerLogin,
  ): Promise<Subscription> {
    const key = `${url}\n${login?.username ?? ''}\n${channel}\n${JSON.stringify(bindings ?? {})}`;
    let subscription = this.#subscriptions.get(key);
    if (!subscription) {
      subscription = this.transport(url, login).then((transport) =>
        transport.subscribe(channel, bindings),
      );
      this.#subscriptions.set(key, subscription);
      subscription.catch(() => this.#subscriptions.delete(key));
    }
    return subscription;
  }

  /** Closes every subscription, then every connection; their errors do not change the result. */
  async close(): Promise<void> {
    const subscriptions = [...this.#subscriptions.values()];
    const connections = [...this.#connections.values()];
    this.#subscriptions.clear();
    this.#connections.clear();
    await Promise.allSettled(
      subscriptions.map((s) => s.then((subscription) => subscription.close())),
    );
    await Promise.allSettled(connections.map((c) => c.then((transport) => transport.close())));
  }
}
