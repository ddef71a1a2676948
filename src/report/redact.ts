import type { JsonSchema } from '../document/types.js';

/** Input names that hold credentials, whatever their schema says. */
const SECRET_NAME =
  /(token|secret|passw(or)?d|pwd|api[-_]?key|credential|private[-_]?key|auth|cookie|session)/i;

/** Headers whose whole value is a credential (RFC 9110 §11.6, RFC 6265). */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
]);

/** Secrets shorter than this are only masked as whole words, so that masking never garbles text. */
const SHORT_SECRET = 8;

export const MASK = '***';

/**
 * One redaction layer for every output path. It replaces exact secret values; a short secret
 * (like the one-character token that makes a peer's reports unreadable) is only replaced where
 * it stands as a whole word, never inside other words.
 */
export class Redactor {
  readonly #patterns: RegExp[];

  constructor(secrets: Iterable<string>) {
    const unique = [...new Set([...secrets].filter((secret) => secret.length > 0))];
    // Longest first, so a secret that contains another is masked whole.
    unique.sort((a, b) => b.length - a.length);
    this.#patterns = unique.flatMap((secret) => {
      const forms = new Set([secret, encodeURIComponent(secret)]);
      return [...forms].map((form) => {
        const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        return form.length >= SHORT_SECRET
          ? new RegExp(escaped, 'g')
          : new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'gu');
      });
    });
  }

  /**
   * Secrets among a workflow's inputs (`format: password`, `writeOnly`, or a credential-like
   * name), plus `extra` ones known otherwise (credentials for security schemes, secret headers).
   */
  static forInputs(
    schema: JsonSchema | undefined,
    inputs: Readonly<Record<string, unknown>>,
    extra: readonly string[] = [],
  ): Redactor {
    const properties =
      typeof schema === 'object'
        ? (schema['properties'] as Record<string, unknown> | undefined)
        : undefined;
    const secrets: string[] = [...extra];
    for (const [name, value] of Object.entries(inputs)) {
      if (isSecretInput(name, properties?.[name])) collectStrings(value, secrets);
    }
    return new Redactor(secrets);
  }

  text(text: string): string {
    let result = text;
    for (const pattern of this.#patterns) result = result.replace(pattern, MASK);
    return result;
  }

  /** A deep copy with every string redacted (for credential headers by name, see `headers`). */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.value(item)]),
      );
    }
    return value;
  }

  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        isSecretHeader(name) ? MASK : this.text(value),
      ]),
    );
  }
}

/** A header that carries a credential, by its name. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase()) || SECRET_NAME.test(name);
}

/** A credential by its name or its schema (`format: password`, `writeOnly`). */
export function isSecretInput(name: string, schema: unknown): boolean {
  const property = schema as { format?: unknown; writeOnly?: unknown } | undefined;
  return SECRET_NAME.test(name) || property?.format === 'password' || property?.writeOnly === true;
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number') into.push(String(value));
  else if (Array.isArray(value)) value.forEach((item) => collectStrings(item, into));
  else if (typeof value === 'object' && value !== null)
    Object.values(value).forEach((item) => collectStrings(item, into));
}
