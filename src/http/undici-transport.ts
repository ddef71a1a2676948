import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { Agent, errors, request } from './undici-parts.js';
import { ArazzoError } from '../errors.js';
import { LongTimeout } from '../timers.js';
import { decodeBody, parseBody } from './parse-body.js';
import type { HttpRequest, HttpResponse, HttpTransport, SendOptions } from './types.js';

/** Spare controllers kept for later exchanges (see #spare): enough for concurrent callers. */
const MAX_SPARE = 16;

/**
 * The undici transport: one keep-alive connection pool for the whole run (a poll loop reuses
 * its socket), no redirects, a byte cap on bodies, undici's error codes mapped onto ours.
 */
export class UndiciTransport implements HttpTransport {
  readonly #dispatcher: Dispatcher;
  readonly #owned: boolean;
  /**
   * Controllers of exchanges that ended without being aborted, for the next exchanges: making
   * an AbortController costs more than the rest of `send`'s own work, and a poll sends
   * thousands of requests. Several, for callers that send concurrently.
   */
  readonly #spare: AbortController[] = [];
  /**
   * The exchanges in flight per caller signal, aborted together by one listener on that signal:
   * adding and removing a listener on the run's signal for every request cost ~2 µs each.
   */
  readonly #inFlight = new WeakMap<AbortSignal, Set<AbortController>>();

  constructor(dispatcher?: Dispatcher) {
    this.#owned = dispatcher === undefined;
    this.#dispatcher = dispatcher ?? new Agent({ keepAliveTimeout: 10_000 });
  }

  async send(req: HttpRequest, options: SendOptions): Promise<HttpResponse> {
    const started = performance.now();
    // One deadline for the whole exchange, connect to last body byte. undici's own
    // headersTimeout/bodyTimeout are idle timers (bodyTimeout restarts with every chunk), so a
    // server that drips one byte at a time never trips them. One controller per exchange,
    // aborted by a plain timer or by the caller's signal (through the one listener #follow
    // keeps on it): no AbortSignal.timeout()/any(), which on Node 20 leave a reference in the
    // long-lived run signal per call (nodejs/node#55351) and keep a 30-second timer alive per
    // request.
    const controller = this.#spare.pop() ?? new AbortController();
    let timedOut = false;
    // A LongTimeout: a plain timer fires after 1 ms for a delay past 2³¹−1 ms (timers.ts).
    const timer = new LongTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('request timeout', 'TimeoutError'));
    }, options.timeoutMs);
    const inFlight = this.#follow(options.signal);
    if (options.signal.aborted) controller.abort(options.signal.reason);
    else inFlight.add(controller);
    const { signal } = controller;
    const progress: Progress = { headers: false, received: 0, declared: undefined };
    try {
      // No redirect interceptor: undici's request() never follows redirects on its own.
      const response = await request(this.#dispatcher, req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal,
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
      throw toArazzoError(error, req, options, progress, timedOut);
    } finally {
      timer.clear();
      inFlight.delete(controller);
      if (!controller.signal.aborted && this.#spare.length < MAX_SPARE)
        this.#spare.push(controller);
    }
  }

  /** The set of exchanges that `signal` aborts, with its one listener added on first use. */
  #follow(signal: AbortSignal): Set<AbortController> {
    let inFlight = this.#inFlight.get(signal);
    if (inFlight === undefined) {
      const controllers = new Set<AbortController>();
      signal.addEventListener(
        'abort',
        () => {
          for (const controller of controllers) controller.abort(signal.reason);
        },
        { once: true },
      );
      this.#inFlight.set(signal, (inFlight = controllers));
    }
    return inFlight;
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

/**
 * The body's bytes, at most `maxBytes` of them. Listeners rather than `for await`: the async
 * iterator costs several microseconds per response, and a poll reads thousands of them.
 */
function readCapped(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
  req: HttpRequest,
  progress: Progress,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.length;
      progress.received = total;
      if (total > maxBytes) {
        discard(body);
        reject(tooLarge(req, maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    body.on('end', () => {
      ended = true;
    });
    body.on('error', reject);
    // Settled on 'close' (which follows 'end'): undici has then removed its listener from the
    // exchange's signal, so the controller can serve the next exchange. A stream destroyed
    // without an error would otherwise leave the exchange waiting forever.
    body.on('close', () => {
      if (ended) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
      else reject(new Error('the response body was closed before its end'));
    });
  });
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
  // undici already lower-cases the names; only repeated headers need joining.
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = typeof value === 'string' ? value : value.join(', ');
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
