/**
 * Postgres for the durable-run bench (bench/durable.ts): a private cluster
 * (scripts/postgres-cluster.ts), or `BENCH_DATABASE_URL`, a server of the caller's, on which the
 * bench only creates and drops databases of its own.
 */
import { clusterUnavailable, psql, startCluster } from '../scripts/postgres-cluster.js';

export interface BenchPostgres {
  /** A server URL with user and password; `database(name)` gives one of its databases. */
  database(name: string): string;
  close(): Promise<void>;
}

/** Why the bench has no Postgres, or undefined when it has one. */
export function postgresUnavailable(): string | undefined {
  if (process.env['BENCH_DATABASE_URL']) return undefined;
  return clusterUnavailable();
}

export async function startPostgres(): Promise<BenchPostgres> {
  const external = process.env['BENCH_DATABASE_URL'];
  if (external !== undefined && external !== '') return externalServer(external);
  const cluster = await startCluster({ password: 'bench-pg-7d41', maxConnections: 300 });
  // The engine creates the database of the URL on first use.
  return { database: (name) => `${cluster.server}/${name}`, close: () => cluster.close() };
}

/** Databases of the bench's own on the caller's server, dropped by `close`. */
function externalServer(server: string): BenchPostgres {
  const created: string[] = [];
  return {
    database: (name) => {
      const unique = `${name}_${process.pid}`;
      created.push(unique);
      const url = new URL(server);
      url.pathname = `/${unique}`;
      return url.href;
    },
    close: () => {
      for (const name of created) {
        try {
          psql(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } catch {
          // Best effort: the bench's figures are printed already.
        }
      }
      return Promise.resolve();
    },
  };
}
