#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { runCli } from './program.js';
import { promptLine } from './prompt.js';

/**
 * V8 settings for `run`, made once its modules are loaded: setting any V8 flag changes V8's
 * flag hash, and Node then refuses its embedded code cache for every module compiled later
 * (`require('http')` and friends: 6.5 → 17.7 ms), so they are set as late as possible.
 *
 * - A poll runs for hours: keep memory flat. V8 lets the old generation grow to about four
 *   times the live heap between major collections (the runner's is ~16 MB), so a long poll's
 *   short-lived garbage piled up to ~50 MB above it (peak RSS +30% from 1,000 to 100,000
 *   polls). Growing by half the live heap keeps the peak flat at no measurable CPU cost.
 *   Read by V8 at every collection.
 * - A short run must end when it is done: undici parses HTTP with WebAssembly (llhttp), and
 *   V8 optimises its main function (TurboFan, ~120 ms of a background thread) once the
 *   default tiering budget is spent, within the first 3 responses; a process cannot exit
 *   while that compilation runs. With the budget at ~1,100× the default (close to the flag's
 *   int32 limit) it starts after some 250–300 responses instead: a run of fewer requests never
 *   waits for it, a long poll still gets the optimised parser (the responses before it parse
 *   ~20 µs slower, once). Read when undici instantiates llhttp, at its first connection.
 * Both measured in bench/README.md. The library never sets them: that is the embedder's call.
 */
function tuneV8ForRun(): void {
  setFlagsFromString('--heap-growing-percent=50 --wasm-tiering-budget=2000000000');
}

/**
 * SIGINT/SIGTERM abort the signal every command gets (issue 21, F12). During a workflow run the
 * runner aborts its requests and waits, reports what ran and exits 130/143. Before that (loading
 * sources, prompting) and in `validate`/`describe`/`graph`, the command stops at its next await
 * (source fetches are aborted), prints one line and exits 130/143. Should anything not honour
 * the signal within GRACE_MS (a fetch inside a dependency), bin stops the process itself, with
 * the same line: nothing is written to a file before the run starts, and reports are written
 * whole or not at all. A second signal ends the process at once (the handlers run once).
 */
const GRACE_MS = 1000;
const controller = new AbortController();
let phase: 'preparing' | 'running' | 'done' = 'preparing';
let grace: NodeJS.Timeout | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    controller.abort(signal);
    if (phase === 'running' || grace !== undefined) return;
    grace = setTimeout(() => {
      if (phase === 'preparing') process.stderr.write('arazzo: interrupted\n');
      process.exit(phase === 'done' ? process.exitCode : signal === 'SIGTERM' ? 143 : 130);
    }, GRACE_MS).unref();
  });
}

/**
 * A reader that stops early (`arazzo validate … | head -1`) closes the pipe: the output is no
 * longer wanted, so the process ends quietly with the code it had, as Unix tools do, instead of
 * an unhandled EPIPE stack trace. Other write errors are not ours to hide.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  stdinIsTTY: process.stdin.isTTY === true,
  prompt: promptLine,
  beforeRun: () => {
    // From here on the runner answers a signal itself, with its report.
    phase = 'running';
    clearTimeout(grace);
    tuneV8ForRun();
  },
};

try {
  process.exitCode = await runCli(process.argv.slice(2), io, controller.signal);
  phase = 'done';
} catch (error) {
  // Only a bug reaches here: user mistakes are reported by the commands themselves.
  process.stderr.write(
    `arazzo: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 70;
}
