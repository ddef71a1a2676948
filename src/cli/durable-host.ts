import { hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ArazzoError } from '../errors.js';
import type { DurableHost, DurableRunSpec } from '../durable/index.js';
import { sha256 } from '../durable/index.js';
import { durableOptions, splitInputs } from '../durable/spec.js';
import { isSecretInput, Redactor } from '../report/redact.js';
import type { JsonSchema } from '../document/types.js';
import { prepareRun } from '../runtime/prepare-run.js';
import type { RunEvent } from '../runtime/events.js';
import type { RunOptions } from '../runtime/options.js';
import type { DocumentScope } from '../runtime/scope.js';
import { setOwn } from '../runtime/own.js';
import { runEnvironment, type EnvironmentOptions } from './run-environment.js';
import type { CliIo } from './io.js';
import { coerceInput, propertySchema, splitAssignment } from './parse-options.js';

/** What a durable run stores of a run `arazzo run` prepared (POSITIONS §15.2). */
export async function specOf(
  file: string,
  scope: DocumentScope,
  workflowId: string,
  inputs: Readonly<Record<string, unknown>>,
  schema: JsonSchema | undefined,
  options: RunOptions,
): Promise<DurableRunSpec> {
  for (const source of scope.sources.values())
    if (source.kind === 'asyncapi')
      throw new ArazzoError(
        'USAGE',
        `--durable runs OpenAPI steps only (not yet AsyncAPI ones): the document has the AsyncAPI source "${source.name}"`,
      );
  const { stored, secret } = splitInputs(inputs, (name) =>
    isSecretInput(name, propertySchema(schema, name)),
  );
  return {
    format: 1,
    file,
    documentSha256: sha256(await readFile(file, 'utf8')),
    workflowId,
    inputs: stored,
    secretInputs: Object.keys(secret),
    options: durableOptions(options),
  };
}

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
  return {
    ...(signal === undefined ? {} : { signal }),
    ...(onEvent === undefined ? {} : { onEvent }),
    async prepare(spec) {
      const { scope, inputsSchema: schema } = await prepareRun(spec.file, {
        cwd: io.cwd,
        workflowId: spec.workflowId,
        ...(spec.options.allowHosts === undefined ? {} : { allowHosts: spec.options.allowHosts }),
      });
      const secretInputs = secretInputsOf(options, spec, schema);
      const environment: EnvironmentOptions = {
        ...(options.auth === undefined ? {} : { auth: options.auth }),
        ...(options.authFile === undefined ? {} : { authFile: options.authFile }),
        ...(options.header === undefined ? {} : { header: options.header }),
      };
      const { options: own, secrets } = await runEnvironment(scope.sources, environment, io);
      const inputs = { ...spec.inputs, ...secretInputs };
      return {
        scope,
        options: {
          ...spec.options,
          ...(own.credentials === undefined ? {} : { credentials: own.credentials }),
          ...(own.headers === undefined ? {} : { headers: own.headers }),
          inputs,
        },
        secrets: [...secrets, ...Redactor.secretsOf(schema, inputs)],
      };
    },
  };
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
