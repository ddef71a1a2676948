/**
 * Message brokers for Arazzo 1.1 AsyncAPI steps: one `MessageTransport` per connection, chosen by
 * the server URL's scheme. Each protocol's client library is loaded on first use.
 */
export { checkPayload, type PayloadIssue } from './check-payload.js';
export { connectBroker } from './connect.js';
export { displayUrl } from './display-url.js';
export type {
  ChannelBindings,
  ConnectOptions,
  IncomingMessage,
  MessageTransport,
  OutgoingMessage,
  Subscription,
} from './types.js';
