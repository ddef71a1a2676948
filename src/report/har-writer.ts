import { createWriteStream, type WriteStream } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { HttpRequest, HttpResponse, RequestBody } from '../http/types.js';
import type { RunEvent } from '../runtime/events.js';
import { commitReport, discardReport, reportTarget, type ReportTarget } from './atomic-file.js';
import { MASK, type Redactor } from './redact.js';

export interface HarCreator {
  readonly name: string;
  readonly version: string;
}

/** Messages kept for `log._messages`: a receive loop of any length keeps memory bounded. */
const MESSAGE_LIMIT = 10_000;

/** The transport speaks HTTP/1.1 (undici). */
const HTTP_VERSION = 'HTTP/1.1';

interface HarNameValue {
  readonly name: string;
  readonly value: string;
}

/**
 * `--har <file>`: an HTTP Archive 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of every
 * request the run sent, loadable in browser devtools. Entries are streamed to the file as
 * `response` events arrive and never kept, so a poll loop of any length keeps memory flat.
 * Everything written passes through the redactor; credential headers and cookies are masked
 * whole.
 *
 * The run's listener is synchronous and cannot pause the run, so backpressure is left to the
 * write stream's buffer: between two responses the run waits on the network, which gives the
 * stream time to drain. Write errors are kept and reported by `close()`; the run is never
 * disturbed by them.
 *
 * The entries stream into a temporary file next to the target, renamed over it by `close()`
 * (atomic-file.ts): a run killed half-way leaves the previous report intact, never a truncated one.
 */
export class HarWriter {
  readonly #stream: WriteStream;
  readonly #target: ReportTarget;
  readonly #redactor: Redactor;
  #entries = 0;
  #error: Error | undefined;
  #closing: Promise<void> | undefined;
  /**
   * AsyncAPI steps' messages (1.1), for `log._messages`: HAR has no entry for a message that
   * is not HTTP, and a custom field keeps the entries loadable in devtools (HAR 1.2 "Custom
   * fields" start with `_`). Kept until `close()`, at most `MESSAGE_LIMIT`.
   */
  readonly #messages: string[] = [];
  #messagesDropped = 0;
  /** When the request now in flight was sent (runs send one request at a time). */
  #sent: { readonly request: HttpRequest; readonly at: number } | undefined;

  private constructor(stream: WriteStream, target: ReportTarget, redactor: Redactor) {
    this.#stream = stream;
    this.#target = target;
    this.#redactor = redactor;
    stream.on('error', (error) => {
      this.#error ??= error;
    });
  }

  /**
   * Creates the temporary file and writes the log's head; the target is not touched until
   * `close()`. Rejects if the file cannot be created (or the target is a folder).
   */
  static async open(path: string, redactor: Redactor, creator: HarCreator): Promise<HarWriter> {
    const target = await reportTarget(path);
    const stream = createWriteStream(target.staging ?? target.path, {
      encoding: 'utf8',
      flags: target.staging === undefined ? 'w' : 'wx',
      mode: target.mode,
      // fsync before close, so the renamed file has its content even after a power cut.
      flush: target.staging !== undefined,
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      stream.once('error', onError);
      stream.once('ready', () => {
        stream.off('error', onError);
        resolve();
      });
    });
    const writer = new HarWriter(stream, target, redactor);
    const head = { version: '1.2', creator: { name: creator.name, version: creator.version } };
    // The log object minus its closing brackets; entries follow, `close()` ends it.
    writer.#write(`{"log":${JSON.stringify(head).slice(0, -1)},"pages":[],"entries":[`);
    return writer;
  }

  /** Entries written so far. */
  get entries(): number {
    return this.#entries;
  }

  readonly onEvent = (event: RunEvent): void => {
    if (this.#closing !== undefined || this.#error !== undefined) return;
    try {
      if (event.type === 'request') this.#sent = { request: event.request, at: Date.now() };
      else if (event.type === 'response') {
        const startedAt =
          this.#sent?.request === event.request
            ? this.#sent.at
            : Date.now() - event.response.durationMs;
        this.#sent = undefined;
        const entry = this.#entry(
          event.workflowId,
          event.stepId,
          event.request,
          event.response,
          startedAt,
        );
        this.#write(`${this.#entries === 0 ? '\n' : ',\n'}${JSON.stringify(entry)}`);
        this.#entries += 1;
      } else if (event.type === 'message') {
        if (this.#messages.length < MESSAGE_LIMIT)
          this.#messages.push(JSON.stringify(this.#message(event)));
        else this.#messagesDropped += 1;
      }
    } catch (error) {
      this.#error ??= error instanceof Error ? error : new Error(String(error));
    }
  };

  /**
   * Ends the log and the file, and renames it into place. Rejects with the first write error,
   * if any (the target then keeps its previous content). Safe to call twice.
   */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (this.#stream.closed) {
        resolve();
        return;
      }
      this.#stream.once('close', resolve);
      if (!this.#stream.destroyed)
        this.#stream.end(`${this.#entries === 0 ? '' : '\n'}]${this.#tail()}}}\n`);
    }).then(async () => {
      if (this.#error === undefined) await commitReport(this.#target);
      else {
        await discardReport(this.#target);
        throw this.#error;
      }
    });
    return this.#closing;
  }

  #write(chunk: string): void {
    // write() returning false only means the buffer is above its mark; see the class comment.
    this.#stream.write(chunk);
  }

  /** `,"_messages":[…]` when the run sent or received messages; dropped ones counted. */
  #tail(): string {
    if (this.#messages.length === 0) return '';
    const dropped =
      this.#messagesDropped === 0 ? '' : `,"_messagesDropped":${this.#messagesDropped}`;
    return `,"_messages":[\n${this.#messages.join(',\n')}\n]${dropped}`;
  }

  #message(event: Extract<RunEvent, { type: 'message' }>) {
    const r = this.#redactor;
    return {
      startedDateTime: new Date().toISOString(),
      action: event.action,
      server: r.text(event.server),
      channel: r.text(event.channel),
      headers: nameValues(r.headers(event.headers)),
      ...(event.contentType === undefined ? {} : { mimeType: r.text(event.contentType) }),
      ...(event.correlationId === undefined ? {} : { correlationId: r.text(event.correlationId) }),
      text: r.text(event.payload),
      _workflowId: r.text(event.workflowId),
      _stepId: r.text(event.stepId),
    };
  }

  #entry(
    workflowId: string,
    stepId: string,
    request: HttpRequest,
    response: HttpResponse,
    startedAt: number,
  ) {
    const r = this.#redactor;
    const wait = Math.max(0, round(response.durationMs));
    const requestMime = header(request.headers, 'content-type') ?? '';
    const responseMime = header(response.headers, 'content-type') ?? '';
    return {
      startedDateTime: new Date(startedAt).toISOString(),
      time: wait,
      request: {
        method: request.method.toUpperCase(),
        url: r.text(request.url),
        httpVersion: HTTP_VERSION,
        cookies: requestCookies(header(request.headers, 'cookie')),
        headers: nameValues(r.headers(request.headers)),
        queryString: queryString(request.url).map(({ name, value }) => ({
          name: r.text(name),
          value: r.text(value),
        })),
        ...(request.body === undefined ? {} : { postData: postData(request.body, requestMime, r) }),
        headersSize: -1,
        bodySize: bodySize(request.body),
      },
      response: {
        status: response.statusCode,
        statusText: STATUS_CODES[response.statusCode] ?? '',
        httpVersion: HTTP_VERSION,
        cookies: responseCookies(header(response.headers, 'set-cookie')),
        headers: nameValues(r.headers(response.headers)),
        content: {
          size: Buffer.byteLength(response.bodyText),
          mimeType: r.text(responseMime),
          text: r.text(response.bodyText),
        },
        redirectURL: r.text(header(response.headers, 'location') ?? ''),
        headersSize: -1,
        bodySize: Buffer.byteLength(response.bodyText),
      },
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive: 0 },
      _workflowId: r.text(workflowId),
      _stepId: r.text(stepId),
    };
  }
}

interface HarParam {
  readonly name: string;
  readonly value?: string;
  readonly fileName?: string;
  readonly contentType?: string;
}

/**
 * HAR `postData`: text for a text body; a binary one as base64 (said in `comment`); a
 * multipart FormData as `params` (files by name and type, never their bytes) plus a readable
 * `text`, since devtools show `text`.
 */
function postData(body: RequestBody, mimeType: string, r: Redactor) {
  if (typeof body === 'string') return { mimeType: r.text(mimeType), text: r.text(body) };
  if (body instanceof Uint8Array) {
    try {
      return { mimeType: r.text(mimeType), text: r.text(UTF8.decode(body)) };
    } catch {
      return {
        mimeType: r.text(mimeType),
        text: r.text(Buffer.from(body).toString('base64')),
        comment: 'binary body, base64',
      };
    }
  }
  const params: HarParam[] = [];
  for (const [name, value] of body.entries()) {
    if (typeof value === 'string') params.push({ name: r.text(name), value: r.text(value) });
    else
      params.push({
        name: r.text(name),
        fileName: r.text(value.name),
        contentType: r.text(value.type),
      });
  }
  const text = params.map((p) => `${p.name}=${p.value ?? `<file ${p.fileName ?? ''}>`}`).join('\n');
  return { mimeType: r.text(mimeType || 'multipart/form-data'), params, text };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes sent as the body; -1 for multipart, whose encoding (boundary) undici chooses. */
function bodySize(body: RequestBody | undefined): number {
  if (body === undefined) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return -1;
}

function round(ms: number): number {
  return Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : 0;
}

function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function nameValues(headers: Readonly<Record<string, string>>): HarNameValue[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** Cookie names are kept so devtools can list them; values are credentials and always masked. */
function requestCookies(cookie: string | undefined): HarNameValue[] {
  if (cookie === undefined) return [];
  return cookie
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim() ?? '')
    .filter((name) => name.length > 0)
    .map((name) => ({ name, value: MASK }));
}

/** A repeated Set-Cookie arrives joined with ", " (which also occurs inside `Expires`): best effort. */
function responseCookies(setCookie: string | undefined): HarNameValue[] {
  if (setCookie === undefined) return [];
  return setCookie
    .split(/,\s*(?=[^;=,\s]+=)/)
    .map((cookie) => cookie.split(';')[0]?.split('=')[0]?.trim() ?? '')
    .filter((name) => name.length > 0)
    .map((name) => ({ name, value: MASK }));
}
