import type { JsonSchema } from '../document/types.js';
import {
  encodeAllowReserved,
  encodeFormComponent,
  encodeUnreserved,
  wellFormed,
} from '../http/percent-encode.js';
import type { RunEvent } from '../runtime/events.js';

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
 * The percent-encodings the runner sends a value in: RFC 6570 simple expansion for path, query
 * and cookie values (`!'()*` encoded), `allowReserved`, the form body's (space as `+`), and
 * `encodeURIComponent`'s, which servers and other tools echo back.
 */
const URL_ENCODINGS: readonly ((text: string) => string)[] = [
  encodeURIComponent,
  encodeUnreserved,
  encodeAllowReserved,
  encodeFormComponent,
];

/**
 * Every form a secret can reach an output in: as it is, inside JSON text (a JSON body, an
 * object serialised into a query or a form field), percent-encoded, and percent-encoded JSON
 * text (a `content: application/json` parameter, a JSON form field).
 */
export function secretForms(secret: string): string[] {
  // JSON.stringify escapes `"`, `\`, control characters and lone surrogates (RFC 8259 §7).
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([secret, json]);
  for (const text of new Set([wellFormed(secret), json])) {
    for (const encode of URL_ENCODINGS) forms.add(encode(text));
  }
  forms.delete('');
  return [...forms];
}

/**
 * One redaction layer for every output path. It replaces a secret in each form the runner
 * sends it in (see `secretForms`); a short secret (like the one-character token that makes a
 * peer's reports unreadable) is only replaced where it stands as a whole word, never inside
 * other words.
 *
 * Secrets the run obtains (an OAuth2 access token) arrive as `credential` events: pass
 * `onEvent` to `runWorkflow` before any reporter, and they are masked from then on.
 */
export class Redactor {
  readonly #forms = new Set<string>();
  #pattern: RegExp | undefined;

  constructor(secrets: Iterable<string>) {
    for (const secret of secrets) this.#addForms(secret);
    this.#compile();
  }

  /**
   * Secrets among a workflow's inputs (`format: password`, `writeOnly`, or a credential-like
   * name, at any depth of an object or array input), plus `extra` ones known otherwise
   * (credentials for security schemes, secret headers).
   */
  static forInputs(
    schema: JsonSchema | undefined,
    inputs: Readonly<Record<string, unknown>>,
    extra: readonly string[] = [],
  ): Redactor {
    return new Redactor([...extra, ...Redactor.secretsOf(schema, inputs)]);
  }

  /** The secret strings among a workflow's inputs, as `forInputs` finds them. */
  static secretsOf(
    schema: JsonSchema | undefined,
    inputs: Readonly<Record<string, unknown>>,
  ): string[] {
    const secrets: string[] = [];
    collectSecrets(inputs, schema, secrets);
    return secrets;
  }

  /** A secret learnt after construction (a credential the run obtained). */
  add(secret: string): void {
    const before = this.#forms.size;
    this.#addForms(secret);
    if (this.#forms.size !== before) this.#compile();
  }

  /** A run listener: learns the credentials the run obtains (`credential` events). */
  readonly onEvent = (event: RunEvent): void => {
    if (event.type === 'credential') this.add(event.value);
  };

  text(text: string): string {
    return this.#pattern === undefined ? text : text.replace(this.#pattern, MASK);
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

  #addForms(secret: string): void {
    if (secret.length > 0) for (const form of secretForms(secret)) this.#forms.add(form);
  }

  /**
   * One pattern for all forms, longest first: at any position the longest form that matches
   * wins, so a secret that contains another is masked whole.
   */
  #compile(): void {
    const forms = [...this.#forms].sort((a, b) => b.length - a.length);
    if (forms.length === 0) return;
    const alternatives = forms.map((form) => {
      const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return form.length >= SHORT_SECRET
        ? escaped
        : `(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`;
    });
    this.#pattern = new RegExp(alternatives.join('|'), 'gu');
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

/**
 * The strings of every secret field in `value`, at any depth: a field is secret by its name or
 * by its schema (`properties`, array `items`), and then everything below it is. Iterative, so
 * an input nested thousands of levels deep cannot overflow the stack.
 */
function collectSecrets(value: unknown, schema: unknown, into: string[]): void {
  const stack: { value: unknown; schema: unknown }[] = [{ value, schema }];
  while (stack.length > 0) {
    const { value: current, schema: currentSchema } = stack.pop() as (typeof stack)[number];
    if (Array.isArray(current)) {
      const items = schemaField(currentSchema, 'items');
      if (isSecretSchema(items)) collectStrings(current, into);
      else for (const item of current) stack.push({ value: item, schema: items });
    } else if (typeof current === 'object' && current !== null) {
      const properties = schemaField(currentSchema, 'properties');
      for (const [name, item] of Object.entries(current)) {
        const property = schemaField(properties, name);
        if (isSecretInput(name, property)) collectStrings(item, into);
        else stack.push({ value: item, schema: property });
      }
    }
  }
}

function isSecretSchema(schema: unknown): boolean {
  const property = schema as { format?: unknown; writeOnly?: unknown } | undefined;
  return property?.format === 'password' || property?.writeOnly === true;
}

/** A schema keyword or property, own only (a property named `constructor` is no schema). */
function schemaField(schema: unknown, key: string): unknown {
  return typeof schema === 'object' && schema !== null && Object.hasOwn(schema, key)
    ? (schema as Record<string, unknown>)[key]
    : undefined;
}

/** Every string (and number, as text) in `value`, however deep. */
function collectStrings(value: unknown, into: string[]): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') into.push(next);
    else if (typeof next === 'number') into.push(String(next));
    else if (typeof next === 'object' && next !== null)
      for (const item of Object.values(next)) stack.push(item);
  }
}
