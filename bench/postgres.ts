/**
 * A private Postgres cluster for the durable-run bench (bench/durable.ts): Debian's `postgresql`
 * package, initdb into a temp folder, password authentication on a free loopback port, stopped
 * and deleted by `close`. The same recipe as test/_helpers/postgres.ts (the bench does not
 * import test code); as root the cluster belongs to the package's `postgres` user, since
 * Postgres refuses to run as root. `BENCH_DATABASE_URL` names a server of the caller's instead
 * (the bench then only creates and drops databases of its own on it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchPostgres {
  /** A server URL with user and password; `database(name)` gives one of its databases. */
  database(name: string): string;
  close(): Promise<void>;
}

const PASSWORD = 'bench-pg-7d41';

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Why the bench has no Postgres, or undefined when it has one. */
export function postgresUnavailable(): string | undefined {
  if (process.env['BENCH_DATABASE_URL']) return undefined;
  if (binDir() === undefined)
    return 'Postgres is not installed (scripts/services.sh installs it as root: apt-get install -y postgresql)';
  if (spawnSync('psql', ['--version']).status !== 0)
    return 'psql (postgresql-client) is not installed';
  return undefined;
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

function psql(url: string, sql: string): { ok: boolean; text: string } {
  const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], {
    encoding: 'utf8',
  });
  return { ok: result.status === 0, text: result.status === 0 ? result.stdout : result.stderr };
}

export async function startPostgres(): Promise<BenchPostgres> {
  const external = process.env['BENCH_DATABASE_URL'];
  if (external !== undefined && external !== '') return externalServer(external);
  const bin = binDir();
  if (bin === undefined) throw new Error(postgresUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-bench-pg-'));
  const root = process.getuid?.() === 0;
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
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.trim()}`);
  const port = await freePort();
  // fsync off: the bench measures the runner's checkpoint traffic, not this machine's disk
  // (stated next to the figures in bench/README.md).
  const child = spawn(
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
      'max_connections=300',
    ]),
    { stdio: 'ignore' },
  );
  const server = `postgres://arazzo:${PASSWORD}@127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    const probe = psql(`${server}/postgres`, 'select 1');
    if (probe.ok) break;
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`postgres did not accept logins: ${probe.text.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    // The engine creates the database of the URL on first use.
    database: (name) => `${server}/${name}`,
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

/** Databases of the bench's own on the caller's server, dropped by `close`. */
function externalServer(server: string): BenchPostgres {
  const created: string[] = [];
  const at = (name: string): string => {
    const url = new URL(server);
    url.pathname = `/${name}`;
    return url.href;
  };
  return {
    database: (name) => {
      const unique = `${name}_${process.pid}`;
      created.push(unique);
      return at(unique);
    },
    close: () => {
      for (const name of created) psql(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return Promise.resolve();
    },
  };
}
