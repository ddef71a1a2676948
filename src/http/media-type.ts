/**
 * Media types (RFC 6838) as the request and response sides classify them. Pure string work:
 * parameters (`; charset=…`) are ignored, names compare case-insensitively.
 */

/** `type/subtype` of a Content-Type value, lower-cased, without parameters; '' when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  // Media types come from other people's descriptions too: anything but a string is no type.
  if (typeof contentType !== 'string' || contentType === '') return '';
  const end = contentType.indexOf(';');
  return (end < 0 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}

/** A parameter of a Content-Type value (`charset`, `boundary`), unquoted; undefined when absent. */
export function mediaTypeParameter(
  contentType: string | undefined,
  name: string,
): string | undefined {
  if (typeof contentType !== 'string' || contentType === '') return undefined;
  for (const part of contentType.split(';').slice(1)) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim().toLowerCase() !== name.toLowerCase()) continue;
    const value = part.slice(index + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2
      ? value.slice(1, -1)
      : value;
  }
  return undefined;
}

/** JSON media types: `application/json` and any `+json` suffix (RFC 6839). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type === 'application/json' || type.endsWith('+json');
}

/** XML media types: `application/xml`, `text/xml` and any `+xml` suffix (RFC 7303). */
export function isXmlMediaType(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');
}

/** How a request body of this media type is serialized (see serialize-body.ts). */
export type BodyKind = 'json' | 'form' | 'multipart' | 'xml' | 'text' | 'binary' | 'other';

const BINARY_TYPES = new Set([
  'application/octet-stream',
  'application/pdf',
  'application/zip',
  'application/gzip',
]);

export function bodyKind(contentType: string | undefined): BodyKind {
  const type = mediaTypeOf(contentType);
  if (isJsonMediaType(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'multipart/form-data') return 'multipart';
  if (isXmlMediaType(type)) return 'xml';
  if (type.startsWith('text/')) return 'text';
  if (
    BINARY_TYPES.has(type) ||
    type.startsWith('image/') ||
    type.startsWith('audio/') ||
    type.startsWith('video/')
  ) {
    return 'binary';
  }
  return 'other';
}

/**
 * Whether `actual` (a concrete media type) falls under `range` (a key of an OpenAPI `content`
 * map: `application/json`, `text/*`, `*\/*`). Parameters on either side are ignored.
 */
export function matchesMediaRange(actual: string, range: string): boolean {
  const type = mediaTypeOf(actual);
  const pattern = mediaTypeOf(range);
  if (pattern === '*/*' || pattern === '*') return true;
  if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
  return type === pattern;
}

/**
 * The most specific of `ranges` that `actual` matches (exact, then `type/*`, then `*\/*`, as
 * OpenAPI's §Request Body Object says: "text/plain overrides text/*"), or undefined.
 */
export function bestMediaRange(actual: string, ranges: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestRank = -1;
  for (const range of ranges) {
    if (!matchesMediaRange(actual, range)) continue;
    const pattern = mediaTypeOf(range);
    const rank = pattern === '*/*' || pattern === '*' ? 0 : pattern.endsWith('/*') ? 1 : 2;
    if (rank > bestRank) {
      best = range;
      bestRank = rank;
    }
  }
  return best;
}
