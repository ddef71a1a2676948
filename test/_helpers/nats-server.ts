/**
 * A real NATS server for tests: `ARAZZO_TEST_NATS_URL` when set (a server the caller runs), else
 * Debian's nats-server (2.9: headers since 2.2) started on a free loopback port, stopped by
 * `close`. One account, two users: connections without credentials become `anonymous`
 * (`no_auth_user`), which may not publish or subscribe under `forbidden.>`; `user` / `password`
 * is the one for credential tests. Both are in the same account, so they see each other's
 * messages. `scripts/services.sh` installs nats-server where it is missing; without it the
 * tests that need a server are skipped with that reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './mosquitto.js';

export interface NatsServer {
  /** Anonymous access (the `anonymous` user). */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Whether `forbidden.>` is refused to anonymous connections (not known of an external server). */
  readonly permissions: boolean;
  close(): Promise<void>;
}

const BINARY = ['/usr/sbin/nats-server', '/usr/bin/nats-server'];

/** Why there is no NATS server to test against, or undefined when there is one. */
export function natsUnavailable(): string | undefined {
  if (process.env['ARAZZO_TEST_NATS_URL']) return undefined;
  if (natsServerPath() !== undefined) return undefined;
  return 'nats-server is not installed (scripts/services.sh installs it when run as root: apt-get install -y nats-server)';
}

function natsServerPath(): string | undefined {
  for (const path of BINARY) if (spawnSync(path, ['--version']).error === undefined) return path;
  return undefined;
}

export async function startNatsServer(): Promise<NatsServer> {
  const user = 'arazzo-test';
  const password = 'nats-secret-7f3a';
  const external = process.env['ARAZZO_TEST_NATS_URL'];
  if (external)
    return { url: external, user, password, permissions: false, close: () => Promise.resolve() };
  const binary = natsServerPath();
  if (binary === undefined) throw new Error(natsUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-nats-'));
  const port = await freePort();
  const config = join(dir, 'nats.conf');
  writeFileSync(
    config,
    [
      `listen: 127.0.0.1:${port}`,
      'accounts {',
      '  TEST {',
      '    users: [',
      '      { user: anonymous, password: "anonymous-unused-4b1d",',
      '        permissions: { publish: { deny: ["forbidden.>"] }, subscribe: { deny: ["forbidden.>"] } } }',
      `      { user: ${user}, password: "${password}" }`,
      '    ]',
      '  }',
      '}',
      'no_auth_user: anonymous',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-c', config], { stdio: 'ignore' });
  await waitForPort(port, 'nats-server');
  return {
    url: `nats://127.0.0.1:${port}`,
    user,
    password,
    permissions: true,
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
