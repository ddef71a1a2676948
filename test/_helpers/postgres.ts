/**
 * A real Postgres for the durable-run tests: `ARAZZO_TEST_DATABASE_URL` when set (a server the
 * caller runs; each test gets its own database on it), else a private cluster of Debian's
 * `postgresql` package (initdb into a temp folder, password authentication on a free loopback
 * port), stopped and deleted by `close`. Postgres refuses to run as root: as root the cluster
 * belongs to the `postgres` user the package creates. `scripts/services.sh` installs the
 * package where it is missing; without it the tests that need a database are skipped with that
 * reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './mosquitto.js';

export interface Postgres {
  /** With user and password: what `--database` is given. */
  readonly url: string;
  readonly password: string;
  /** Every text the database holds (all tables of every schema, as `pg_dump --data-only` writes it). */
  dump(): string;
  close(): Promise<void>;
}

const PASSWORD = 'pg-secret-5c2e';

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Why there is no Postgres to test against, or undefined when there is one. */
export function postgresUnavailable(): string | undefined {
  if (process.env['ARAZZO_TEST_DATABASE_URL']) return undefined;
  if (binDir() !== undefined) return undefined;
  return 'Postgres is not installed (scripts/services.sh installs it when run as root: apt-get install -y postgresql)';
}

export async function startPostgres(): Promise<Postgres> {
  const external = process.env['ARAZZO_TEST_DATABASE_URL'];
  if (external !== undefined && external !== '') return externalDatabase(external);
  const bin = binDir();
  if (bin === undefined) throw new Error(postgresUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-pg-'));
  const root = process.getuid?.() === 0;
  // As root: the cluster's files belong to `postgres`, which must be able to reach them.
  const as = (command: string, args: string[]): [string, string[]] =>
    root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, PASSWORD);
  chmodSync(pwfile, 0o644);
  const init = spawnSync(
    ...as(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'arazzo',
      '--pwfile',
      pwfile,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--no-sync',
    ]),
    { encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    ...as(join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ]),
    { stdio: 'ignore' },
  );
  await waitForPort(port, 'postgres', 20_000);
  // The engine creates the database of the URL on first use; initdb made `postgres`.
  const url = `postgres://arazzo:${PASSWORD}@127.0.0.1:${port}/arazzo`;
  await waitForLogin(`postgres://arazzo:${PASSWORD}@127.0.0.1:${port}/postgres`);
  return {
    url,
    password: PASSWORD,
    dump: () => dumpDatabase(url),
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGINT is Postgres's fast shutdown; sent to the postmaster itself, since runuser
        // (as root) does not pass it on.
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
        if (pid > 0) process.kill(pid, 'SIGINT');
        else child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database of its own on the caller's server, dropped by `close`. */
function externalDatabase(server: string): Postgres {
  const name = `arazzo_test_${process.pid}_${Date.now()}`;
  psql(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    password: decodeURIComponent(url.password),
    dump: () => dumpDatabase(url.href),
    close: () => {
      psql(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return Promise.resolve();
    },
  };
}

function psql(url: string, sql: string): string {
  const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
  return result.stdout;
}

function dumpDatabase(url: string): string {
  const bin = binDir();
  const pgDump = bin === undefined ? 'pg_dump' : join(bin, 'pg_dump');
  const result = spawnSync(pgDump, ['--data-only', url], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`pg_dump: ${result.stderr}`);
  return result.stdout;
}

/** The postmaster listens before it accepts logins: wait for the first query to succeed. */
async function waitForLogin(url: string): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const result = spawnSync('psql', [url, '-Atc', 'select 1'], { encoding: 'utf8' });
    if (result.status === 0) return;
    if (Date.now() > until) throw new Error(`postgres did not accept logins: ${result.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
