/**
 * Timers for any duration the runner accepts. Node's `setTimeout` stores its delay as a signed
 * 32-bit number of milliseconds: anything above 2³¹−1 ms (about 24.8 days) is replaced by 1 ms
 * with a `TimeoutOverflowWarning`, so `--timeout 1000h` fired at once and a huge
 * `--poll-interval` waited 1 ms (issue 21, F8). A crew may run for days, so a long delay is
 * chained: a timer of at most 2³¹−1 ms at a time until the whole delay has passed.
 */

/** The longest delay one Node timer can hold (2³¹−1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The longest duration the runner accepts anywhere (a year): beyond that, a value is a mistake. */
export const MAX_DURATION_MS = 365 * 24 * 3_600_000;

/** Calls `callback` once `ms` have passed, however long that is, unless cleared first. */
export class LongTimeout {
  #handle: NodeJS.Timeout | undefined;
  #remaining: number;
  #unref = false;
  readonly #callback: () => void;

  constructor(callback: () => void, ms: number) {
    this.#callback = callback;
    // NaN or a negative delay would otherwise be 1 ms as well: treat both as "now", never as a
    // wrapped-around length (callers validate their durations; this is the last line).
    this.#remaining = ms > 0 ? ms : 0;
    this.#arm();
  }

  #arm(): void {
    const chunk = Math.min(this.#remaining, MAX_TIMER_MS);
    this.#remaining -= chunk;
    this.#handle = setTimeout(() => {
      if (this.#remaining > 0) this.#arm();
      else {
        this.#handle = undefined;
        this.#callback();
      }
    }, chunk);
    if (this.#unref) this.#handle.unref();
  }

  /** Lets the process exit while only this timer is pending (as `Timeout.unref()`). */
  unref(): this {
    this.#unref = true;
    this.#handle?.unref();
    return this;
  }

  clear(): void {
    clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts; the timer
 * is cleared on abort, so it never keeps the process alive after one.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      timer.clear();
      reject(signal.reason as Error);
    };
    const timer = new LongTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A signal that aborts after `ms` (a TimeoutError, as `AbortSignal.timeout`'s) or when `signal`
 * does (with its reason): a fetch deadline the caller can also cancel (SIGINT). The deadline is
 * held by its own unref'd timer: `AbortSignal.any()` holds its sources weakly, and a bare
 * `AbortSignal.timeout()` given to it can be collected and never fire (checked on Node 20).
 */
export function deadlineSignal(ms: number, signal?: AbortSignal): AbortSignal {
  const deadline = new AbortController();
  new LongTimeout(
    () =>
      deadline.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  ).unref();
  return signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]);
}
