import { ArazzoError } from '../errors.js';
import type { Credentials } from '../http/auth/types.js';
import type { HttpTransport } from '../http/types.js';
import type { RunClock } from './clock.js';
import type { RunListener } from './events.js';
import type { RunJournal } from './journal.js';
import { MAX_DURATION_MS } from '../timers.js';

export interface RunOptions {
  /** The workflow to run; may be omitted when the document has exactly one. */
  readonly workflowId?: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Base URL per source description name, replacing its servers (`--server`). */
  readonly servers?: Readonly<Record<string, string>>;
  /** Values for OpenAPI server variables (`--server-var`), instead of their defaults. */
  readonly serverVariables?: Readonly<Record<string, string>>;
  /** Step executions allowed in one run, retries and loop iterations included (default 1000). */
  readonly maxSteps?: number;
  /** Deadline for the whole run in ms (default: none). */
  readonly timeoutMs?: number;
  /** Deadline per request in ms (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Wait before a repeated identical request re-entered by `goto` (default 1 s; 0 = off). */
  readonly pollIntervalMs?: number;
  /** Upper bound for any server-requested wait (`Retry-After`) and for `retryAfter` (default 60 s). */
  readonly maxWaitMs?: number;
  /** Response bodies larger than this fail the step (default 10 MiB). */
  readonly maxResponseBytes?: number;
  /**
   * Bound on one evaluation of a regex, JSONPath or XPath condition in ms (default 1000): past it
   * the criterion fails with a line that says so. Simple conditions and JSONPath singular
   * queries are bounded by their size and never need it.
   */
  readonly conditionTimeoutMs?: number;
  /** Heap bound of the thread that evaluates those conditions, in MiB (default 256). */
  readonly conditionMemoryMiB?: number;
  /** Credentials per security scheme name (`--auth`), applied from the sources' securitySchemes. */
  readonly credentials?: Credentials;
  /** Headers added to every request (`--header`); step parameters and credentials win. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Check responses against the operation's description (status, content type, schema). */
  readonly checkResponses?: boolean;
  /** With `checkResponses`: a response that breaks the description fails its step. */
  readonly strictResponses?: boolean;
  /** `--allow-host` patterns: a request to any other host fails before it is sent. */
  readonly allowHosts?: readonly string[];
  readonly signal?: AbortSignal;
  readonly transport?: HttpTransport;
  readonly onEvent?: RunListener;
  /**
   * Where the run reads the time and waits (default: the real clock). Every duration it
   * reports, every wait (poll pacing, retry delays, `Retry-After`) and the `timeoutMs` deadline
   * go through it, so a simulated clock runs a paced poll at once with the same result.
   * Request timeouts (`requestTimeoutMs`) stay the transport's.
   */
  readonly clock?: RunClock;
  /**
   * Where each exchange with a server is recorded (journal.ts; default: nowhere). A durable run
   * gives one whose records outlive the process, so that a resumed run sends no request twice.
   */
  readonly journal?: RunJournal;
}

export const DEFAULTS = {
  maxSteps: 1000,
  requestTimeoutMs: 30_000,
  pollIntervalMs: 1000,
  maxWaitMs: 60_000,
  maxResponseBytes: 10 * 1024 * 1024,
  maxWorkflowDepth: 32,
} as const;

const DURATIONS = [
  'timeoutMs',
  'requestTimeoutMs',
  'pollIntervalMs',
  'maxWaitMs',
  'conditionTimeoutMs',
] as const;

/**
 * Refuses durations no run can mean (issue 21, F8): not a number, negative, or beyond a year
 * (MAX_DURATION_MS). Everything from 0 to a year is honoured to the millisecond, days-long
 * waits included (timers.ts), and no duration is ever wrapped around or inverted.
 */
export function checkRunOptions(options: RunOptions): void {
  for (const name of DURATIONS) {
    const value: unknown = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= MAX_DURATION_MS)) {
      throw new ArazzoError(
        'USAGE',
        `${name}: ${typeof value === 'number' ? String(value) : typeof value} is not a duration the runner accepts (a number of milliseconds from 0 to ${MAX_DURATION_MS}, one year)`,
      );
    }
  }
}
