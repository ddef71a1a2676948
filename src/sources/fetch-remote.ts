import { ArazzoError } from '../errors.js';
import { MAX_DOCUMENT_BYTES } from '../document/read-text.js';
import { assertHostAllowed } from './host-patterns.js';

/**
 * The one way the runner downloads a document: a source description, or a remote `$ref` inside
 * an OpenAPI description (swagger-parser is given this through `remote-refs.ts`). Redirects are
 * followed by hand, so every hop is checked against `--allow-host` and must stay http(s); the
 * time and the bytes a download may take come from a `FetchBudget`.
 */

/** How long one source description (or all the remote `$ref`s of one description) may take. */
export const REMOTE_TIMEOUT_MS = 30_000;
export const MAX_REDIRECTS = 5;
/** The most one download (or all the remote `$ref`s of one description) may decode to. */
export const MAX_REMOTE_BYTES = MAX_DOCUMENT_BYTES;

/** http: and https: are the only schemes the runner fetches; anything else is a local read. */
export function isRemoteUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export interface BudgetLimits {
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /**
   * Set when several downloads share the budget (the remote `$ref`s of one description): the
   * document they belong to, named in the messages.
   */
  readonly sharedBy?: string;
  /** Ends every download of the budget at once (the caller was interrupted). */
  readonly signal?: AbortSignal;
}

/**
 * A deadline and a byte allowance, for one download or shared by a group. `close()` ends
 * whatever is still downloading, so nothing outlives the load that started it.
 */
export class FetchBudget {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly sharedBy: string | undefined;
  readonly #controller = new AbortController();
  // A timer, not AbortSignal.timeout(): the timer holds the controller, so a garbage collection
  // cannot take the deadline away (see the AbortSignal.any() note in test/hostile).
  readonly #timer: NodeJS.Timeout;
  readonly #outer: AbortSignal | undefined;
  readonly #onOuterAbort = (): void => this.#controller.abort();
  #left: number;
  #timedOut = false;

  constructor(limits: BudgetLimits = {}) {
    this.timeoutMs = limits.timeoutMs ?? REMOTE_TIMEOUT_MS;
    this.maxBytes = limits.maxBytes ?? MAX_REMOTE_BYTES;
    this.sharedBy = limits.sharedBy;
    this.#left = this.maxBytes;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort();
    }, this.timeoutMs);
    this.#outer = limits.signal;
    if (this.#outer?.aborted) this.#controller.abort();
    else this.#outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get timedOut(): boolean {
    return this.#timedOut;
  }

  get interrupted(): boolean {
    return this.#outer?.aborted === true;
  }

  /** Bytes still allowed. */
  get left(): number {
    return this.#left;
  }

  /** Counts `bytes` against the allowance; false once it is exceeded. */
  take(bytes: number): boolean {
    this.#left -= bytes;
    return this.#left >= 0;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
    this.#controller.abort();
  }
}

export interface FetchRemoteOptions {
  /** What is fetched, for messages: `fetching a source description`. */
  readonly what: string;
  readonly allowHosts?: readonly string[] | undefined;
  readonly budget: FetchBudget;
}

/** Downloads `url` within the budget; every failure is a one-line `ArazzoError`. */
export async function fetchRemote(url: string, options: FetchRemoteOptions): Promise<Buffer> {
  const { budget } = options;
  let target = url;
  let from: string | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!isRemoteUrl(target)) {
      // fetch() would refuse too, but say why: a remote document never leads to a local read.
      throw new ArazzoError(
        'SOURCE_LOAD_FAILED',
        `${from ?? url} redirects to ${target}: only http(s) redirects are followed`,
      );
    }
    const what = from === undefined ? options.what : `${options.what} (redirected by ${from})`;
    assertHostAllowed(target, options.allowHosts, what);
    let response: Response;
    try {
      response = await fetch(target, { signal: budget.signal, redirect: 'manual' });
    } catch (error) {
      throw fetchFailure(error, target, budget);
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel().catch(() => undefined);
      from = target;
      try {
        target = new URL(location, target).href;
      } catch {
        throw new ArazzoError('SOURCE_LOAD_FAILED', `${from} redirects to an invalid URL`);
      }
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new ArazzoError('SOURCE_LOAD_FAILED', `HTTP ${response.status} fetching ${target}`);
    }
    return await readCapped(response, target, budget);
  }
  throw new ArazzoError(
    'SOURCE_LOAD_FAILED',
    `more than ${MAX_REDIRECTS} redirects fetching ${url}`,
  );
}

/**
 * Reads the body within the budget. fetch() decodes `Content-Encoding` (gzip, deflate, br) as
 * it streams, so the bytes counted here are decoded bytes: a gzip bomb stops at the cap like an
 * endless body, and decoding stops with the read (the stream is pull-based). A `Content-Length`
 * beyond the allowance is refused before any of the body is read.
 */
async function readCapped(response: Response, url: string, budget: FetchBudget): Promise<Buffer> {
  const announced = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(announced) && announced > budget.left) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, budget, ` (Content-Length: ${announced})`);
  }
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of response.body) {
      // Leaving the loop by throwing cancels the stream (and the connection).
      if (!budget.take(chunk.byteLength)) throw tooLarge(url, budget, '');
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ArazzoError) throw error;
    throw fetchFailure(error, url, budget);
  }
  return Buffer.concat(chunks);
}

function tooLarge(url: string, budget: FetchBudget, detail: string): ArazzoError {
  return new ArazzoError(
    'HTTP_BODY_TOO_LARGE',
    budget.sharedBy === undefined
      ? `${url} is larger than ${budget.maxBytes} bytes${detail}`
      : `${url}: the remote $refs of ${budget.sharedBy} are larger than ${budget.maxBytes} bytes in total${detail}`,
  );
}

/**
 * Failures where the host could not be reached at all (no name, no route, refused, no answer in
 * time), as opposed to a server that answered badly: being offline looks like this, and the
 * commands that can skip remote sources say so (`offlineHint`).
 */
const unreachable = new WeakSet<ArazzoError>();
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether `error`, or an error it was caused by, is a host that could not be reached. */
export function isUnreachable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let at = error; at instanceof Error && !seen.has(at); at = at.cause) {
    seen.add(at);
    if (at instanceof ArazzoError && unreachable.has(at)) return true;
  }
  return false;
}

/** What `validate`, `describe` and `graph` add to a failure that `isUnreachable`; else ''. */
export function offlineHint(error: unknown): string {
  return isUnreachable(error) ? ' (offline? --no-remote skips remote sources)' : '';
}

/** A rejected fetch or body read, said in one line: the deadline, an interruption, or why. */
function fetchFailure(error: unknown, url: string, budget: FetchBudget): ArazzoError {
  const failure = describeFailure(error, url, budget);
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  if (
    failure.code === 'HTTP_TIMEOUT' ||
    (typeof code === 'string' && UNREACHABLE_CODES.has(code))
  ) {
    unreachable.add(failure);
  }
  return failure;
}

function describeFailure(error: unknown, url: string, budget: FetchBudget): ArazzoError {
  if (budget.timedOut) {
    const limit = formatLimit(budget.timeoutMs);
    return new ArazzoError(
      'HTTP_TIMEOUT',
      budget.sharedBy === undefined
        ? `cannot fetch ${url}: no complete response within ${limit}`
        : `cannot fetch ${url}: the remote $refs of ${budget.sharedBy} were not all fetched within ${limit}`,
    );
  }
  if (budget.interrupted) return new ArazzoError('ABORTED', `fetching ${url} interrupted`);
  // fetch says only "fetch failed" (or "terminated" mid-body); the cause has the reason.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail =
    typeof cause?.message === 'string'
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error);
  return new ArazzoError('HTTP_NETWORK', `cannot fetch ${url}: ${describeCode(code, detail)}`);
}

function describeCode(code: string | undefined, detail: string): string {
  if (code === undefined) return detail;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code === 'ECONNRESET') return 'connection reset by the server (ECONNRESET)';
  // undici's "other side closed": an orderly close in the middle of a response.
  if (code === 'UND_ERR_SOCKET') return 'the server closed the connection too early';
  if (code.startsWith('HPE_')) return `malformed HTTP response (${code})`;
  if (code.startsWith('Z_')) return `the body does not decode as its Content-Encoding (${code})`;
  return code;
}

/** `30 s`, `1.5 s`, `250 ms`: the limit as a person reads it. */
export function formatLimit(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
