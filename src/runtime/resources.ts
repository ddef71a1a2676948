import type { Credentials } from '../http/auth/types.js';
import { TokenCache } from '../http/auth/oauth2.js';
import { HostGuardTransport } from '../http/host-guard.js';
import type { HttpTransport, SendOptions } from '../http/types.js';
import { UndiciTransport } from '../http/undici-transport.js';
import {
  evaluateCriterion,
  resolveSelections,
  select,
  type SelectOptions,
} from '../criteria/index.js';
import type { CompiledSelector, RuntimeContext, Selections } from '../expressions/index.js';
import type { CriterionEvaluator } from './actions.js';
import { Brokers } from './brokers.js';
import { systemClock, type RunClock } from './clock.js';
import type { RunError, RunEvent } from './events.js';
import { NO_JOURNAL, type RunJournal } from './journal.js';
import { DEFAULTS, type RunOptions } from './options.js';
import type { PacingLimits } from './pacing.js';
import { StepTimedOut, type StepDeadline } from './step-deadline.js';

/** One object for "no credentials", so that settled security additions are found again. */
const NO_CREDENTIALS: Credentials = Object.freeze({});

/** Distinct warnings kept for the result, so a long poll cannot grow them. */
const MAX_WARNINGS = 100;

/** A guard tripped or the run was stopped: unwinds every nested workflow. */
export class StopRun extends Error {
  constructor(readonly error: RunError) {
    super(error.message);
  }
}

/**
 * What one run holds from its first step to its end, and releases in `close()`: the transport
 * (created when the caller gave none, and then closed; wrapped in the `--allow-host` guard),
 * the deadline timer and the signal that combines it with the caller's, the OAuth2 tokens
 * fetched so far, the warnings, the clock and the limits with their defaults filled in.
 */
export class RunResources {
  readonly options: RunOptions;
  readonly clock: RunClock;
  readonly transport: HttpTransport;
  /** Where each exchange is recorded (a durable run's is its engine's checkpoints). */
  readonly journal: RunJournal;
  /** Aborts when the caller's signal does or the deadline passes. */
  readonly signal: AbortSignal;
  /** Options for every request of the run (the same object each time). */
  readonly send: SendOptions;
  readonly limits: PacingLimits & { readonly maxSteps: number };
  readonly credentials: Credentials;
  /** OAuth2 tokens fetched in this run, reused until they expire. */
  readonly tokens: TokenCache;
  readonly warnings = new Set<string>();
  /** Message broker connections and subscriptions of AsyncAPI steps (brokers.ts). */
  readonly brokers = new Brokers();
  readonly emit: (event: RunEvent) => void;
  /** The transport this run created, closed at its end (a caller's own is left open). */
  readonly #owned: UndiciTransport | undefined;
  readonly #deadline = new AbortController();
  readonly #cancelDeadline: (() => void) | undefined;

  constructor(options: RunOptions) {
    this.options = options;
    const clock = (this.clock = options.clock ?? systemClock());
    const transport = options.transport ?? (this.#owned = new UndiciTransport());
    this.journal = options.journal ?? NO_JOURNAL;
    this.transport =
      options.allowHosts && options.allowHosts.length > 0
        ? new HostGuardTransport(transport, options.allowHosts)
        : transport;
    if (options.timeoutMs !== undefined) {
      this.#cancelDeadline = clock.timer(options.timeoutMs, () =>
        this.#deadline.abort(new DOMException('run timeout', 'TimeoutError')),
      );
    }
    this.signal = options.signal
      ? AbortSignal.any([options.signal, this.#deadline.signal])
      : this.#deadline.signal;
    this.send = {
      signal: this.signal,
      timeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      maxBodyBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    };
    this.limits = {
      maxSteps: options.maxSteps ?? DEFAULTS.maxSteps,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      maxWaitMs: options.maxWaitMs ?? DEFAULTS.maxWaitMs,
    };
    this.credentials = options.credentials ?? NO_CREDENTIALS;
    this.tokens = new TokenCache({ now: () => clock.now() });
    const listener = options.onEvent ?? (() => undefined);
    this.emit = (event) => {
      if (event.type === 'warning' && this.warnings.size < MAX_WARNINGS)
        this.warnings.add(`${event.stepId}: ${event.message}`);
      listener(event);
    };
  }

  async close(): Promise<void> {
    this.#cancelDeadline?.();
    await this.brokers.close();
    await this.#owned?.close();
  }

  /** Throws `StopRun` when the run has been stopped (by the caller or the deadline). */
  checkStopped(stepId?: string): void {
    if (this.signal.aborted) throw new StopRun(this.stopError(stepId));
  }

  /** Why the run was stopped: the caller's signal or the deadline. */
  /**
   * How this run evaluates a criterion: within its condition bounds, stopped by the run's signal
   * (issue 21 F4). An evaluation the signal ended stops the run rather than failing the step.
   */
  evaluator(stepId: string): CriterionEvaluator {
    const bounds = this.#bounds();
    return async (criterion, context) => {
      const result = await evaluateCriterion(criterion, context, bounds);
      if (this.signal.aborted) throw new StopRun(this.stopError(stepId));
      return result;
    };
  }

  /**
   * What a request's 1.1 Selector Objects select (criteria/select.ts), within the condition
   * bounds; the first one that cannot be evaluated is the step's failure (`reason`).
   */
  async requestSelections(
    selectors: readonly CompiledSelector[],
    context: RuntimeContext,
    stepId: string,
  ): Promise<Selections | { readonly reason: string }> {
    const outcome = await resolveSelections(selectors, context, this.#bounds());
    if (this.signal.aborted) throw new StopRun(this.stopError(stepId));
    return outcome.ok ? outcome.selections : { reason: outcome.reason };
  }

  /**
   * What the Selector Objects of outputs select; one that cannot be evaluated selects nothing,
   * so its output is null like an unresolved expression's (the run contract).
   */
  async outputSelections(
    selectors: readonly CompiledSelector[],
    context: RuntimeContext,
    stepId?: string,
  ): Promise<Selections> {
    const bounds = this.#bounds();
    const selections = new Map<CompiledSelector, unknown>();
    for (const selector of selectors) {
      const selection = await select(selector, context, bounds);
      selections.set(selector, 'value' in selection ? selection.value : undefined);
    }
    if (this.signal.aborted) throw new StopRun(this.stopError(stepId));
    return selections;
  }

  #bounds(): SelectOptions {
    const { conditionTimeoutMs, conditionMemoryMiB } = this.options;
    return {
      signal: this.signal,
      ...(conditionTimeoutMs === undefined ? {} : { timeoutMs: conditionTimeoutMs }),
      ...(conditionMemoryMiB === undefined ? {} : { memoryMiB: conditionMemoryMiB }),
    };
  }

  stopError(stepId?: string): RunError {
    const byUser = this.options.signal?.aborted === true;
    const base = byUser
      ? { code: 'ABORTED' as const, message: 'run interrupted' }
      : {
          code: 'RUN_TIMEOUT' as const,
          message: `run exceeded its time limit of ${this.options.timeoutMs} ms (--timeout)`,
        };
    return stepId === undefined ? base : { ...base, stepId };
  }

  /**
   * Waits on the run's clock; a stop during the wait unwinds the run, and so does a step's
   * `deadline` passing (as `StepTimedOut`, caught by that step).
   */
  async wait(ms: number, deadline?: StepDeadline): Promise<void> {
    try {
      await this.clock.sleep(ms, deadline?.signal ?? this.signal);
    } catch {
      if (!this.signal.aborted && deadline?.signal.aborted) throw new StepTimedOut(deadline);
      throw new StopRun(this.stopError());
    }
  }
}
