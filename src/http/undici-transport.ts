import { performance } from 'node:perf_hooks';
import { Agent, request, errors, type Dispatcher } from 'undici';
import { ArazzoError } from '../errors.js';
import { decodeBody, parseBody } from './parse-body.js';
import type { HttpRequest, HttpResponse, HttpTransport, SendOptions } from './types.js';

/**
 * The undici transport: one keep-alive connection pool for the whole run (a poll loop reuses
 * its socket), no redirects, a byte cap on bodies, undici's error codes mapped onto ours.
 */
export class UndiciTransport implements HttpTransport {
  readonly #dispatcher: Dispatcher;
  readonly #owned: boolean;

  constructor(dispatcher?: Dispatcher) {
    this.#owned = dispatcher === undefined;
    this.#dispatcher = dispatcher ?? new Agent({ keepAliveTimeout: 10_000 });
  }

  async send(req: HttpRequest, options: SendOptions): Promise<HttpResponse> {
    const started = performance.now();
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    try {
      // No redirect interceptor: undici's request() never follows redirects on its own.
      const response = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal,
        dispatcher: this.#dispatcher,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const headers = flattenHeaders(response.headers);
      // Content-Length announces an oversized body before any of it is read (but a HEAD, 204 or
      // 304 response has no body whatever its Content-Length says: RFC 9110 §8.6).
      const declared = Number(headers['content-length']);
      const bodiless =
        req.method.toUpperCase() === 'HEAD' ||
        response.statusCode === 204 ||
        response.statusCode === 304;
      if (!bodiless && Number.isFinite(declared) && declared > options.maxBodyBytes) {
        discard(response.body);
        throw tooLarge(req, options.maxBodyBytes);
      }
      const bytes = await readCapped(response.body, options.maxBodyBytes, req);
      const bodyText = decodeBody(bytes, headers['content-type']);
      return {
        statusCode: response.statusCode,
        headers,
        bodyText,
        body: parseBody(bodyText, headers['content-type']),
        durationMs: performance.now() - started,
      };
    } catch (error) {
      throw toArazzoError(error, req, options);
    }
  }

  /** Closes the pool if this transport created it. */
  async close(): Promise<void> {
    if (this.#owned) await this.#dispatcher.close();
  }
}

async function readCapped(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
  req: HttpRequest,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > maxBytes) {
      discard(body);
      throw tooLarge(req, maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Stops reading a body and closes its connection. Destroying emits an abort error on the
 * stream; without a listener that error would be an uncaught exception.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function tooLarge(req: HttpRequest, maxBytes: number): ArazzoError {
  return new ArazzoError(
    'HTTP_BODY_TOO_LARGE',
    `${req.method} ${req.url}: response body exceeds ${maxBytes} bytes (raise --max-response-size)`,
  );
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function toArazzoError(error: unknown, req: HttpRequest, options: SendOptions): ArazzoError {
  if (error instanceof ArazzoError) return error;
  const target = `${req.method} ${req.url}`;
  if (options.signal.aborted)
    return new ArazzoError('ABORTED', `${target}: aborted`, { cause: error });
  const name = (error as Error | undefined)?.name;
  if (
    name === 'TimeoutError' ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return new ArazzoError(
      'HTTP_TIMEOUT',
      `${target}: no response within ${options.timeoutMs} ms`,
      { cause: error },
    );
  }
  const code = (error as { code?: string } | undefined)?.code;
  const reason = describeNetworkError(code, error);
  return new ArazzoError('HTTP_NETWORK', `${target}: ${reason}`, { cause: error });
}

function describeNetworkError(code: string | undefined, error: unknown): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset by the server';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return code ? `${message} (${code})` : message;
    }
  }
}
