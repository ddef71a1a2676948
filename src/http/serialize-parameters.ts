/**
 * OpenAPI parameter serialization, pure: OAS 3.x `style`/`explode`/`allowReserved`/`content`
 * (OAS 3.1.1 §Parameter Object, "Style Values" and "Style Examples", Appendices C–E) and
 * Swagger 2.0 `collectionFormat`.
 *
 * Positions where the specification leaves a choice (its "n/a" and "implementation-defined"):
 * - null, undefined, `[]` and `{}` are RFC 6570 "undefined": nothing is sent (callers decide
 *   whether that is an error); the empty string is a value (`?color=`, `;color`, `.`).
 * - Nested arrays/objects inside an array or object value are sent as JSON text, except under
 *   `deepObject`, which nests brackets (`color[a][b]=1`, arrays indexed `color[0]=x`).
 * - `spaceDelimited`/`pipeDelimited` with `explode: true`, or with a primitive, behave as
 *   `form`; `deepObject` ignores `explode`.
 * - Headers are not percent-encoded (OAS Appendix D): a header value is sent as written.
 * - Cookies use `form` with `; ` between pairs (Appendix D: "form" with `&` is wrong for
 *   cookies); values are percent-encoded, the `,` delimiter is not.
 * - A style OpenAPI does not permit for the location falls back to the location's default,
 *   with a warning.
 */
import type { ParameterLocation } from '../document/types.js';
import type { ParameterDefinition } from './parameter-definitions.js';
import { encodeAllowReserved, encodeUnreserved } from './percent-encode.js';
import { isJsonMediaType } from './media-type.js';

export type ParameterStyle =
  'matrix' | 'label' | 'form' | 'simple' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

export type CollectionFormat = 'csv' | 'ssv' | 'tsv' | 'pipes' | 'multi';

/** How one parameter's value becomes text. */
export type SerializationRule =
  | {
      readonly kind: 'style';
      readonly style: ParameterStyle;
      readonly explode: boolean;
      readonly allowReserved: boolean;
    }
  /** OAS 3.x `content`: the value serialized by its media type (JSON text for JSON types). */
  | { readonly kind: 'content'; readonly mediaType: string }
  /** Swagger 2.0 `collectionFormat` (csv also covers non-array values). */
  | { readonly kind: 'collection'; readonly format: CollectionFormat };

/**
 * The locations a style serializes: `querystring` is the whole query string, serialized by its
 * media type (serialize-querystring.ts), never by a style.
 */
export type StyledLocation = Exclude<ParameterLocation, 'querystring'>;

/** The styles OpenAPI permits per location ("Style Values" table); the first is the default. */
const STYLES: Readonly<Record<StyledLocation, readonly ParameterStyle[]>> = {
  path: ['simple', 'matrix', 'label'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
};

const COLLECTION_FORMATS: readonly CollectionFormat[] = ['csv', 'ssv', 'tsv', 'pipes', 'multi'];

export interface ResolvedRule {
  readonly rule: SerializationRule;
  /** Set when the definition asked for something OpenAPI does not allow here. */
  readonly warning?: string;
}

/** The location's defaults: query/cookie `form` + explode, path/header `simple`. */
export function defaultRule(location: StyledLocation): SerializationRule {
  const style = STYLES[location][0] ?? 'simple';
  return { kind: 'style', style, explode: style === 'form', allowReserved: false };
}

/**
 * The rule for a parameter: from its definition when the operation has one (Swagger 2.0
 * definitions use `collectionFormat`), else the location's defaults.
 */
export function serializationRule(
  location: StyledLocation,
  definition: ParameterDefinition | undefined,
  swagger2: boolean,
): ResolvedRule {
  if (definition === undefined) return { rule: defaultRule(location) };
  const label = `parameter "${definition.name}" (in ${location})`;
  if (swagger2) {
    const requested = definition.collectionFormat ?? 'csv';
    const format = (COLLECTION_FORMATS as readonly string[]).includes(requested)
      ? (requested as CollectionFormat)
      : undefined;
    if (format === undefined) {
      return {
        rule: { kind: 'collection', format: 'csv' },
        warning: `${label} has the unknown collectionFormat "${requested}"; sent as csv`,
      };
    }
    if (format === 'multi' && location !== 'query') {
      return {
        rule: { kind: 'collection', format: 'csv' },
        warning: `${label}: collectionFormat "multi" applies to query parameters only; sent as csv`,
      };
    }
    return { rule: { kind: 'collection', format } };
  }
  if (definition.content !== undefined && typeof definition.content === 'object') {
    const mediaType = Object.keys(definition.content)[0];
    if (mediaType !== undefined) return { rule: { kind: 'content', mediaType } };
  }
  const allowed = STYLES[location];
  const fallback = allowed[0] ?? 'simple';
  let style: ParameterStyle = fallback;
  let warning: string | undefined;
  if (definition.style !== undefined) {
    if ((allowed as readonly string[]).includes(definition.style)) {
      style = definition.style as ParameterStyle;
    } else {
      warning = `${label} has style "${definition.style}", which OpenAPI does not allow in ${location}; sent as ${fallback}`;
    }
  }
  const explode =
    typeof definition.explode === 'boolean' && warning === undefined
      ? definition.explode
      : style === 'form';
  const allowReserved = location === 'query' && definition.allowReserved === true;
  const rule: SerializationRule = { kind: 'style', style, explode, allowReserved };
  return warning === undefined ? { rule } : { rule, warning };
}

/** RFC 6570 §2.3 "undefined": null/undefined, an empty list, an empty map. */
export function isUndefinedValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

type Encode = (text: string) => string;
const identity: Encode = (text) => text;

/** The text that replaces `{name}` in the path template (already percent-encoded). */
export function serializePathParameter(
  name: string,
  value: unknown,
  rule: SerializationRule,
): string {
  if (isUndefinedValue(value)) return '';
  if (rule.kind === 'content') return encodeUnreserved(contentText(value, rule.mediaType));
  if (rule.kind === 'collection') return collectionText(value, rule.format, encodeUnreserved);
  const encode = encodeUnreserved;
  const shape = shapeOf(value);
  switch (rule.style) {
    case 'matrix': {
      const prefix = `;${encode(name)}`;
      if (shape.kind === 'primitive')
        return shape.text === '' ? prefix : `${prefix}=${encode(shape.text)}`;
      if (shape.kind === 'array') {
        if (!rule.explode) return `${prefix}=${shape.items.map(encode).join(',')}`;
        return shape.items
          .map((item) => (item === '' ? prefix : `${prefix}=${encode(item)}`))
          .join('');
      }
      if (!rule.explode) return `${prefix}=${flattenEntries(shape.entries).map(encode).join(',')}`;
      return shape.entries
        .map(([key, item]) => (item === '' ? `;${encode(key)}` : `;${encode(key)}=${encode(item)}`))
        .join('');
    }
    case 'label': {
      if (shape.kind === 'primitive') return `.${encode(shape.text)}`;
      if (shape.kind === 'array')
        return `.${shape.items.map(encode).join(rule.explode ? '.' : ',')}`;
      if (!rule.explode) return `.${flattenEntries(shape.entries).map(encode).join(',')}`;
      return shape.entries.map(([key, item]) => `.${encode(key)}=${encode(item)}`).join('');
    }
    default:
      return simpleText(shape, rule.explode, encode);
  }
}

/** The header value (not percent-encoded: OAS Appendix D). */
export function serializeHeaderParameter(value: unknown, rule: SerializationRule): string {
  if (isUndefinedValue(value)) return '';
  if (rule.kind === 'content') return contentText(value, rule.mediaType);
  if (rule.kind === 'collection') return collectionText(value, rule.format, identity);
  return simpleText(shapeOf(value), rule.style === 'simple' ? rule.explode : false, identity);
}

/** `name=value` pieces for the query string, percent-encoded; join them with `&`. */
export function serializeQueryParameter(
  name: string,
  value: unknown,
  rule: SerializationRule,
): string[] {
  if (rule.kind === 'style' && rule.allowReserved) {
    return queryPairs(name, value, rule, encodeUnreserved, encodeAllowReserved);
  }
  return queryPairs(name, value, rule, encodeUnreserved, encodeUnreserved);
}

/**
 * `name=value` pieces for a query-like string with caller-chosen encoders (the form-urlencoded
 * body serializer passes its own). `encodeName` encodes the parameter's own name;
 * `encodeValue` encodes values and exploded keys.
 */
export function queryPairs(
  name: string,
  value: unknown,
  rule: SerializationRule,
  encodeName: Encode,
  encodeValue: Encode,
): string[] {
  if (isUndefinedValue(value)) return [];
  const key = encodeName(name);
  if (rule.kind === 'content') return [`${key}=${encodeValue(contentText(value, rule.mediaType))}`];
  if (rule.kind === 'collection') {
    if (rule.format === 'multi' && Array.isArray(value)) {
      return value.map((item) => `${key}=${encodeValue(itemText(item))}`);
    }
    return [`${key}=${collectionText(value, rule.format, encodeValue)}`];
  }
  const shape = shapeOf(value);
  if (shape.kind === 'primitive') return [`${key}=${encodeValue(shape.text)}`];
  switch (rule.style) {
    case 'deepObject':
      return deepObjectPairs(name, value, encodeName, encodeValue);
    case 'spaceDelimited':
    case 'pipeDelimited':
      if (!rule.explode) {
        const delimiter = encodeValue(rule.style === 'spaceDelimited' ? ' ' : '|');
        const parts = shape.kind === 'array' ? shape.items : flattenEntries(shape.entries);
        return [`${key}=${parts.map(encodeValue).join(delimiter)}`];
      }
      return formPairs(key, shape, true, encodeValue);
    default:
      return formPairs(key, shape, rule.explode, encodeValue);
  }
}

/** Cookie pairs (`name=value`, values percent-encoded); join them with `; `. */
export function serializeCookieParameter(
  name: string,
  value: unknown,
  rule: SerializationRule,
): string[] {
  if (isUndefinedValue(value)) return [];
  if (rule.kind === 'content')
    return [`${name}=${encodeUnreserved(contentText(value, rule.mediaType))}`];
  if (rule.kind === 'collection')
    return [`${name}=${collectionText(value, rule.format, encodeUnreserved)}`];
  const shape = shapeOf(value);
  // Cookies allow only `form` (any other style falls back to it in serializationRule).
  return formPairs(name, shape, rule.explode, encodeUnreserved);
}

/**
 * The unencoded text `$request.query.<name>` / `$request.path.<name>` show: a primitive as
 * text, an array comma-joined, an object as `key,value,…` (the `simple` style, unencoded).
 */
export function parameterViewText(value: unknown): string {
  if (isUndefinedValue(value)) return '';
  return simpleText(shapeOf(value), false, identity);
}

type Shape =
  | { readonly kind: 'primitive'; readonly text: string }
  | { readonly kind: 'array'; readonly items: readonly string[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, string])[] };

function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return { kind: 'array', items: value.map(itemText) };
  if (isPlainObject(value)) {
    return {
      kind: 'object',
      entries: Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, itemText(item)] as const),
    };
  }
  return { kind: 'primitive', text: itemText(value) };
}

/** A primitive as text; a nested structure (or anything else) as JSON text. */
function itemText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null || value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

function flattenEntries(entries: readonly (readonly [string, string])[]): string[] {
  return entries.flatMap(([key, item]) => [key, item]);
}

function simpleText(shape: Shape, explode: boolean, encode: Encode): string {
  if (shape.kind === 'primitive') return encode(shape.text);
  if (shape.kind === 'array') return shape.items.map(encode).join(',');
  if (!explode) return flattenEntries(shape.entries).map(encode).join(',');
  return shape.entries.map(([key, item]) => `${encode(key)}=${encode(item)}`).join(',');
}

function formPairs(key: string, shape: Shape, explode: boolean, encode: Encode): string[] {
  if (shape.kind === 'primitive') return [`${key}=${encode(shape.text)}`];
  if (shape.kind === 'array') {
    return explode
      ? shape.items.map((item) => `${key}=${encode(item)}`)
      : [`${key}=${shape.items.map(encode).join(',')}`];
  }
  return explode
    ? shape.entries.map(([name, item]) => `${encode(name)}=${encode(item)}`)
    : [`${key}=${flattenEntries(shape.entries).map(encode).join(',')}`];
}

function deepObjectPairs(
  name: string,
  value: unknown,
  encodeName: Encode,
  encodeValue: Encode,
): string[] {
  const pairs: string[] = [];
  const visit = (path: string, item: unknown): void => {
    if (item === undefined) return;
    if (Array.isArray(item)) {
      item.forEach((element, index) => visit(`${path}[${index}]`, element));
      return;
    }
    if (isPlainObject(item)) {
      for (const [key, element] of Object.entries(item)) visit(`${path}[${key}]`, element);
      return;
    }
    pairs.push(`${encodeName(path)}=${encodeValue(itemText(item))}`);
  };
  visit(name, value);
  return pairs;
}

const DELIMITERS: Readonly<Record<CollectionFormat, string>> = {
  csv: ',',
  ssv: ' ',
  tsv: '\t',
  pipes: '|',
  multi: ',',
};

function collectionText(value: unknown, format: CollectionFormat, encode: Encode): string {
  const shape = shapeOf(value);
  if (shape.kind === 'primitive') return encode(shape.text);
  const parts = shape.kind === 'array' ? shape.items : flattenEntries(shape.entries);
  // The comma is RFC 6570's own delimiter and stays literal; the others are data characters.
  const delimiter = format === 'csv' || format === 'multi' ? ',' : encode(DELIMITERS[format]);
  return parts.map(encode).join(delimiter);
}

/** OAS `content` parameters: JSON media types get JSON text (a string is taken as written). */
function contentText(value: unknown, mediaType: string): string {
  if (typeof value === 'string') return value;
  if (isJsonMediaType(mediaType)) return JSON.stringify(value) ?? '';
  return itemText(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
