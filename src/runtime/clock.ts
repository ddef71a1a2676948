import { performance } from 'node:perf_hooks';
import { LongTimeout } from '../timers.js';
import { wait } from './waits.js';

/**
 * Where a run reads the time and waits (`RunOptions.clock`). The runtime reads no other clock
 * and sets no other timer, so a clock that skips its waits (tests, simulations) runs a paced
 * poll or a retry after `Retry-After: 3600` at once, with the same events, records and result
 * as the real one, durations included. The HTTP transport keeps its own request timeouts: they
 * measure the network, not the run.
 */
export interface RunClock {
  /**
   * Milliseconds since the epoch, as `Date.now()` (fractions allowed). Every duration the run
   * reports is the difference of two readings; `Retry-After` HTTP-dates and OAuth2 token
   * lifetimes are compared with it.
   */
  now(): number;
  /**
   * The run waits (poll pacing, retry delays): resolves after `ms`, rejects as soon as `signal`
   * aborts. Nothing else happens in the run meanwhile, so a simulated clock may jump to the end.
   */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /**
   * Calls `fire` once, `ms` from now, unless the returned function is called first: the run
   * deadline (`timeoutMs`), which runs while the run works (a request in flight included).
   */
  timer(ms: number, fire: () => void): () => void;
}

/**
 * The real clock. Readings are the wall clock with a monotonic clock's sub-millisecond
 * precision: the two are anchored together, and at most once a second the anchor is checked
 * and moved when they have drifted apart by more than 2 ms (a suspended laptop, a stepped wall
 * clock), because what `now()` is compared with (HTTP-dates, token expiry) is wall time. One
 * monotonic read per reading otherwise: a step reads the clock several times.
 */
export function systemClock(): RunClock {
  let offset = Date.now() - performance.now();
  let nextCheck = 0;
  return {
    now() {
      const monotonic = performance.now();
      if (monotonic >= nextCheck) {
        nextCheck = monotonic + 1000;
        const wall = Date.now();
        if (Math.abs(monotonic + offset - wall) > 2) offset = wall - monotonic;
      }
      return monotonic + offset;
    },
    sleep: wait,
    timer(ms, fire) {
      // A timer this run holds and clears: AbortSignal.any() holds its sources weakly, so a
      // bare AbortSignal.timeout() passed to it can be collected and never fire.
      // LongTimeout: a deadline of days (a crew may run that long) must not overflow Node's
      // 2^31−1 ms timers (issue 21 F8).
      const handle = new LongTimeout(fire, ms);
      return () => handle.clear();
    },
  };
}
