import type * as Sdk from '@dbos-inc/dbos-sdk';
import { ArazzoError } from '../errors.js';
import { displayUrl } from '../messaging/display-url.js';
import { VERSION } from '../version.js';

export type DbosModule = typeof Sdk;

let loading: Promise<DbosModule> | undefined;

/**
 * DBOS Transact (and its Postgres driver) is loaded on first use: a run that is not durable,
 * and `--help`, never load it (bench/imports.ts measures it).
 */
export function loadDbos(): Promise<DbosModule> {
  return (loading ??= import('@dbos-inc/dbos-sdk'));
}

/**
 * One connection attempt, bounded, before the engine gets the URL (POSITIONS §15.5): the engine retries a
 * database it cannot reach for ever (right for a database lost mid-run, which it waits out), so
 * a wrong URL or a stopped server would hang the command instead of being one line
 * (`DATABASE_UNREACHABLE`). A database that does not exist yet is reachable: the engine creates it.
 */
export async function probeDatabase(url: string, timeoutMs = 5000): Promise<'exists' | 'missing'> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection that fails later (server gone) must not be an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return 'exists';
  } catch (error) {
    if ((error as { code?: unknown }).code !== '3D000') throw databaseError(url, error);
    return 'missing';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The application name the engine scopes our workflows and queues by. */
export const APPLICATION = 'arazzo';

/**
 * The version a run is recovered under. DBOS recovers a run only in a process of the version
 * that started it: a replay is only faithful with the interpreter that recorded it.
 */
export const APPLICATION_VERSION = `arazzo-${VERSION}`;

/** Where durable runs are stored: `--database`, else `ARAZZO_DATABASE_URL`; one line without. */
export function databaseUrl(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = option ?? env['ARAZZO_DATABASE_URL'];
  if (url === undefined || url === '')
    throw new ArazzoError(
      'USAGE',
      'durable runs need a Postgres database: --database <postgres-url> or ARAZZO_DATABASE_URL',
    );
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new ArazzoError(
      'USAGE',
      `--database: ${displayUrl(url)} is not a postgres:// or postgresql:// URL`,
    );
  return url;
}

/**
 * A failure of the database as one line: where (without credentials) and why, never the
 * driver's stack. Postgres error codes: 28P01/28000 authentication, 3D000 no such database.
 */
export function databaseError(url: string, error: unknown): ArazzoError {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  let reason = typeof message === 'string' && message !== '' ? message : String(error);
  // A driver's message names a password only inside a connection string: mask it there (a
  // password may well be a word of the message, e.g. the database's name).
  reason = reason.replaceAll(url, displayUrl(url));
  const password = safePassword(url);
  if (password !== '') reason = reason.replaceAll(`:${password}@`, ':***@');
  reason = reason.split('\n', 1)[0] ?? reason;
  const unreachable =
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    code === 'EHOSTUNREACH' ||
    code === '28P01' ||
    code === '28000' ||
    code === '3D000' ||
    /ECONNREFUSED|ENOTFOUND|connect|authentication/i.test(reason);
  return new ArazzoError(
    unreachable ? 'DATABASE_UNREACHABLE' : 'DATABASE_ERROR',
    `database ${displayUrl(url)}: ${reason}`,
    { cause: error },
  );
}

function safePassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
