/**
 * `in: querystring` (Arazzo 1.1 §Parameter Object; OAS 3.2 §Parameter Object): "A parameter that
 * treats the entire URL query string as a single value", whose "value MUST match the media type
 * format as expressed by the parameter's `content` field" (POSITIONS §11.6). Pure.
 *
 * | media type of the OpenAPI parameter | string value                              | other value                         |
 * | ----------------------------------- | ----------------------------------------- | ----------------------------------- |
 * | `application/x-www-form-urlencoded` | as written                                | object → pairs (per its `encoding`) |
 * | JSON (`application/json`, `*+json`) | must be JSON text; percent-encoded        | JSON text, percent-encoded          |
 * | anything else                       | percent-encoded                           | as the request body would be, encoded |
 *
 * "As written" still percent-encodes what a query cannot hold (space, `#`, `[`, `]`, non-ASCII,
 * a `%` that starts no `%XX`): without that the URL would end early or not parse. Everything a
 * query may contain, `&`, `=`, `+` and existing `%XX` included, is left as it is.
 */
import { ArazzoError } from '../errors.js';
import { isRecord } from '../document/guards.js';
import { bodyKind } from './media-type.js';
import type { ParameterDefinition } from './parameter-definitions.js';
import { encodePassing, encodeUnreserved } from './percent-encode.js';
import { serializeBody, type EncodingObject } from './serialize-body.js';

/** The media type when the operation defines no querystring parameter: the spec's own example. */
export const DEFAULT_QUERYSTRING_MEDIA_TYPE = 'application/x-www-form-urlencoded';

export interface SerializedQuerystring {
  /** The query string without the `?`, ready for the URL; empty: nothing to send. */
  readonly text: string;
  /** What `$request.query.<name>` reads: the form pairs, or the parameter's text by its name. */
  readonly view: Readonly<Record<string, string>>;
  readonly mediaType: string;
}

/** The media type of an OpenAPI querystring parameter: the one key of its `content`. */
export function querystringMediaType(definition: ParameterDefinition | undefined): string {
  const content = definition?.content;
  const first = content === undefined ? undefined : Object.keys(content)[0];
  return first ?? DEFAULT_QUERYSTRING_MEDIA_TYPE;
}

export function serializeQuerystring(
  name: string,
  value: unknown,
  definition: ParameterDefinition | undefined,
): SerializedQuerystring {
  const mediaType = querystringMediaType(definition);
  if (value === undefined || value === null) return { text: '', view: {}, mediaType };
  const kind = bodyKind(mediaType);
  if (kind === 'form') {
    const text =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? encodeForQuery(String(value))
        : formText(value, mediaType, definition);
    return { text, view: formView(text), mediaType };
  }
  const raw = mediaText(value, mediaType);
  return { text: encodeUnreserved(raw), view: { [name]: raw }, mediaType };
}

function formText(
  value: unknown,
  mediaType: string,
  definition: ParameterDefinition | undefined,
): string {
  const media = definition?.content?.[mediaType];
  const encoding = isRecord(media) && isRecord(media['encoding']) ? media['encoding'] : undefined;
  const { body } = serializeBody(
    value,
    mediaType,
    encoding === undefined
      ? {}
      : { encoding: encoding as Readonly<Record<string, EncodingObject>> },
  );
  if (typeof body !== 'string') throw notText(mediaType);
  return body;
}

/** The value as its media type writes it (JSON text is checked), before percent-encoding. */
function mediaText(value: unknown, mediaType: string): string {
  const { body } = serializeBody(value, mediaType);
  if (typeof body !== 'string') throw notText(mediaType);
  return body;
}

function notText(mediaType: string): ArazzoError {
  return new ArazzoError(
    'REQUEST_INVALID',
    `a querystring parameter (${mediaType}) must be text, not bytes or multipart parts`,
  );
}

/** The pairs of a form query string, decoded (the first of a repeated name wins, as a header). */
function formView(text: string): Record<string, string> {
  // fromEntries defines own properties: a pair named "__proto__" is a name like any other.
  const pairs = [...new URLSearchParams(text)].reverse();
  return Object.fromEntries(pairs);
}

/** RFC 3986 §3.4 query characters and `%XX` triples pass; everything else is percent-encoded. */
const QUERY_PASSING = /^(%[0-9A-Fa-f]{2}|[A-Za-z0-9\-._~!$&'()*+,;=:@/?])/;

export function encodeForQuery(text: string): string {
  return encodePassing(text, QUERY_PASSING);
}
