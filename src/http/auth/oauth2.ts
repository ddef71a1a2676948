/**
 * OAuth 2.0 client credentials grant (RFC 6749 §4.4) through the engine's HttpTransport, and
 * a per-run token cache keyed by (token URL, client id, scopes).
 */
import { ArazzoError } from '../../errors.js';
import { encodeFormComponent } from '../percent-encode.js';
import type { HttpTransport, SendOptions } from '../types.js';

export interface ClientCredentialsRequest {
  /** The security scheme's name (for messages). */
  readonly schemeName: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
}

export interface AccessToken {
  readonly accessToken: string;
  /** Seconds, from `expires_in`; undefined when the server does not say. */
  readonly expiresIn: number | undefined;
}

export interface TokenCacheOptions {
  /** Milliseconds since the epoch (default `Date.now`). */
  readonly now?: () => number;
  /** Renew this long before `expires_in` runs out (default 30 s; at most half the lifetime). */
  readonly marginMs?: number;
}

/**
 * Tokens for one run. A token without `expires_in` is kept for the whole run. Concurrent
 * requests for the same key share one token request; a failed request is not cached.
 */
export class TokenCache {
  readonly #now: () => number;
  readonly #marginMs: number;
  readonly #tokens = new Map<string, { readonly token: string; readonly expiresAt: number }>();
  readonly #pending = new Map<string, Promise<string>>();

  constructor(options: TokenCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#marginMs = options.marginMs ?? 30_000;
  }

  async get(request: ClientCredentialsRequest, fetch: () => Promise<AccessToken>): Promise<string> {
    const key = JSON.stringify([request.tokenUrl, request.clientId, [...request.scopes].sort()]);
    const cached = this.#tokens.get(key);
    if (cached !== undefined && this.#now() < cached.expiresAt) return cached.token;
    const pending = this.#pending.get(key);
    if (pending !== undefined) return pending;
    const started = this.#now();
    const promise = fetch()
      .then((token) => {
        const lifetimeMs = token.expiresIn === undefined ? Infinity : token.expiresIn * 1000;
        const margin = Math.min(this.#marginMs, lifetimeMs / 2);
        this.#tokens.set(key, {
          token: token.accessToken,
          expiresAt: started + lifetimeMs - margin,
        });
        return token.accessToken;
      })
      .finally(() => this.#pending.delete(key));
    this.#pending.set(key, promise);
    return promise;
  }

  clear(): void {
    this.#tokens.clear();
  }
}

/**
 * POSTs `grant_type=client_credentials` (and `scope`) to the token URL with the client
 * authenticated by HTTP Basic (RFC 6749 §2.3.1: id and secret form-encoded first). Accepts a
 * JSON response, or a form-encoded one as some providers send.
 */
export async function fetchClientCredentialsToken(
  transport: HttpTransport,
  request: ClientCredentialsRequest,
  options: SendOptions,
): Promise<AccessToken> {
  const label = `OAuth2 token request for security scheme "${request.schemeName}" (POST ${request.tokenUrl})`;
  const basic = Buffer.from(
    `${encodeFormComponent(request.clientId)}:${encodeFormComponent(request.clientSecret)}`,
  ).toString('base64');
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (request.scopes.length > 0) form.set('scope', request.scopes.join(' '));
  let response;
  try {
    response = await transport.send(
      {
        method: 'POST',
        url: request.tokenUrl,
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
      },
      options,
    );
  } catch (error) {
    if (error instanceof ArazzoError) {
      throw new ArazzoError(error.code, `${label}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  const fields = tokenFields(response.body, response.bodyText);
  if (response.statusCode < 200 || response.statusCode > 299) {
    const reason = [fields?.['error'], fields?.['error_description']]
      .filter((part) => typeof part === 'string')
      .join(': ');
    throw new ArazzoError(
      'REQUEST_INVALID',
      `${label} failed with HTTP ${response.statusCode}${reason ? ` (${reason})` : ''}`,
    );
  }
  const accessToken = fields?.['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new ArazzoError('REQUEST_INVALID', `${label}: the response has no access_token`);
  }
  const expiresIn = Number(fields?.['expires_in']);
  return {
    accessToken,
    expiresIn:
      fields?.['expires_in'] !== undefined && Number.isFinite(expiresIn) && expiresIn >= 0
        ? expiresIn
        : undefined,
  };
}

function tokenFields(body: unknown, text: string): Record<string, unknown> | undefined {
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // not JSON: maybe form-encoded
  }
  if (text.includes('=')) return Object.fromEntries(new URLSearchParams(text));
  return undefined;
}
