/**
 * A real Postgres for the durable-run tests: `ARAZZO_TEST_DATABASE_URL` when set (a server the
 * caller runs; each test gets its own database on it), else a private cluster of Debian's
 * `postgresql` package (scripts/postgres-cluster.ts). Without it the tests that need a database
 * are skipped with that reason.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  clusterUnavailable,
  postgresBin,
  psql,
  startCluster,
} from '../../scripts/postgres-cluster.js';

export interface Postgres {
  /** With user and password: what `--database` is given. */
  readonly url: string;
  readonly password: string;
  /** Every text the database holds (all tables of every schema, as `pg_dump --data-only` writes it). */
  dump(): string;
  close(): Promise<void>;
}

const PASSWORD = 'pg-secret-5c2e';

/** Why there is no Postgres to test against, or undefined when there is one. */
export function postgresUnavailable(): string | undefined {
  if (process.env['ARAZZO_TEST_DATABASE_URL']) return undefined;
  return clusterUnavailable();
}

export async function startPostgres(): Promise<Postgres> {
  const external = process.env['ARAZZO_TEST_DATABASE_URL'];
  if (external !== undefined && external !== '') return externalDatabase(external);
  const cluster = await startCluster({ password: PASSWORD, maxConnections: 200 });
  // The engine creates the database of the URL on first use.
  const url = `${cluster.server}/arazzo`;
  return { url, password: PASSWORD, dump: () => dumpDatabase(url), close: () => cluster.close() };
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

function dumpDatabase(url: string): string {
  const bin = postgresBin();
  const pgDump = bin === undefined ? 'pg_dump' : join(bin, 'pg_dump');
  const result = spawnSync(pgDump, ['--data-only', url], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`pg_dump: ${result.stderr}`);
  return result.stdout;
}
