import type { FormData } from 'undici';

/**
 * A request body as the transport sends it: text, bytes, or (for `multipart/form-data`
 * payloads given as objects) an undici FormData, which undici encodes per RFC 7578 and for
 * which it sets `Content-Type: multipart/form-data; boundary=…` itself.
 */
export type RequestBody = string | Uint8Array | FormData;

/** A request as the engine builds it and the transport sends it. */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  /** Header names as written; at most one entry per case-insensitive name. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: RequestBody;
}

/** A response with its body already read (within the size cap) and parsed by media type. */
export interface HttpResponse {
  readonly statusCode: number;
  /** Lower-cased names; a repeated header is joined with ", " (RFC 9110 §5.3). */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
  /** Parsed JSON for JSON media types (`application/json`, `*+json`), otherwise `bodyText`. */
  readonly body: unknown;
  readonly durationMs: number;
}

export interface SendOptions {
  readonly signal: AbortSignal;
  /** Per-request deadline (connect + headers + body). */
  readonly timeoutMs: number;
  /** A body larger than this ends the request with `HTTP_BODY_TOO_LARGE`. */
  readonly maxBodyBytes: number;
}

/**
 * The only way the engine talks to the network. Implementations reject with an
 * `ArazzoError` (`HTTP_NETWORK`, `HTTP_TIMEOUT`, `HTTP_BODY_TOO_LARGE`, `ABORTED`) and never
 * follow redirects: a 302 must stay visible to criteria (POSITIONS §6.3).
 */
export interface HttpTransport {
  send(request: HttpRequest, options: SendOptions): Promise<HttpResponse>;
}
