import { isJsonMediaType, mediaTypeParameter } from './media-type.js';

export { isJsonMediaType, isXmlMediaType } from './media-type.js';

/**
 * Limits on a JSON body's shape, for bodies from servers the runner does not control. Deeper
 * nesting than documents may have (README "Security": 256 levels) would overflow the stack of
 * the recursive code that reads values (redaction, reports, JSONPath); a flood of tiny objects
 * and arrays (`[{},{},…]`) takes many times its bytes once parsed (10 MiB of `{}` is ~400 MB).
 */
const MAX_JSON_DEPTH = 256;
const MAX_JSON_CONTAINERS = 1_000_000;

/**
 * Parses a response body by its media type (POSITIONS §7.5): JSON media types
 * (`application/json`, `*+json`) become values; XML (for `xpath` criteria) and every other type
 * stay text. A JSON body that does not parse stays text: criteria and outputs then see the text,
 * and the step explains itself from there. So does one beyond the limits above (deeper than 256
 * levels, more than a million objects and arrays). An empty body is undefined.
 */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (isJsonMediaType(contentType)) {
    if (!withinJsonLimits(text)) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Whether JSON text stays within MAX_JSON_DEPTH and MAX_JSON_CONTAINERS: one pass over the
 * characters, brackets inside strings ignored. (Malformed text is JSON.parse's business.)
 */
function withinJsonLimits(text: string): boolean {
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      containers += 1;
      if (depth > MAX_JSON_DEPTH || containers > MAX_JSON_CONTAINERS) return false;
    } else if (code === 0x7d || code === 0x5d) {
      depth -= 1;
    }
  }
  return true;
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
  return decoderFor(charset?.toLowerCase() ?? 'utf-8').decode(bytes);
}

/** Decoders by charset label, made once: `decode()` without `stream` keeps no state. */
const decoders = new Map<string, TextDecoder>();

function decoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      // An unknown label: UTF-8 (and the label is not remembered, so the map stays small).
      return decoderFor('utf-8');
    }
    decoders.set(label, decoder);
  }
  return decoder;
}
