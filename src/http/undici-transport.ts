import { performance } from 'node:perf_hooks';
import { Agent, request, errors, type Dispatcher } from 'undici';
import { ArazzoError } from '../errors.js';
import { parseBody } from './parse-body.js';
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
      const response = await request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body ?? null,
        signal,
        dispatcher: this.#dispatcher,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const headers = flattenHeaders(response.headers);
      const bodyText = await readCapped(response.body, options.maxBodyBytes, req);
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

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number, req: HttpRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > maxBytes) {
      body.destroy();
      throw new ArazzoError(
        'HTTP_BODY_TOO_LARGE',
        `${req.method} ${req.url}: response body exceeds ${maxBytes} bytes (raise --max-response-size)`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
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
  if (options.signal.aborted) return new ArazzoError('ABORTED', `${target}: aborted`, { cause: error });
  const name = (error as Error | undefined)?.name;
  if (
    name === 'TimeoutError' ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return new ArazzoError('HTTP_TIMEOUT', `${target}: no response within ${options.timeoutMs} ms`, { cause: error });
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
