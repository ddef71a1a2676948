import { randomUUID } from 'node:crypto';
import { ArazzoError, formatError } from '../errors.js';
import { printable } from '../report/style.js';
import type { JsonSchema } from '../document/types.js';
import { DurableEngine, databaseUrl, durableSpec, runnerExecutorId } from '../durable/index.js';
import type { RunListener } from '../runtime/events.js';
import type { RunOptions } from '../runtime/options.js';
import type { RunResult } from '../runtime/result.js';
import type { DocumentScope } from '../runtime/scope.js';
import { absolute, quietDatabaseDriver } from './durable-host.js';
import { EXIT, type CliIo } from './io.js';

export interface DurableRunRequest {
  readonly file: string;
  readonly scope: DocumentScope;
  readonly workflowId: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly schema: JsonSchema | undefined;
  /** The environment's run options (servers, credentials, headers, limits). */
  readonly options: RunOptions;
  readonly secrets: readonly string[];
  readonly database: string | undefined;
  readonly onEvent: RunListener;
}

/**
 * `arazzo run --durable`: the run as a durable workflow executed by this process (POSITIONS
 * §15). Its id is said on stderr before the first request. Interrupted (Ctrl-C), the process
 * leaves the run unfinished in the database, to be continued with `arazzo runs resume`.
 */
export async function runDurably(
  request: DurableRunRequest,
  io: CliIo,
  signal: AbortSignal | undefined,
): Promise<{ runId: string; result: RunResult } | { runId: string; interrupted: true }> {
  const url = databaseUrl(request.database, io.env);
  const file = absolute(io, request.file);
  const spec = await durableSpec(
    file,
    request.scope,
    request.workflowId,
    request.inputs,
    request.schema,
    request.options,
  );
  quietDatabaseDriver();
  const engine = await DurableEngine.launch({
    databaseUrl: url,
    executorId: runnerExecutorId(),
    host: {
      ...(signal === undefined ? {} : { signal }),
      // This process prepared the run already: what a resuming process would load again.
      prepare: () =>
        Promise.resolve({
          scope: request.scope,
          options: { ...request.options, inputs: request.inputs },
          secrets: request.secrets,
        }),
      onEvent: (_runId, event) => request.onEvent(event),
    },
  });
  try {
    const runId = randomUUID();
    await engine.start(spec, runId);
    io.stderr(`arazzo: durable run ${runId}\n`);
    const stopped = new Promise<'stopped'>((resolve) => {
      if (signal?.aborted === true) resolve('stopped');
      signal?.addEventListener('abort', () => resolve('stopped'), { once: true });
    });
    const outcome = await Promise.race([engine.result(runId), stopped]);
    if (outcome === 'stopped') {
      io.stderr(
        `arazzo: interrupted; durable run ${runId} is unfinished: continue it with arazzo runs resume ${runId}\n`,
      );
      return { runId, interrupted: true };
    }
    return { runId, result: outcome };
  } catch (error) {
    throw asUsage(error);
  } finally {
    await engine.close();
  }
}

/** An error the stored run ended with (inputs refused before any request) as our one line. */
export function asUsage(error: unknown): unknown {
  if (error instanceof ArazzoError) return error;
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  if (name === 'ArazzoError' && typeof message === 'string')
    return new ArazzoError('USAGE', message);
  return error;
}

/**
 * A durable command's body with our errors as one line: exit 1 when the database failed (as an
 * unreachable server fails a run), 2 for a usage mistake.
 */
export async function guarded(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const known = asUsage(error);
    if (known instanceof ArazzoError) {
      io.stderr(`arazzo: ${printable(formatError(known))}\n`);
      return databaseFailed(known) ? EXIT.FAILED : EXIT.USAGE;
    }
    throw error;
  }
}

export function databaseFailed(error: ArazzoError): boolean {
  return error.code === 'DATABASE_UNREACHABLE' || error.code === 'DATABASE_ERROR';
}
