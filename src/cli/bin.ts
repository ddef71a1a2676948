#!/usr/bin/env node
import { runCli } from './program.js';
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
