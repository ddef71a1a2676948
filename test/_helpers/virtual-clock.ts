import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RunClock } from '../../src/runtime/clock.js';
import { LongTimeout } from '../../src/timers.js';

interface Timer {
  readonly due: number;
  readonly fire: () => void;
  /** Real timers past 2^31−1 ms overflow: the runtime's own long timer, as the real clock uses. */
  handle: LongTimeout | undefined;
}

/**
 * A clock for tests whose waits take no time: virtual time is real time plus every wait the run
 * asked for. A wait jumps to its end at once, firing on the way any timer due before it (the
 * run deadline), in order; a timer also fires when real time reaches it (a request in flight
 * when the deadline passes). So a run sees the same waits, durations and deadline as with the
 * real clock, without waiting for them.
 */
export class VirtualClock implements RunClock {
  /** Every wait the run asked for, in order (ms). */
  readonly waits: number[] = [];
  #skipped = 0;
  readonly #timers = new Set<Timer>();

  /** The virtual time the waits skipped. */
  get waitedMs(): number {
    return this.#skipped;
  }

  now(): number {
    return performance.timeOrigin + performance.now() + this.#skipped;
  }

  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    this.waits.push(ms);
    const end = this.now() + Math.max(0, ms);
    for (const timer of [...this.#timers].sort((a, b) => a.due - b.due)) {
      if (timer.due > end) break;
      this.#skipped += Math.max(0, timer.due - this.now());
      this.#fire(timer);
      if (signal.aborted) break;
    }
    if (!signal.aborted) this.#skipped += Math.max(0, end - this.now());
    for (const timer of this.#timers) this.#arm(timer);
    await nextTurn(); // a wait always yields, as a real one does
    signal.throwIfAborted();
  }

  timer(ms: number, fire: () => void): () => void {
    const timer: Timer = { due: this.now() + ms, fire, handle: undefined };
    this.#timers.add(timer);
    this.#arm(timer);
    return () => {
      timer.handle?.clear();
      this.#timers.delete(timer);
    };
  }

  /** (Re)sets the real timer for what is left of `timer` in virtual time. */
  #arm(timer: Timer): void {
    timer.handle?.clear();
    timer.handle = new LongTimeout(() => this.#fire(timer), Math.max(0, timer.due - this.now()));
  }

  #fire(timer: Timer): void {
    timer.handle?.clear();
    if (this.#timers.delete(timer)) timer.fire();
  }
}
