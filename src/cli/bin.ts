#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { runCli } from './program.js';

// A poll runs for hours: keep memory flat. V8 lets the old generation grow to about four times
// the live heap between major collections (the runner's is ~16 MB after start-up), so a long
// poll's short-lived garbage piled up to ~50 MB above it (peak RSS +30% from 1,000 to 100,000
// polls). Growing by half the live heap keeps the peak flat at no measurable CPU cost
// (bench/README.md). Read by V8 at every collection, so setting it here takes effect.
setFlagsFromString('--heap-growing-percent=50');
import { promptLine } from './prompt.js';

// SIGINT/SIGTERM abort in-flight requests; the run then reports what happened and exits 130/143.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => controller.abort(signal));
}

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: process.stdout.isTTY === true,
  stdinIsTTY: process.stdin.isTTY === true,
  prompt: promptLine,
};

try {
  process.exitCode = await runCli(process.argv.slice(2), io, controller.signal);
} catch (error) {
  // Only a bug reaches here: user mistakes are reported by the commands themselves.
  process.stderr.write(
    `arazzo: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 70;
}
