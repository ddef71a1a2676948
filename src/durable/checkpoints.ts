import { ArazzoError, type ErrorCode } from '../errors.js';
import type { RunClock } from '../runtime/clock.js';
import type { RunJournal } from '../runtime/journal.js';
import type { DbosModule } from './dbos.js';

/**
 * How a run's effects become the engine's checkpoints (POSITIONS §15.1). DBOS replays a
 * workflow function from its start and answers each step it has a record of with that record,
 * in call order; our runner calls them in one order only (one step at a time), so the replayed
 * run takes the same path and ends with the same outputs.
 */

/** The outcome of one exchange as stored: the response, or the error the transport gave. */
type Recorded<T> = { readonly ok: T } | { readonly error: { code: ErrorCode; message: string } };

/**
 * A promise that never settles. When the process that hosts a run is stopped (Ctrl-C, SIGTERM)
 * the run must stay unfinished in the database, resumable; an aborted request recorded as an
 * error would be replayed as one, and a run that returned would be finished. So an effect cut
 * short by the host's stop is left pending, and the process goes away around it, exactly as
 * in a crash.
 */
const never = new Promise<never>(() => undefined);

/**
 * Each exchange is one DBOS step named after its Arazzo step; its response (or the transport's
 * error) is what is stored, never the request, which holds the credentials. The step that was
 * in flight when a process died has no record, and is sent again on resume (at least once).
 */
export function checkpointJournal(dbos: DbosModule, stopped: AbortSignal): RunJournal {
  return {
    async record<T>(name: string, effect: () => Promise<T>): Promise<T> {
      const outcome = await dbos.DBOS.runStep(
        async (): Promise<Recorded<T>> => {
          try {
            return { ok: await effect() };
          } catch (error) {
            if (stopped.aborted) return never;
            if (error instanceof ArazzoError)
              return { error: { code: error.code, message: error.message } };
            throw error;
          }
        },
        { name },
      );
      if ('ok' in outcome) return outcome.ok;
      throw new ArazzoError(outcome.error.code, outcome.error.message);
    },
  };
}

/**
 * The run's clock with durable waits: the moment a wait ends is recorded when it begins, so a
 * resumed run sleeps only what was left of it (and not at all once it has passed). Not
 * `DBOS.sleep`, which records the same thing but cannot be cut short, while a run's waits end
 * early when a step deadline passes or the run is stopped.
 */
export function checkpointClock(dbos: DbosModule, clock: RunClock, stopped: AbortSignal): RunClock {
  return {
    now: () => clock.now(),
    timer: (ms, fire) => clock.timer(ms, fire),
    async sleep(ms, signal) {
      const endsAt = await dbos.DBOS.runStep(() => Promise.resolve(Date.now() + ms), {
        name: 'wait',
      });
      const left = endsAt - Date.now();
      if (left <= 0) return;
      try {
        await clock.sleep(left, signal);
      } catch (error) {
        if (stopped.aborted) return never;
        throw error;
      }
    },
  };
}
