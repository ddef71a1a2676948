import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { ROOT } from './cli.js';

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/**
 * `arazzo <args…>` in this process, as bin.ts calls it (no TTY, no colour, the repository root
 * as working directory): for tests that start their own servers and brokers in this process.
 */
export async function runInProcess(...args: string[]): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { ...process.env, NO_COLOR: '1' },
    cwd: ROOT,
    stdoutIsTTY: false,
    stdinIsTTY: false,
  };
  const started = Date.now();
  const code = await runCli(args, io);
  return { code, stdout, stderr, wallMs: Date.now() - started };
}
