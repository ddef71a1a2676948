/**
 * Percent-encoding for URI components (RFC 3986 §2.1) as RFC 6570 expansion does it, which is
 * what OpenAPI's parameter styles are defined by (OAS 3.1 Appendix C and E).
 */

/**
 * RFC 6570 simple expansion: everything but unreserved characters (ALPHA / DIGIT / `-._~`) is
 * percent-encoded as UTF-8. `encodeURIComponent` leaves `!'()*` alone; RFC 3986 reserves them.
 */
export function encodeUnreserved(text: string): string {
  return encodeURIComponent(wellFormed(text)).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Reserved characters `allowReserved` lets through in a query string, and existing `%XX` triples. */
const RESERVED_PASSING = /^(%[0-9A-Fa-f]{2}|[A-Za-z0-9\-._~:/?@!$'()*,;])/;

/**
 * `allowReserved: true` (OAS 3.1 §Parameter Object): RFC 6570 reserved expansion, which keeps
 * reserved characters and percent-encoded triples, except the ones the OpenAPI text says
 * applications still must encode in a query: `[`, `]`, `#` (not allowed in a query) and `&`,
 * `=`, `+` (meaningful in form-urlencoded query strings).
 */
export function encodeAllowReserved(text: string): string {
  return encodePassing(text, RESERVED_PASSING);
}

/**
 * Percent-encodes `text` except the runs `passing` (anchored at the start) keeps as they are;
 * everything else is encoded one code point at a time as `encodeUnreserved` does.
 */
export function encodePassing(text: string, passing: RegExp): string {
  let result = '';
  let rest = wellFormed(text);
  while (rest.length > 0) {
    const kept = passing.exec(rest);
    if (kept) {
      result += kept[0];
      rest = rest.slice(kept[0].length);
      continue;
    }
    const char = String.fromCodePoint(rest.codePointAt(0) ?? 0);
    result += encodeUnreserved(char);
    rest = rest.slice(char.length);
  }
  return result;
}

/** `application/x-www-form-urlencoded` bytes: WHATWG form encoding (space → `+`). */
export function encodeFormComponent(text: string): string {
  // A lone surrogate cannot be UTF-8 encoded (encodeURIComponent throws): see wellFormed.
  return encodeURIComponent(wellFormed(text))
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Lone surrogates (not encodable as UTF-8) become U+FFFD, as `String.prototype.toWellFormed` does. */
export function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}
