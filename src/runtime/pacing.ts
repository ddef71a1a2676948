import type { CompiledAction } from './compile.js';
import { parseRetryAfter } from './waits.js';

/**
 * How long the runner waits, as arithmetic only: the clock, the waiting and the events are the
 * runner's. Every server-requested wait is capped by `maxWaitMs`, so a hostile or confused
 * `Retry-After: 99999999` cannot park a run.
 */
export interface PacingLimits {
  /** `--poll-interval`: the least wait before a poll (0 = polls are not paced). */
  readonly pollIntervalMs: number;
  /** Upper bound for any server-requested wait and for `retryAfter`. */
  readonly maxWaitMs: number;
}

/**
 * The wait a response asks for before the next attempt (`Retry-After`, RFC 9110 §10.2.3), capped
 * by `maxWaitMs`; undefined when it asks for none.
 */
export function serverDelay(
  retryAfter: string | undefined,
  now: number,
  limits: PacingLimits,
): number | undefined {
  const asked = parseRetryAfter(retryAfter, now);
  return asked === undefined ? undefined : Math.min(asked, limits.maxWaitMs);
}

/**
 * The wait before a poll (a goto back to a step that sends the same request again): the poll
 * interval, or longer when the previous response's `Retry-After` asks for it, up to
 * `maxWaitMs` (but never below the interval the user chose). Undefined: polls are not paced.
 */
export function pollDelay(
  previousRetryAfter: string | undefined,
  now: number,
  limits: PacingLimits,
): number | undefined {
  if (limits.pollIntervalMs <= 0) return undefined;
  const asked = parseRetryAfter(previousRetryAfter, now) ?? 0;
  return Math.min(
    Math.max(limits.pollIntervalMs, asked),
    Math.max(limits.maxWaitMs, limits.pollIntervalMs),
  );
}

/**
 * The wait before a retry (§Failure Action Object retryAfter, in seconds): a `Retry-After` from
 * the operation's response overrules it; both capped by `maxWaitMs`.
 */
export function retryDelay(
  action: Pick<CompiledAction, 'retryAfter'>,
  serverAskedMs: number | undefined,
  limits: Pick<PacingLimits, 'maxWaitMs'>,
): number {
  return Math.min(serverAskedMs ?? (action.retryAfter ?? 0) * 1000, limits.maxWaitMs);
}
