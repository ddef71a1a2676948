/**
 * Text forms of a request for comparison and display, whatever its body is (string, bytes,
 * FormData): the runtime's poll detection compares signatures of consecutive requests.
 */
import type { HttpRequest, RequestBody } from './types.js';

/** Method, URL, headers and body as one string; equal requests give equal signatures. */
export function requestSignature(request: HttpRequest): string {
  return `${request.method} ${request.url}\n${JSON.stringify(request.headers)}\n${bodySignature(request.body)}`;
}

/** A body as text: strings as they are, bytes as base64, form parts as `name=value` lines. */
export function bodySignature(body: RequestBody | undefined): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return `base64:${Buffer.from(body).toString('base64')}`;
  const lines: string[] = [];
  for (const [name, value] of body) {
    lines.push(
      typeof value === 'string'
        ? `${name}=${value}`
        : `${name}=<${value.type || 'application/octet-stream'} ${value.name} ${value.size} bytes>`,
    );
  }
  return `multipart:\n${lines.join('\n')}`;
}
