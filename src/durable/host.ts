import { readFile } from 'node:fs/promises';
import type { Credentials } from '../http/auth/types.js';
import type { JsonSchema } from '../document/types.js';
import { ArazzoError } from '../errors.js';
import { isSecretInput, Redactor } from '../report/redact.js';
import type { RunEvent } from '../runtime/events.js';
import type { RunOptions } from '../runtime/options.js';
import { propertySchema } from '../runtime/inputs.js';
import { prepareRun } from '../runtime/prepare-run.js';
import type { DocumentScope } from '../runtime/scope.js';
import type { DurableHost } from './engine.js';
import { sha256 } from './engine.js';
import { durableOptions, splitInputs, type DurableRunSpec } from './spec.js';

/**
 * What a durable run stores of a prepared run (POSITIONS §15.2): the inputs the document marks
 * secret are named, not kept, and of the options only those that hold no secret.
 */
export async function durableSpec(
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
        `durable runs run OpenAPI steps only (not yet AsyncAPI ones): the document has the AsyncAPI source "${source.name}"`,
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

/** What a host gives the runs it executes for a document: never stored. */
export interface HostEnvironment {
  readonly credentials?: Credentials;
  readonly headers?: Readonly<Record<string, string>>;
  /** Values masked in what is stored of a result (credential values, secret headers). */
  readonly secrets?: readonly string[];
}

export interface HostOptions {
  /** Where relative paths of a document are read from. */
  readonly cwd?: string;
  /** Credentials and headers: the same for every run, or worked out per loaded document. */
  readonly environment?: HostEnvironment | ((scope: DocumentScope) => Promise<HostEnvironment>);
  /**
   * The secret inputs this process holds. A run that needs one it lacks fails, naming it:
   * secret inputs are never stored (POSITIONS §15.2).
   */
  readonly secretInputs?:
    | Readonly<Record<string, unknown>>
    | ((spec: DurableRunSpec, schema: JsonSchema | undefined) => Record<string, unknown>);
  readonly onEvent?: (runId: string, event: RunEvent) => void;
  readonly signal?: AbortSignal;
}

/**
 * A host that loads each run's document again from its stored path and gives it this process's
 * credentials, headers and secret inputs: what a worker, a resuming process or a library user
 * runs durable runs with.
 */
export function durableHost(options: HostOptions = {}): DurableHost {
  return {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    async prepare(spec) {
      const { scope, inputsSchema: schema } = await prepareRun(spec.file, {
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        workflowId: spec.workflowId,
        ...(spec.options.allowHosts === undefined ? {} : { allowHosts: spec.options.allowHosts }),
      });
      const held =
        typeof options.secretInputs === 'function'
          ? options.secretInputs(spec, schema)
          : (options.secretInputs ?? {});
      const missing = spec.secretInputs.filter((name) => !Object.hasOwn(held, name));
      if (missing.length > 0)
        throw new ArazzoError(
          'INPUT_MISSING',
          `the run needs its secret input${missing.length === 1 ? '' : 's'} ${missing.join(', ')} again (they are never stored)`,
        );
      const secretInputs = Object.fromEntries(spec.secretInputs.map((name) => [name, held[name]]));
      const environment =
        typeof options.environment === 'function'
          ? await options.environment(scope)
          : (options.environment ?? {});
      const inputs = { ...spec.inputs, ...secretInputs };
      return {
        scope,
        options: {
          ...spec.options,
          ...(environment.credentials === undefined
            ? {}
            : { credentials: environment.credentials }),
          ...(environment.headers === undefined ? {} : { headers: environment.headers }),
          inputs,
        },
        secrets: [...(environment.secrets ?? []), ...Redactor.secretsOf(schema, inputs)],
      };
    },
  };
}
