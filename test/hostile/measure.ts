import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, ROOT } from '../_helpers/cli.js';

const HOOK = fileURLToPath(new URL('./rss-hook.js', import.meta.url));
const TIME = '/usr/bin/time';

/**
 * How the peak RSS of the CLI process is measured: GNU time's `%M` when `/usr/bin/time` exists
 * (Debian's `time` package), else a preloaded hook that reports `process.resourceUsage()`.
 * `ARAZZO_TEST_RSS=hook` forces the hook (to test the fallback).
 */
export const RSS_METHOD: 'time' | 'hook' =
  process.env['ARAZZO_TEST_RSS'] !== 'hook' && existsSync(TIME) ? 'time' : 'hook';

export interface MeasuredRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** stderr without the measurement line. */
  readonly stderr: string;
  readonly wallMs: number;
  /** Peak resident set size of the CLI process in KiB; undefined if it was not reported. */
  readonly maxRssKiB: number | undefined;
  /** The run was killed at the time limit. */
  readonly killed: boolean;
}

const MARK = /\n?\[maxrss-kib (\d+)\]\n?/;

/**
 * Runs the real `arazzo` binary (unhandled rejections fatal) and measures its wall time and
 * peak RSS. The child gets its own process group, so the time limit kills `time` and node
 * together.
 */
export function runMeasured(
  args: readonly string[],
  options: { timeoutMs?: number; cwd?: string } = {},
): Promise<MeasuredRun> {
  const node = [process.execPath, '--unhandled-rejections=strict'];
  const command =
    RSS_METHOD === 'time'
      ? [TIME, '-q', '-f', '\n[maxrss-kib %M]', ...node, BIN, ...args]
      : [...node, '--import', pathToFileURL(HOOK).href, BIN, ...args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const [file = '', ...rest] = command;
    const child = spawn(file, rest, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const kill = (): void => {
      if (child.pid === undefined || child.exitCode !== null) return;
      killed = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(kill, options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const mark = MARK.exec(stderr);
      resolve({
        code,
        signal,
        stdout,
        stderr: stderr.replace(MARK, ''),
        wallMs: performance.now() - started,
        maxRssKiB: mark?.[1] === undefined ? undefined : Number(mark[1]),
        killed,
      });
    });
  });
}
