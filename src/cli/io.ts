import type { RunClock } from '../runtime/clock.js';

/**
 * Everything a command touches outside the engine. `bin.ts` wires it to `process`; tests pass
 * their own, so commands run in-process and never call `process.exit`.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether stdout is an interactive terminal (live lines, colour unless NO_COLOR). */
  readonly stdoutIsTTY: boolean;
  /** Whether stderr is an interactive terminal (`run --data`'s progress line); absent: no. */
  readonly stderrIsTTY?: boolean;
  /** Whether stdin is an interactive terminal (prompting for missing inputs). */
  readonly stdinIsTTY: boolean;
  /** Asks the user for a value on the terminal (hidden for secrets); absent when there is no terminal. */
  readonly prompt?: (question: string, hidden: boolean) => Promise<string>;
  /**
   * Called by `run` once the document is loaded and checked, just before the workflow starts
   * (and so before its first request): the process entry point tunes V8 there (bin.ts).
   */
  readonly beforeRun?: () => void;
  /**
   * The clock `run` gives the runtime (`RunOptions.clock`; default the real one): tests pass a
   * simulated one so that paced polls and retries do not wait on the wall clock.
   */
  readonly clock?: RunClock;
}

/**
 * Whether output is coloured: on a terminal, unless `--no-color` (`flag` false) or NO_COLOR
 * (no-color.org: any non-empty value) says otherwise.
 */
export function useColor(io: CliIo, flag: boolean | undefined): boolean {
  return flag !== false && io.stdoutIsTTY && !io.env['NO_COLOR'];
}

/** Exit codes (README "Exit codes"). */
export const EXIT = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

/** 130 or 143, for the signal that aborted `signal` (bin.ts aborts it with the signal's name). */
export function signalExit(signal: AbortSignal | undefined): number {
  return signal?.reason === 'SIGTERM' ? EXIT.SIGTERM : EXIT.SIGINT;
}

/**
 * A command stopped by SIGINT/SIGTERM before it had anything to report (issue 21, F12): one
 * line on stderr, nothing on stdout, exit 130/143.
 */
export function interrupted(io: CliIo, signal: AbortSignal | undefined, command: string): number {
  io.stderr(`${command}: interrupted\n`);
  return signalExit(signal);
}

/** A function, so that TypeScript does not narrow `signal.aborted` across the awaits between checks. */
export function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
