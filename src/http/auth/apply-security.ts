/**
 * Authentication without hand-written headers: the user's credentials, applied to an operation
 * from its source's security schemes (OAS 3.x §Security Requirement Object, §Security Scheme
 * Object; Swagger 2.0 `securityDefinitions`).
 *
 * The requirement used is the first one (operation `security`, else the document's; `[]` means
 * none) that names at least one scheme and whose schemes all have credentials and are supported.
 * An empty requirement (`{}`, "auth optional") is used only when no other one can be; then, as
 * when nothing matches, nothing is added and the request goes out as the step wrote it. If the
 * only requirements with credentials use unsupported schemes (openIdConnect, mutualTLS, an http
 * scheme other than bearer/basic), that is an error.
 */
import { ArazzoError } from '../../errors.js';
import { requestMethod, type OperationRef } from '../../sources/operations.js';
import type { HttpTransport, SendOptions } from '../types.js';
import { fetchClientCredentialsToken, type TokenCache } from './oauth2.js';
import {
  securityRequirements,
  securitySchemes,
  type SecurityRequirement,
  type SecurityScheme,
} from './security-schemes.js';
import { NO_SECURITY, type Credentials, type SecurityAdditions } from './types.js';

export interface ApplySecurityOptions {
  /** For the OAuth2 token request (default: never aborted). */
  readonly signal?: AbortSignal;
  /** For the OAuth2 token request (default 30 s). */
  readonly timeoutMs?: number;
  /** For the OAuth2 token response (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** The operation's server URL: the base for a relative `tokenUrl` (OAS: relative to the server). */
  readonly serverUrl?: string;
  /**
   * Called with each access token fetched (not with one the token cache already held),
   * before any request carries it: a credential the run obtained must be redacted like the
   * ones it was given.
   */
  readonly onToken?: (schemeName: string, token: string) => void;
}

/**
 * The credential for a scheme: `<source>.<scheme>` first, then the bare scheme name. Own
 * properties only: a scheme named `toString` or `constructor` has no credential unless one is
 * given (Object.prototype's members are not credentials).
 */
export function credentialFor(
  credentials: Credentials,
  sourceName: string,
  schemeName: string,
): string | undefined {
  const scoped = `${sourceName}.${schemeName}`;
  if (Object.hasOwn(credentials, scoped)) return credentials[scoped];
  return Object.hasOwn(credentials, schemeName) ? credentials[schemeName] : undefined;
}

/**
 * Additions already worked out for an operation that needed no token request, with the
 * credential values they were worked out from: the same values give the same additions, and a
 * poll applies them thousands of times. Keyed by value, not by the credentials object, so
 * that an object changed between runs (or during one) is read again; a few entries per
 * operation, so that concurrent runs with different credentials do not evict each other.
 * Weak on the operation.
 */
const settled = new WeakMap<OperationRef, SettledEntry[]>();
const SETTLED_PER_OPERATION = 4;

interface SettledEntry {
  /** The credential for each scheme in `schemeKeys(operation)`, in order. */
  readonly values: readonly (string | undefined)[];
  readonly additions: SecurityAdditions;
}

/**
 * Every scheme name the operation's requirements mention, once each, with its
 * `<source>.<scheme>` key: made once per operation, so that a poll builds no strings.
 */
interface SchemeKeys {
  readonly names: readonly string[];
  readonly scoped: readonly string[];
}

const keysByOperation = new WeakMap<OperationRef, SchemeKeys>();

function schemeKeys(operation: OperationRef): SchemeKeys {
  let keys = keysByOperation.get(operation);
  if (keys === undefined) {
    const names = [...new Set(securityRequirements(operation).flatMap((r) => Object.keys(r)))];
    keys = { names, scoped: names.map((name) => `${operation.sourceName}.${name}`) };
    keysByOperation.set(operation, keys);
  }
  return keys;
}

/** `credentialFor` of the scheme at `index` (own properties only, scoped first). */
function valueAt(keys: SchemeKeys, index: number, credentials: Credentials): string | undefined {
  const scoped = keys.scoped[index] ?? '';
  if (Object.hasOwn(credentials, scoped)) return credentials[scoped];
  const name = keys.names[index] ?? '';
  return Object.hasOwn(credentials, name) ? credentials[name] : undefined;
}

/** Whether `credentials` hold exactly the values an entry was made from (no allocation). */
function holds(entry: SettledEntry, keys: SchemeKeys, credentials: Credentials): boolean {
  for (let index = 0; index < keys.names.length; index += 1) {
    if (entry.values[index] !== valueAt(keys, index, credentials)) return false;
  }
  return true;
}

/**
 * The additions `applySecurity` worked out before for this operation and the same credential
 * values, when no OAuth2 token was involved; undefined otherwise (then call it).
 */
export function settledSecurity(
  operation: OperationRef,
  credentials: Credentials,
): SecurityAdditions | undefined {
  const entries = settled.get(operation);
  if (entries === undefined) return undefined;
  const keys = schemeKeys(operation);
  for (const entry of entries) if (holds(entry, keys, credentials)) return entry.additions;
  return undefined;
}

export async function applySecurity(
  operation: OperationRef,
  credentials: Credentials,
  tokenCache: TokenCache,
  transport: HttpTransport,
  options: ApplySecurityOptions = {},
): Promise<SecurityAdditions> {
  // Read before the await: the additions are filed under the values they were made from.
  const keys = schemeKeys(operation);
  const values = keys.names.map((_name, index) => valueAt(keys, index, credentials));
  const { additions, fetchedToken } = await select(
    operation,
    credentials,
    tokenCache,
    transport,
    options,
  );
  if (!fetchedToken) {
    const entry = { values, additions };
    const kept = (settled.get(operation) ?? []).filter(
      (old) => !old.values.every((value, index) => value === values[index]),
    );
    settled.set(operation, [entry, ...kept].slice(0, SETTLED_PER_OPERATION));
  }
  return additions;
}

interface Selected {
  readonly additions: SecurityAdditions;
  /** An OAuth2 token was involved: the additions last only as long as it. */
  readonly fetchedToken: boolean;
}

async function select(
  operation: OperationRef,
  credentials: Credentials,
  tokenCache: TokenCache,
  transport: HttpTransport,
  options: ApplySecurityOptions,
): Promise<Selected> {
  const none = { additions: NO_SECURITY, fetchedToken: false };
  const requirements = securityRequirements(operation);
  if (requirements.length === 0) return none;
  const schemes = securitySchemes(operation.document);
  let unsupported: string | undefined;
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (names.length === 0) continue;
    const values = names.map((name) => credentialFor(credentials, operation.sourceName, name));
    if (values.some((value) => value === undefined)) continue;
    const problem = names
      .map((name) => unsupportedReason(name, schemes.get(name), operation.sourceName))
      .find((reason) => reason !== undefined);
    if (problem !== undefined) {
      unsupported ??= problem;
      continue;
    }
    return apply(
      operation,
      requirement,
      values as string[],
      schemes,
      tokenCache,
      transport,
      options,
    );
  }
  if (unsupported !== undefined) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `${requestMethod(operation)} ${operation.path}: ${unsupported}; supply credentials for another scheme the operation accepts, or set the header as a step parameter`,
    );
  }
  return none;
}

function unsupportedReason(
  name: string,
  scheme: SecurityScheme | undefined,
  sourceName: string,
): string | undefined {
  if (scheme === undefined)
    return `security scheme "${name}" is not defined by source "${sourceName}"`;
  switch (scheme.type) {
    case 'http':
      return scheme.scheme === 'bearer' || scheme.scheme === 'basic'
        ? undefined
        : `unsupported security scheme "${name}" (http ${scheme.scheme || 'without a scheme'})`;
    case 'apiKey':
    case 'oauth2':
      return undefined;
    case 'unknown':
      return `unsupported security scheme "${name}" (${scheme.description})`;
    default:
      return `unsupported security scheme "${name}" (${scheme.type})`;
  }
}

async function apply(
  operation: OperationRef,
  requirement: SecurityRequirement,
  values: readonly string[],
  schemes: ReadonlyMap<string, SecurityScheme>,
  tokenCache: TokenCache,
  transport: HttpTransport,
  options: ApplySecurityOptions,
): Promise<Selected> {
  let fetchedToken = false;
  const headers: Record<string, string> = {};
  const query: [string, string][] = [];
  const cookies: [string, string][] = [];
  const names = Object.keys(requirement);
  for (const [index, name] of names.entries()) {
    const scheme = schemes.get(name);
    const value = values[index] ?? '';
    if (scheme === undefined) continue;
    switch (scheme.type) {
      case 'http':
        if (scheme.scheme === 'bearer') {
          headers['Authorization'] = `Bearer ${value}`;
        } else {
          headers['Authorization'] = `Basic ${basicCredentials(name, value)}`;
        }
        break;
      case 'apiKey':
        if (scheme.in === 'header') headers[scheme.name] = value;
        else if (scheme.in === 'query') query.push([scheme.name, value]);
        else cookies.push([scheme.name, value]);
        break;
      case 'oauth2': {
        const separator = value.indexOf(':');
        if (scheme.tokenUrl === undefined || separator < 0) {
          // An access token the user already has.
          headers['Authorization'] = `Bearer ${value}`;
          break;
        }
        const request = {
          schemeName: name,
          tokenUrl: resolveTokenUrl(scheme.tokenUrl, options.serverUrl, operation.sourceUrl),
          clientId: value.slice(0, separator),
          clientSecret: value.slice(separator + 1),
          scopes: requirement[name] ?? [],
        };
        const sendOptions: SendOptions = {
          signal: options.signal ?? new AbortController().signal,
          timeoutMs: options.timeoutMs ?? 30_000,
          maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
        };
        const token = await tokenCache.get(request, async () => {
          const fetched = await fetchClientCredentialsToken(transport, request, sendOptions);
          options.onToken?.(name, fetched.accessToken);
          return fetched;
        });
        headers['Authorization'] = `Bearer ${token}`;
        fetchedToken = true;
        break;
      }
      default:
        break;
    }
  }
  return { additions: { headers, query, cookies, schemes: names }, fetchedToken };
}

/** RFC 7617: base64 of `user:password` in UTF-8. */
function basicCredentials(schemeName: string, value: string): string {
  if (!value.includes(':')) {
    throw new ArazzoError(
      'USAGE',
      `credentials for the http basic scheme "${schemeName}" must be user:password`,
    );
  }
  return Buffer.from(value, 'utf8').toString('base64');
}

function resolveTokenUrl(
  tokenUrl: string,
  serverUrl: string | undefined,
  sourceUrl: string,
): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(tokenUrl)) return tokenUrl;
  const base = serverUrl ?? (/^https?:/.test(sourceUrl) ? sourceUrl : undefined);
  if (base === undefined) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `the OAuth2 tokenUrl "${tokenUrl}" is relative and there is no http(s) URL to resolve it against`,
    );
  }
  // A server URL is a base "directory": keep its last segment when resolving.
  return new URL(tokenUrl, base.endsWith('/') || base === sourceUrl ? base : `${base}/`).href;
}
