/**
 * A private Postgres cluster of Debian's `postgresql` package, for the durable-run tests
 * (test/_helpers/postgres.ts) and bench (bench/postgres.ts): initdb into a temp folder, password
 * authentication on a free loopback port, stopped and deleted by `close`. Postgres refuses to
 * run as root: as root the cluster belongs to the `postgres` user the package creates.
 * `scripts/services.sh` installs the package where it is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  /** `postgres://arazzo:<password>@127.0.0.1:<port>`: add `/<database>`. */
  readonly server: string;
  close(): Promise<void>;
}

/** The newest installed server's `bin` folder. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Why no cluster can be started here, or undefined when one can. */
export function clusterUnavailable(): string | undefined {
  if (postgresBin() === undefined)
    return 'Postgres is not installed (scripts/services.sh installs it when run as root: apt-get install -y postgresql)';
  if (spawnSync('psql', ['--version']).status !== 0)
    return 'psql (postgresql-client) is not installed';
  return undefined;
}

/** Runs one statement; the output, or throws with psql's message. */
export function psql(url: string, sql: string): string {
  const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql: ${result.stderr.trim()}`);
  return result.stdout;
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

export async function startCluster(options: {
  readonly password: string;
  readonly maxConnections: number;
}): Promise<Cluster> {
  const bin = postgresBin();
  if (bin === undefined) throw new Error(clusterUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-pg-'));
  const root = process.getuid?.() === 0;
  // As root: the cluster's files belong to `postgres`, which must be able to reach them.
  const as = (command: string, args: string[]): [string, string[]] =>
    root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, options.password);
  chmodSync(pwfile, 0o644);
  const init = spawnSync(
    ...as(join(bin, 'initdb'), [
      ...['-D', data, '-U', 'arazzo', '--pwfile', pwfile],
      ...['--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync'],
    ]),
    { encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.trim()}`);
  const port = await freePort();
  // fsync off: what is measured and tested is the runner's checkpoint traffic, not the disk.
  const child = spawn(
    ...as(join(bin, 'postgres'), [
      ...['-D', data, '-p', String(port), '-k', dir],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      ...['-c', `max_connections=${options.maxConnections}`],
    ]),
    { stdio: 'ignore' },
  );
  const server = `postgres://arazzo:${options.password}@127.0.0.1:${port}`;
  // The postmaster listens before it accepts logins: wait for the first query to succeed.
  const until = Date.now() + 30_000;
  for (;;) {
    const probe = spawnSync('psql', [`${server}/postgres`, '-Atc', 'select 1'], {
      encoding: 'utf8',
    });
    if (probe.status === 0) break;
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`postgres did not accept logins: ${probe.stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    server,
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
