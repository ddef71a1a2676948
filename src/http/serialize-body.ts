/**
 * Request bodies by media type (POSITIONS §7.3; OAS 3.1.1 §Request Body Object, §Encoding
 * Object, "Special Considerations for multipart Content"). Pure apart from building a FormData.
 *
 * | media type                            | structured value                  | string      |
 * | ------------------------------------- | --------------------------------- | ----------- |
 * | `application/json`, `*+json`          | JSON text                         | as written, must be JSON text |
 * | `application/x-www-form-urlencoded`   | object → pairs (per `encoding`)   | as written  |
 * | `multipart/form-data`                 | object → parts (undici FormData)  | as written  |
 * | XML (`application/xml`, `text/xml`, `*+xml`) | error: give XML text       | as written  |
 * | `text/*`                              | number/boolean → text; else error | as written  |
 * | binary (`application/octet-stream`…)  | bytes; byte arrays → bytes        | as written  |
 *
 * Bytes (`Uint8Array`, `ArrayBuffer`, typed arrays) are sent as they are for every type.
 */
import { File } from 'node:buffer';
import { FormData } from './undici-parts.js';
import { ArazzoError } from '../errors.js';
import { bodyKind, mediaTypeOf } from './media-type.js';
import type { ParameterDefinition } from './parameter-definitions.js';
import { encodeAllowReserved, encodeFormComponent } from './percent-encode.js';
import {
  queryPairs,
  serializationRule,
  type ParameterStyle,
  type SerializationRule,
} from './serialize-parameters.js';
import type { RequestBody } from './types.js';

/** An OpenAPI Encoding Object (for form and multipart bodies). */
export interface EncodingObject {
  readonly contentType?: string;
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
}

export interface SerializeBodyOptions {
  /** The media type's `encoding` map from the operation (OAS 3.x). */
  readonly encoding?: Readonly<Record<string, EncodingObject>>;
  /** Swagger 2.0 `in: formData` parameters (their `collectionFormat` shapes arrays). */
  readonly formParameters?: readonly ParameterDefinition[];
}

export interface SerializedBody {
  readonly body: RequestBody;
  /**
   * The Content-Type header to send. Undefined for a FormData body: the transport (undici)
   * sets `multipart/form-data; boundary=…` itself.
   */
  readonly contentType: string | undefined;
}

export function serializeBody(
  value: unknown,
  contentType: string,
  options: SerializeBodyOptions = {},
): SerializedBody {
  const bytes = asBytes(value);
  if (typeof value === 'string' || bytes !== undefined) {
    const kind = bodyKind(contentType);
    if (kind === 'json' && typeof value === 'string') checkJsonText(value, contentType);
    return { body: bytes ?? (value as string), contentType };
  }
  switch (bodyKind(contentType)) {
    case 'json':
      return { body: JSON.stringify(value) ?? 'null', contentType };
    case 'form':
      return { body: formBody(requireObject(value, contentType), options), contentType };
    case 'multipart':
      return {
        body: multipartBody(requireObject(value, contentType), options),
        contentType: undefined,
      };
    case 'xml':
      throw new ArazzoError(
        'REQUEST_INVALID',
        `cannot send ${describe(value)} as ${contentType}: an XML body must be XML text (a string payload); build it with a template or give it as a literal`,
      );
    case 'binary': {
      const fromArray = byteArray(value);
      if (fromArray !== undefined) return { body: fromArray, contentType };
      throw new ArazzoError(
        'REQUEST_INVALID',
        `cannot send ${describe(value)} as ${contentType}: give the body as a string or as bytes`,
      );
    }
    default:
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
        return { body: String(value), contentType };
      }
      throw new ArazzoError(
        'REQUEST_INVALID',
        `cannot send ${describe(value)} as ${contentType}; give the body as a string`,
      );
  }
}

/** POSITIONS §7.3: a string sent as JSON must be JSON text (a template's output is checked). */
function checkJsonText(text: string, contentType: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArazzoError(
      'REQUEST_INVALID',
      `the ${contentType} payload is a string that is not JSON text (${reason}); give the payload as a structured value, or make the template produce valid JSON`,
    );
  }
}

const QUERY_STYLES: readonly ParameterStyle[] = [
  'form',
  'spaceDelimited',
  'pipeDelimited',
  'deepObject',
];

function formBody(value: Readonly<Record<string, unknown>>, options: SerializeBodyOptions): string {
  const pairs: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const encoding = encodingOf(options, name);
    const rule = formRule(name, encoding, options.formParameters);
    if (rule !== undefined) {
      const encodeValue =
        rule.kind === 'style' && rule.allowReserved ? encodeAllowReserved : encodeFormComponent;
      pairs.push(...queryPairs(name, item, rule, encodeFormComponent, encodeValue));
      continue;
    }
    // No style/explode/allowReserved: by contentType alone (OAS 3.1.1 §Encoding Object):
    // primitives as text, objects as JSON, arrays one pair per item.
    const json =
      encoding?.contentType !== undefined &&
      bodyKind(firstMediaType(encoding.contentType)) === 'json';
    const items = Array.isArray(item) && !json ? item : [item];
    for (const element of items) {
      if (element === undefined) continue;
      pairs.push(`${encodeFormComponent(name)}=${encodeFormComponent(partText(element, json))}`);
    }
  }
  return pairs.join('&');
}

/** The Encoding Object for a payload property: own entries only (a field may be named `constructor`). */
function encodingOf(options: SerializeBodyOptions, name: string): EncodingObject | undefined {
  const encoding = options.encoding;
  return encoding !== undefined && Object.hasOwn(encoding, name) ? encoding[name] : undefined;
}

/** An RFC 6570-style rule when the encoding (or a Swagger 2.0 formData parameter) gives one. */
function formRule(
  name: string,
  encoding: EncodingObject | undefined,
  formParameters: readonly ParameterDefinition[] | undefined,
): SerializationRule | undefined {
  if (
    encoding !== undefined &&
    (encoding.style !== undefined ||
      encoding.explode !== undefined ||
      encoding.allowReserved !== undefined)
  ) {
    const style =
      encoding.style !== undefined && (QUERY_STYLES as readonly string[]).includes(encoding.style)
        ? (encoding.style as ParameterStyle)
        : 'form';
    return {
      kind: 'style',
      style,
      explode: encoding.explode ?? style === 'form',
      allowReserved: encoding.allowReserved ?? false,
    };
  }
  const definition = formParameters?.find((parameter) => parameter.name === name);
  if (definition === undefined) return undefined;
  // Swagger 2.0 formData parameters: collectionFormat as for query (multi repeats the name).
  return serializationRule('query', definition, true).rule;
}

function multipartBody(
  value: Readonly<Record<string, unknown>>,
  options: SerializeBodyOptions,
): FormData {
  const form = new FormData();
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    const declared = encodingOf(options, name)?.contentType;
    // RFC 7578 §4.3 / OAS: an array property is one part per item, all with the same name.
    const items = Array.isArray(item) && byteArray(item) === undefined ? item : [item];
    for (const element of items) {
      if (element === undefined || element === null) continue;
      appendPart(form, name, element, declared);
    }
  }
  return form;
}

function appendPart(
  form: FormData,
  name: string,
  value: unknown,
  declared: string | undefined,
): void {
  const bytes = asBytes(value);
  const type = declared === undefined ? undefined : firstMediaType(declared);
  if (bytes !== undefined) {
    // A file part: the field name doubles as the file name (servers tell files by it).
    form.append(
      name,
      new File([bytes], name, { type: concrete(type) ?? 'application/octet-stream' }),
    );
    return;
  }
  const structured = typeof value === 'object';
  const partType = type ?? (structured ? 'application/json' : 'text/plain');
  const json = bodyKind(partType) === 'json';
  const text = partText(value, json);
  if (mediaTypeOf(partType) === 'text/plain') {
    // A text/plain part needs no header (RFC 7578 §4.4 default): a plain field.
    form.append(name, text);
    return;
  }
  // An empty file name: undici then writes the part's Content-Type without a `filename`.
  form.append(
    name,
    new File([text], '', { type: concrete(partType) ?? 'application/octet-stream' }),
  );
}

function partText(value: unknown, json: boolean): string {
  if (json)
    return typeof value === 'string' && isJsonText(value)
      ? value
      : (JSON.stringify(value) ?? 'null');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The first entry of an Encoding Object's comma-separated `contentType`. */
function firstMediaType(list: string): string {
  return (list.split(',')[0] ?? '').trim();
}

/** A wildcard (`image/*`) names no concrete type to send. */
function concrete(type: string | undefined): string | undefined {
  return type === undefined || type.includes('*') ? undefined : type;
}

function requireObject(value: unknown, contentType: string): Readonly<Record<string, unknown>> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  throw new ArazzoError(
    'REQUEST_INVALID',
    `cannot send ${describe(value)} as ${contentType}: give an object (one field per property) or the encoded body as a string`,
  );
}

/** Bytes as they are: Uint8Array (Buffer), ArrayBuffer, other ArrayBuffer views. */
export function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

/** An array of integers 0–255 (how bytes look after a trip through JSON). */
function byteArray(value: unknown): Uint8Array | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (
    !value.every(
      (item) => Number.isInteger(item) && (item as number) >= 0 && (item as number) <= 255,
    )
  ) {
    return undefined;
  }
  return Uint8Array.from(value as number[]);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
