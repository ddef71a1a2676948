import { isJsonMediaType } from '../http/media-type.js';

/**
 * A received payload as `$message.payload` sees it: parsed JSON for a JSON content type, or for
 * none (MQTT and WebSocket messages often carry none), else the text as it came.
 */
export function parsePayload(text: string, contentType: string | undefined): unknown {
  if (contentType !== undefined && !isJsonMediaType(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON after all: the text is the payload.
    return text;
  }
}
