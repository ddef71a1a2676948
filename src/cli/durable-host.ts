import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { ArazzoError } from '../errors.js';
import type { DurableHost, DurableRunSpec } from '../durable/index.js';
import { durableHost } from '../durable/index.js';
import type { JsonSchema } from '../document/types.js';
import type { RunEvent } from '../runtime/events.js';
import { setOwn } from '../runtime/own.js';
import { runEnvironment, type EnvironmentOptions } from './run-environment.js';
import type { CliIo } from './io.js';
import { coerceInput, propertySchema, splitAssignment } from './parse-options.js';

/** The options a resuming process or a worker gives for what a run's record leaves out. */
export interface HostOptions {
  readonly input?: readonly string[];
  readonly auth?: readonly string[];
  readonly authFile?: string;
  readonly header?: readonly string[];
}

/**
 * A host for the runs this process continues (`runs resume`) or takes from a queue (`worker`):
 * the document loaded again from the stored path, credentials and headers from this process's
 * own options and environment, and the secret inputs from its `--input`s.
 */
export function cliHost(
  options: HostOptions,
  io: CliIo,
  signal: AbortSignal | undefined,
  onEvent?: (runId: string, event: RunEvent) => void,
): DurableHost {
  return durableHost({
    cwd: io.cwd,
    ...(signal === undefined ? {} : { signal }),
    ...(onEvent === undefined ? {} : { onEvent }),
    secretInputs: (spec, schema) => secretInputsOf(options, spec, schema),
    environment: async (scope) => {
      const environment: EnvironmentOptions = {
        ...(options.auth === undefined ? {} : { auth: options.auth }),
        ...(options.authFile === undefined ? {} : { authFile: options.authFile }),
        ...(options.header === undefined ? {} : { header: options.header }),
      };
      const { options: own, secrets } = await runEnvironment(scope.sources, environment, io);
      return {
        ...(own.credentials === undefined ? {} : { credentials: own.credentials }),
        ...(own.headers === undefined ? {} : { headers: own.headers }),
        secrets,
      };
    },
  });
}

/** The secret inputs a run needs from this process: all of them, or one line naming the missing. */
export function secretInputsOf(
  options: HostOptions,
  spec: DurableRunSpec,
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const assignment of options.input ?? []) {
    const [name, text] = splitAssignment(assignment, '--input');
    if (spec.secretInputs.includes(name))
      setOwn(given, name, coerceInput(text, propertySchema(schema, name)));
  }
  const missing = spec.secretInputs.filter((name) => !Object.hasOwn(given, name));
  if (missing.length > 0)
    throw new ArazzoError(
      'INPUT_MISSING',
      `the run needs its secret input${missing.length === 1 ? '' : 's'} ${missing.join(', ')} again (they are never stored): give ${missing.map((n) => `--input ${n}=…`).join(' ')}`,
    );
  return given;
}

/** Whether a run's executor is a `run --durable` process of this machine that is still alive. */
export function aliveRunner(executor: string | undefined): number | undefined {
  const match = /^run:(.+):(\d+):[0-9a-f]+$/.exec(executor ?? '');
  if (match?.[1] !== hostname() || match[2] === undefined) return undefined;
  const pid = Number(match[2]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export function absolute(io: Pick<CliIo, 'cwd'>, file: string): string {
  return resolve(io.cwd, file);
}

/**
 * The engine's Postgres driver warns on stderr that it queues queries on a busy client (a
 * DeprecationWarning of `pg` about the engine's use, not ours): a user of `arazzo runs` cannot act
 * on it, so the CLI, which owns the process, silences deprecation warnings before loading it.
 */
export function quietDatabaseDriver(): void {
  process.noDeprecation = true;
}
