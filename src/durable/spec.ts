import type { RunOptions } from '../runtime/options.js';

/**
 * What a durable run is started with, as the engine stores it (POSITIONS §15.2): plain data,
 * read back by whichever process resumes the run. Nothing secret is in it: inputs the document
 * marks secret are named, not given, and credentials and headers are not there at all; the
 * process that executes the run supplies them from its own options.
 */
export interface DurableRunSpec {
  /** The format of this record, so that a later runner can refuse what it cannot read. */
  readonly format: 1;
  /** The Arazzo document, absolute. */
  readonly file: string;
  /** SHA-256 of its text: a run is never continued against a document that changed. */
  readonly documentSha256: string;
  readonly workflowId: string;
  /** The inputs, without the secret ones. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Names of the secret inputs the run was started with; the executing process gives them. */
  readonly secretInputs: readonly string[];
  readonly options: DurableRunOptions;
}

/** The run options that say where and how a run goes, and hold no secret. */
export type DurableRunOptions = Pick<
  RunOptions,
  | 'servers'
  | 'serverVariables'
  | 'maxSteps'
  | 'timeoutMs'
  | 'requestTimeoutMs'
  | 'pollIntervalMs'
  | 'maxWaitMs'
  | 'maxResponseBytes'
  | 'conditionTimeoutMs'
  | 'checkResponses'
  | 'strictResponses'
  | 'allowHosts'
>;

const DURABLE_OPTIONS = [
  'servers',
  'serverVariables',
  'maxSteps',
  'timeoutMs',
  'requestTimeoutMs',
  'pollIntervalMs',
  'maxWaitMs',
  'maxResponseBytes',
  'conditionTimeoutMs',
  'checkResponses',
  'strictResponses',
  'allowHosts',
] as const satisfies readonly (keyof DurableRunOptions)[];

/** The part of `options` a durable run stores. */
export function durableOptions(options: RunOptions): DurableRunOptions {
  return Object.fromEntries(
    DURABLE_OPTIONS.filter((name) => options[name] !== undefined).map((name) => [
      name,
      options[name],
    ]),
  );
}

/** Splits inputs into what is stored and the secret ones the executing process keeps. */
export function splitInputs(
  inputs: Readonly<Record<string, unknown>>,
  isSecret: (name: string) => boolean,
): { stored: Record<string, unknown>; secret: Record<string, unknown> } {
  const stored: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs))
    (isSecret(name) ? secret : stored)[name] = value;
  return { stored, secret };
}

/** A stored record this runner can read, or a one-line reason it cannot. */
export function readSpec(value: unknown): DurableRunSpec | string {
  const spec = value as Partial<DurableRunSpec> | undefined;
  if (typeof spec !== 'object' || spec === null) return 'the run has no stored start record';
  if (spec.format !== 1) return `the run was stored in format ${String(spec.format)}, not 1`;
  return spec as DurableRunSpec;
}
