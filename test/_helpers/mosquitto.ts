/**
 * A real MQTT 5 broker for tests: `ARAZZO_TEST_MQTT_URL` when set (a broker the caller runs),
 * else Debian's mosquitto started on a free loopback port with its own config (anonymous, plus
 * one password listener for credential tests), stopped by `close`. `scripts/services.sh`
 * (run by `npm test` and `.ci/run`) installs mosquitto where it is missing; without it the
 * tests that need a broker are skipped with that reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Broker {
  /** Anonymous access. */
  readonly url: string;
  /** Needs `user` / `password` (undefined for an external broker). */
  readonly securedUrl?: string;
  readonly user: string;
  readonly password: string;
  close(): Promise<void>;
}

const BINARY = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'];

/** Why there is no broker to test against, or undefined when there is one. */
export function brokerUnavailable(): string | undefined {
  if (process.env['ARAZZO_TEST_MQTT_URL']) return undefined;
  if (mosquittoPath() !== undefined) return undefined;
  return 'mosquitto is not installed (scripts/services.sh installs it when run as root: apt-get install -y mosquitto)';
}

function mosquittoPath(): string | undefined {
  for (const path of BINARY) if (spawnSync(path, ['-h']).error === undefined) return path;
  return undefined;
}

export async function startBroker(): Promise<Broker> {
  const user = 'arazzo-test';
  const password = 'broker-secret-7f3a';
  const external = process.env['ARAZZO_TEST_MQTT_URL'];
  if (external) return { url: external, user, password, close: () => Promise.resolve() };
  const binary = mosquittoPath();
  if (binary === undefined) throw new Error(brokerUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-mqtt-'));
  // Started as root, mosquitto drops to its own user before reading the password file.
  chmodSync(dir, 0o755);
  const [open, secured] = [await freePort(), await freePort()];
  const passwords = join(dir, 'passwords');
  writeFileSync(passwords, '');
  spawnSync('mosquitto_passwd', ['-b', passwords, user, password]);
  chmodSync(passwords, 0o644);
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      'per_listener_settings true',
      `listener ${open} 127.0.0.1`,
      'allow_anonymous true',
      `listener ${secured} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${passwords}`,
      'persistence false',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-c', config], { stdio: 'ignore' });
  await Promise.all([waitForPort(open), waitForPort(secured)]);
  return {
    url: `mqtt://127.0.0.1:${open}`,
    securedUrl: `mqtt://127.0.0.1:${secured}`,
    user,
    password,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback port nobody listens on (for "broker is down"). */
export function freePort(): Promise<number> {
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

/** Resolves once something accepts connections on the loopback `port` (`what` names it on failure). */
export async function waitForPort(
  port: number,
  what = 'mosquitto',
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`${what} did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
