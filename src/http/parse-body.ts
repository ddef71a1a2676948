/** JSON media types: `application/json` and any `+json` suffix (RFC 6839). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * Parses a response body by its media type. A JSON body that does not parse stays text:
 * criteria and outputs then see the text, and the step explains itself from there.
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
