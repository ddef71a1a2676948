/**
 * Spawns bench/server.ts in its own process and talks to its control routes. The server exits
 * with this process (it watches its stdin) and on `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerStats } from './server.js';

const SERVER = fileURLToPath(new URL('./server.js', import.meta.url));

export interface BenchServer {
  readonly base: string;
  readonly child: ChildProcess;
  reset(k: number): Promise<void>;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export async function startServer(cwd: string): Promise<BenchServer> {
  const child = spawn(process.execPath, [SERVER, '1', '--exit-with-stdin'], {
    cwd,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bench server did not start')), 10_000);
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const match = /^(\d+)\n/.exec(text);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench server exited (${code})`));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    child,
    async reset(k) {
      const response = await fetch(`${base}/reset?k=${k}`, { method: 'POST' });
      await response.arrayBuffer();
    },
    async stats() {
      const response = await fetch(`${base}/__stats`);
      return (await response.json()) as ServerStats;
    },
    async stop() {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      child.stdin.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
