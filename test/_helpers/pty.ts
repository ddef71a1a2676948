import { spawn } from 'node:child_process';
import { BIN, ROOT } from './cli.js';

/** Single-quotes a word for /bin/sh. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Runs `arazzo` under a pseudo-terminal with util-linux `script`, so stdout and stdin are a
 * terminal, as for a person at a shell. Each answer is typed once its prompt has appeared.
 */
export function runInTerminal(
  args: readonly string[],
  options: { answers?: readonly (readonly [RegExp, string])[]; env?: Record<string, string> } = {},
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, '--unhandled-rejections=strict', BIN, ...args]
    .map(shellQuote)
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-f', '-c', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, TERM: 'xterm', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const pending = [...(options.answers ?? [])];
    let answered = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const next = pending[0];
      if (next && next[0].test(output.slice(answered))) {
        pending.shift();
        answered = output.length;
        child.stdin.write(next[1]);
        if (pending.length === 0) child.stdin.end();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    if (pending.length === 0) child.stdin.end();
  });
}
