/**
 * The demo's MQTT 5 broker: `ARAZZO_DEMO_MQTT_URL` when set (a broker you run), else Debian's
 * mosquitto started on a free loopback port with a temporary config (anonymous, no
 * persistence) and stopped by `close`. mosquitto because the runner's MQTT transport speaks
 * MQTT 5 (user properties carry the AsyncAPI headers) and the in-process aedes broker has
 * only 3.1.1. Same approach as the tests' broker (test/_helpers/mosquitto.ts), which examples
 * may not import.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DemoBroker {
  /** e.g. mqtt://127.0.0.1:40123 */
  readonly url: string;
  /** What it is, for the demo's first line. */
  readonly description: string;
  close(): Promise<void>;
}

/** A one-line reason the demo cannot start its broker (printed without a stack trace). */
export class BrokerUnavailableError extends Error {}

const BINARIES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'];

/** The mosquitto binary, or undefined when it is not installed. */
export function mosquittoBinary(candidates: readonly string[] = BINARIES): string | undefined {
  return candidates.find((path) => spawnSync(path, ['-h']).error === undefined);
}

export async function startDemoBroker(
  options: { env?: NodeJS.ProcessEnv; candidates?: readonly string[] } = {},
): Promise<DemoBroker> {
  const external = (options.env ?? process.env)['ARAZZO_DEMO_MQTT_URL'];
  if (external)
    return {
      url: external,
      description: 'MQTT broker from ARAZZO_DEMO_MQTT_URL',
      close: () => Promise.resolve(),
    };
  const binary = mosquittoBinary(options.candidates);
  if (binary === undefined)
    throw new BrokerUnavailableError(
      'the demo needs mosquitto (an MQTT 5 broker): apt-get install -y mosquitto, or set ARAZZO_DEMO_MQTT_URL=mqtt://host:port',
    );
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-demo-mqtt-'));
  // Started as root, mosquitto drops to its own user; it must still read its directory.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', ''].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-c', config], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `mqtt://127.0.0.1:${port}`, description: `mosquitto (${binary})`, close: stop };
}

/** A broker URL for output: a password (ARAZZO_DEMO_MQTT_URL may carry one) becomes `***`. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(ARAZZO_DEMO_MQTT_URL, not a URL)';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once mosquitto accepts connections; fails at once if it exits first. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new BrokerUnavailableError(`mosquitto exited with code ${child.exitCode} at start`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until)
      throw new BrokerUnavailableError(
        `mosquitto did not listen on port ${port} within ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
