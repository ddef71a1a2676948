import { isJsonMediaType, mediaTypeParameter } from './media-type.js';

export { isJsonMediaType, isXmlMediaType } from './media-type.js';

/**
 * Parses a response body by its media type (SPEC-NOTES §7.5): JSON media types
 * (`application/json`, `*+json`) become values; XML (for `xpath` criteria) and every other type
 * stay text. A JSON body that does not parse stays text: criteria and outputs then see the text,
 * and the step explains itself from there. An empty body is undefined.
 */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (isJsonMediaType(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Response bytes as text: the Content-Type's `charset` when it names an encoding the runtime
 * knows (WHATWG Encoding labels), else UTF-8 (RFC 8259 §8.1 for JSON). A byte-order mark is
 * removed. Invalid sequences become U+FFFD rather than failing the step.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  const charset = isJsonMediaType(contentType)
    ? undefined
    : mediaTypeParameter(contentType, 'charset');
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}
