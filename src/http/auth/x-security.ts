/**
 * Redocly Respect's `x-security` extension (POSITIONS §12.1): credentials a document applies to
 * its steps, each entry a security scheme (by name from the step's source, or inline) and the
 * values for it. The value names are the peer's: `token` (http bearer), `username` and
 * `password` (http basic), `apiKey` (apiKey), `accessToken` (oauth2, openIdConnect: a token the
 * caller already has; nothing is fetched).
 */
import { ArazzoError } from '../../errors.js';
import type { SecurityScheme } from './security-schemes.js';
import type { SecurityAdditions } from './types.js';

/** One entry, its values evaluated (runtime expressions already replaced). */
export interface ExtensionCredential {
  /** The scheme's name, or `inline` for an inline scheme (for messages and reports). */
  readonly label: string;
  readonly scheme: SecurityScheme;
  readonly values: Readonly<Record<string, string>>;
}

/** The values a scheme needs, or why the extension cannot apply it. */
export function requiredValues(scheme: SecurityScheme): readonly string[] | { reason: string } {
  switch (scheme.type) {
    case 'http':
      if (scheme.scheme === 'bearer') return ['token'];
      if (scheme.scheme === 'basic') return ['username', 'password'];
      return { reason: `http ${scheme.scheme || 'without a scheme'} is not supported` };
    case 'apiKey':
      return ['apiKey'];
    case 'oauth2':
    case 'openIdConnect':
      return ['accessToken'];
    case 'unknown':
      return { reason: `${scheme.description} is not a supported security scheme` };
    default:
      return { reason: `${scheme.type} is not supported` };
  }
}

/**
 * What the entries add to a request, and every string a report must mask (each value, and
 * the base64 form http basic sends). A later entry for the same header, query parameter or
 * cookie replaces an earlier one.
 */
export function extensionSecurity(credentials: readonly ExtensionCredential[]): {
  readonly additions: SecurityAdditions;
  readonly secrets: readonly { readonly label: string; readonly value: string }[];
} {
  const headers: Record<string, string> = {};
  const query = new Map<string, string>();
  const cookies = new Map<string, string>();
  const secrets: { label: string; value: string }[] = [];
  for (const { label, scheme, values } of credentials) {
    const needed = requiredValues(scheme);
    if ('reason' in needed)
      throw new ArazzoError('REQUEST_INVALID', `x-security "${label}": ${needed.reason}`);
    const value = (name: string): string => {
      const given = Object.hasOwn(values, name) ? values[name] : undefined;
      if (given === undefined)
        throw new ArazzoError('REQUEST_INVALID', `x-security "${label}" needs values.${name}`);
      secrets.push({ label, value: given });
      return given;
    };
    switch (scheme.type) {
      case 'http':
        if (scheme.scheme === 'bearer')
          setHeader(headers, 'Authorization', `Bearer ${value('token')}`);
        else {
          const basic = Buffer.from(`${value('username')}:${value('password')}`, 'utf8');
          secrets.push({ label, value: basic.toString('base64') });
          setHeader(headers, 'Authorization', `Basic ${basic.toString('base64')}`);
        }
        break;
      case 'apiKey':
        if (scheme.in === 'header') setHeader(headers, scheme.name, value('apiKey'));
        else (scheme.in === 'query' ? query : cookies).set(scheme.name, value('apiKey'));
        break;
      default:
        setHeader(headers, 'Authorization', `Bearer ${value('accessToken')}`);
    }
  }
  const additions: SecurityAdditions = {
    headers,
    query: [...query],
    cookies: [...cookies],
    schemes: credentials.map((credential) => credential.label),
  };
  return { additions, secrets: secrets.filter((secret) => secret.value !== '') };
}

/**
 * `overlay` over `base`: the document's `x-security` for a step replaces what `--auth`
 * credentials put in the same header, query parameter or cookie, and adds to the rest.
 */
export function overlaySecurity(
  base: SecurityAdditions,
  overlay: SecurityAdditions,
): SecurityAdditions {
  if (overlay.schemes.length === 0) return base;
  const headers: Record<string, string> = { ...base.headers };
  for (const [name, value] of Object.entries(overlay.headers)) setHeader(headers, name, value);
  const replaced = (list: SecurityAdditions['query'], over: SecurityAdditions['query']) => [
    ...list.filter(([name]) => !over.some(([other]) => other === name)),
    ...over,
  ];
  return {
    headers,
    query: replaced(base.query, overlay.query),
    cookies: replaced(base.cookies, overlay.cookies),
    schemes: [...base.schemes, ...overlay.schemes],
  };
}

/** Header names are case-insensitive: a later value replaces an earlier one of any case. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const existing of Object.keys(headers))
    if (existing.toLowerCase() === lower) delete headers[existing];
  headers[name] = value;
}
