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
    // One deadline for the whole exchange, connect to last body byte. undici's own
    // headersTimeout/bodyTimeout are idle timers (bodyTimeout restarts with every chunk), so a
    // server that drips one byte at a time never trips them. A plain timer, not
    // AbortSignal.timeout(): AbortSignal.any() holds its sources weakly, and a timeout signal
    // nothing else references is garbage-collected and never fires (Node 20). The timer keeps
    // the controller alive and is cleared as soon as the exchange ends.
    //
    // The run's signal is forwarded by a listener removed when the exchange ends, not with
    // AbortSignal.any(): on Node 20 every any() leaves a reference in its long-lived source
    // (nodejs/node#55351), so a 100,000-poll run would grow with every request.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('request timeout', 'TimeoutError')),
      options.timeoutMs,
    );
    const controller = new AbortController();
    const forward = (): void => controller.abort(options.signal.reason);
    const timeOut = (): void => controller.abort(deadline.signal.reason);
    if (options.signal.aborted) forward();
    options.signal.addEventListener('abort', forward, { once: true });
    deadline.signal.addEventListener('abort', timeOut, { once: true });
    const { signal } = controller;
    const progress: Progress = { headers: false, received: 0, declared: undefined };
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
      progress.headers = true;
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
      if (!bodiless && Number.isFinite(declared)) progress.declared = declared;
      const bytes = await readCapped(response.body, options.maxBodyBytes, req, progress);
      const bodyText = decodeBody(bytes, headers['content-type']);
      return {
        statusCode: response.statusCode,
        headers,
        bodyText,
        body: parseBody(bodyText, headers['content-type']),
        durationMs: performance.now() - started,
      };
    } catch (error) {
      throw toArazzoError(error, req, options, progress, deadline.signal.aborted);
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', forward);
    }
  }

  /** Closes the pool if this transport created it. */
  async close(): Promise<void> {
    if (this.#owned) await this.#dispatcher.close();
  }
}

/** How far an exchange got, for an error message that says where it broke. */
interface Progress {
  headers: boolean;
  /** Body bytes read so far. */
  received: number;
  /** The body length the response announced (Content-Length), if any. */
  declared: number | undefined;
}

async function readCapped(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
  req: HttpRequest,
  progress: Progress,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    progress.received = total;
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

function toArazzoError(
  error: unknown,
  req: HttpRequest,
  options: SendOptions,
  progress: Progress,
  timedOut: boolean,
): ArazzoError {
  if (error instanceof ArazzoError) return error;
  const target = `${req.method} ${req.url}`;
  if (options.signal.aborted)
    return new ArazzoError('ABORTED', `${target}: aborted`, { cause: error });
  const name = (error as Error | undefined)?.name;
  if (
    timedOut ||
    name === 'TimeoutError' ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    const message = progress.headers
      ? `request timeout: the response body was not complete within ${options.timeoutMs} ms (${received(progress)})`
      : `no response within ${options.timeoutMs} ms (request timeout)`;
    return new ArazzoError('HTTP_TIMEOUT', `${target}: ${message}`, { cause: error });
  }
  const code = (error as { code?: string } | undefined)?.code;
  const reason = describeNetworkError(code, error, progress);
  return new ArazzoError('HTTP_NETWORK', `${target}: ${reason}`, { cause: error });
}

/** "10 of 100 body bytes received" / "3 body bytes received". */
function received(progress: Progress): string {
  return progress.declared === undefined
    ? `${progress.received} body bytes received`
    : `${progress.received} of ${progress.declared} body bytes received`;
}

function describeNetworkError(
  code: string | undefined,
  error: unknown,
  progress: Progress,
): string {
  const message = error instanceof Error ? error.message : String(error);
  const stage = progress.headers ? ` (${received(progress)})` : ' before the response headers';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return `connection reset by the server${stage}`;
    case 'UND_ERR_SOCKET':
      // undici's "other side closed": an orderly close (FIN) in the middle of a response.
      return progress.headers
        ? `the server closed the connection before the response was complete (${received(progress)})`
        : 'the server closed the connection before the response headers were complete';
    case 'UND_ERR_HEADERS_OVERFLOW':
      return 'the response headers are too large';
    default:
      if (code !== undefined && isTlsError(code)) return `TLS: ${message} (${code})`;
      // undici's parser errors carry no code: say what kind of failure it is.
      if (error instanceof Error && error.name === 'HTTPParserError')
        return `malformed HTTP response: ${message}`;
      return code ? `${message} (${code})` : message;
  }
}

/** OpenSSL / Node certificate and handshake error codes. */
function isTlsError(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|SSL|ERR_TLS_|^EPROTO$/.test(code);
}
