import { randomUUID } from 'node:crypto';
import type { DBOSClient, WorkflowStatus } from '@dbos-inc/dbos-sdk';
import { ArazzoError } from '../errors.js';
import type { RunResult } from '../runtime/result.js';
import { APPLICATION, databaseError, loadDbos, probeDatabase } from './dbos.js';
import { WORKFLOW_NAME } from './engine.js';
import { readSpec, type DurableRunSpec } from './spec.js';

/** A run's state as `arazzo runs` says it (POSITIONS §15.4). */
export type DurableStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface DurableRunSummary {
  readonly runId: string;
  readonly workflowId: string | undefined;
  readonly file: string | undefined;
  readonly status: DurableStatus;
  /** The Arazzo step of the last checkpoint (unfinished runs; `show` only). */
  readonly currentStep?: string;
  readonly queue?: string;
  /** Who runs or ran it (the engine's executor id). */
  readonly executor?: string;
  readonly startedAt: number;
  readonly updatedAt?: number;
}

export interface Checkpoint {
  /** `workflowId/stepId` of an exchange, or `wait`. */
  readonly name: string;
  readonly statusCode?: number;
  readonly error?: string;
  readonly at?: number;
}

export interface DurableRunDetails extends DurableRunSummary {
  readonly checkpoints: readonly Checkpoint[];
  /** The stored result of a finished run (secrets masked). */
  readonly result?: RunResult;
  /** Why the run ended without a result (the document could not be loaded again, …). */
  readonly error?: string;
  /** What the run was started with. */
  readonly spec?: DurableRunSpec;
}

/**
 * The engine's statuses in ours. A run a crashed process held stays PENDING (running) until it
 * is resumed: the engine cannot know the process is gone.
 */
export function statusOf(status: string, result: unknown): DurableStatus {
  switch (status) {
    case 'ENQUEUED':
    case 'DELAYED':
      return 'pending';
    case 'PENDING':
      return 'running';
    case 'SUCCESS':
      return (result as { success?: unknown } | undefined)?.success === true
        ? 'succeeded'
        : 'failed';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return 'failed';
  }
}

/**
 * The runs stored in a database, without running any: for `arazzo runs` and `arazzo submit`,
 * and for library users. Connects through the engine's client (no launch, no recovery).
 */
export class DurableRuns {
  readonly #client: DBOSClient;
  readonly #url: string;
  #created: Promise<void> | undefined;

  private constructor(client: DBOSClient, url: string) {
    this.#client = client;
    this.#url = url;
  }

  static async open(databaseUrl: string): Promise<DurableRuns> {
    // The engine's client needs the database: created (empty) as a first launch would.
    if ((await probeDatabase(databaseUrl)) === 'missing')
      await createTables(databaseUrl).catch((error: unknown) => {
        throw databaseError(databaseUrl, error);
      });
    const { DBOSClient } = await loadDbos();
    try {
      const client = await DBOSClient.create({
        systemDatabaseUrl: databaseUrl,
        applicationName: APPLICATION,
        logger: {
          info: () => undefined,
          debug: () => undefined,
          warn: () => undefined,
          error: () => undefined,
        },
      });
      return new DurableRuns(client, databaseUrl);
    } catch (error) {
      throw databaseError(databaseUrl, error);
    }
  }

  /** Most recent first. */
  async list(limit = 100): Promise<DurableRunSummary[]> {
    const statuses = await this.#call(() =>
      this.#client.listWorkflows({
        workflowName: WORKFLOW_NAME,
        sortDesc: true,
        limit,
        loadInput: true,
        loadOutput: true,
      }),
    );
    return statuses.map((s) => summary(s));
  }

  async show(runId: string): Promise<DurableRunDetails> {
    const status = await this.#status(runId);
    const steps = (await this.#call(() => this.#client.listWorkflowSteps(runId))) ?? [];
    const checkpoints = steps.map((step): Checkpoint => {
      const output = step.output as {
        ok?: { statusCode?: unknown };
        error?: { message?: unknown };
      } | null;
      const statusCode = output?.ok?.statusCode;
      const error = output?.error?.message ?? step.error?.message;
      return {
        name: step.name,
        ...(typeof statusCode === 'number' ? { statusCode } : {}),
        ...(typeof error === 'string' ? { error } : {}),
        ...(step.completedAtEpochMs === undefined ? {} : { at: step.completedAtEpochMs }),
      };
    });
    const base = summary(status);
    const last = [...checkpoints].reverse().find((c) => c.name !== 'wait');
    const unfinished = base.status === 'running' || base.status === 'pending';
    const error = status.error as { message?: unknown } | undefined;
    const spec = readSpec(status.input?.[0]);
    return {
      ...base,
      ...(unfinished && last !== undefined ? { currentStep: last.name } : {}),
      checkpoints,
      ...(status.status === 'SUCCESS' ? { result: status.output as RunResult } : {}),
      ...(typeof error?.message === 'string' ? { error: error.message } : {}),
      ...(typeof spec === 'string' ? {} : { spec }),
    };
  }

  /** The stored start record, to check what a resuming process must give. */
  async spec(
    runId: string,
  ): Promise<{ spec: DurableRunSpec; status: DurableStatus; executor?: string }> {
    const status = await this.#status(runId);
    const spec = readSpec(status.input?.[0]);
    if (typeof spec === 'string') throw new ArazzoError('USAGE', `run ${runId}: ${spec}`);
    return {
      spec,
      status: statusOf(status.status, status.output),
      ...(status.executorId === undefined ? {} : { executor: status.executorId }),
    };
  }

  /** Stops a run at its next checkpoint; the request in flight, if any, completes. */
  async cancel(runId: string): Promise<void> {
    await this.#status(runId);
    await this.#call(() => this.#client.cancelWorkflow(runId));
  }

  /**
   * Queues a run for the workers of `queue`; resolves with its id once it is stored. A run may be
   * queued before any worker ever started on the database: the engine's tables are created
   * first (as a launch would), once per `DurableRuns`.
   */
  async enqueue(
    spec: DurableRunSpec,
    queue: string,
    runId: string = randomUUID(),
  ): Promise<string> {
    this.#created ??= createTables(this.#url);
    await this.#call(() => this.#created ?? Promise.resolve());
    await this.#call(() =>
      this.#client.enqueue(
        { workflowName: WORKFLOW_NAME, queueName: queue, workflowID: runId },
        spec,
      ),
    );
    return runId;
  }

  async close(): Promise<void> {
    await this.#client.destroy();
  }

  async #status(runId: string) {
    const found = await this.#call(() =>
      this.#client.listWorkflows({ workflowIDs: [runId], loadInput: true, loadOutput: true }),
    );
    const status = found[0];
    if (status === undefined || status.workflowName !== WORKFLOW_NAME)
      throw new ArazzoError('RUN_NOT_FOUND', `no durable run ${runId} in this database`);
    return status;
  }

  async #call<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      // A database the engine never launched on has no tables yet: then there are no runs.
      if ((error as { code?: unknown }).code === '42P01') return emptyOf<T>();
      throw databaseError(this.#url, error);
    }
  }
}

function emptyOf<T>(): T {
  return [] as T;
}

function summary(status: WorkflowStatus): DurableRunSummary {
  const spec = readSpec(status.input?.[0]);
  return {
    runId: status.workflowID,
    workflowId: typeof spec === 'string' ? undefined : spec.workflowId,
    file: typeof spec === 'string' ? undefined : spec.file,
    status: statusOf(status.status, status.output),
    ...(status.queueName === undefined ||
    status.queueName.startsWith('arazzo-resume-') ||
    status.queueName.startsWith('_dbos')
      ? {}
      : { queue: status.queueName }),
    ...(status.executorId === undefined ? {} : { executor: status.executorId }),
    startedAt: status.createdAt,
    ...(status.updatedAt === undefined ? {} : { updatedAt: status.updatedAt }),
  };
}

/**
 * The engine's tables, created or migrated as `DBOS.launch` does. `DBOS.migrate` would do it
 * too, but logs to the console: its function, which takes our (silent) logger, is in the
 * package's exported `internal/*` paths.
 */
async function createTables(url: string): Promise<void> {
  const { migrateSystemDatabase } = await import('@dbos-inc/dbos-sdk/internal/system_database');
  const silent = {
    info: () => undefined,
    debug: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  await migrateSystemDatabase(
    url,
    silent as unknown as Parameters<typeof migrateSystemDatabase>[1],
  );
}
