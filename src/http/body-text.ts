import type { RequestBody } from './types.js';

/**
 * A request body as text, for reports, verbose output and recognising a repeated request:
 * text as it is, bytes as UTF-8 when they decode cleanly (else a byte count), multipart
 * fields one per line (files by name and size).
 */
export function bodyText(body: RequestBody | undefined): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return `<${body.byteLength} bytes>`;
    }
  }
  const lines: string[] = [];
  for (const [name, value] of body.entries()) {
    lines.push(
      typeof value === 'string'
        ? `${name}=${value}`
        : `${name}=<file ${value.name}, ${value.size} bytes>`,
    );
  }
  return lines.join('\n');
}
