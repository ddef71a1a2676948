import { credentialFor } from '../http/auth/apply-security.js';
import type { Credentials } from '../http/auth/types.js';
import type { AsyncServerRef } from '../sources/asyncapi-operation.js';

/** The user and password a broker connection presents, from `--auth` (POSITIONS §11.11). */
export interface BrokerLogin {
  readonly username: string;
  readonly password: string;
}

/**
 * AsyncAPI 3.0 §Security Scheme Object types whose credential is a user and a password, which
 * every transport here presents at connect (MQTT CONNECT, AMQP PLAIN, NATS user/pass, WebSocket
 * HTTP Basic). Others (X509, SCRAM, API keys, OAuth2…) are refused when given a credential.
 */
const USER_PASSWORD = new Set(['userPassword', 'plain']);

/**
 * The login for a server from its security schemes: the first scheme with a credential
 * (`<source>.<scheme>` before `<scheme>`, as for HTTP). None given: undefined (the URL's user
 * info, if any, then applies; messaging/credentials.ts). A string says why it cannot be used.
 */
export function brokerLogin(
  sourceName: string,
  server: AsyncServerRef | undefined,
  credentials: Credentials,
): BrokerLogin | undefined | string {
  for (const scheme of server?.security ?? []) {
    const value = credentialFor(credentials, sourceName, scheme.name);
    if (value === undefined) continue;
    if (!USER_PASSWORD.has(scheme.type))
      return `security scheme "${scheme.name}" of source "${sourceName}" has type ${scheme.type || '(none)'}: only userPassword and plain credentials are supported for brokers yet`;
    const separator = value.indexOf(':');
    if (separator < 0)
      return `the credential for security scheme "${scheme.name}" must be user:password`;
    return { username: value.slice(0, separator), password: value.slice(separator + 1) };
  }
  return undefined;
}
