import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ArazzoError } from '../errors.js';
import { Redactor } from '../report/redact.js';
import { systemClock } from '../runtime/clock.js';
import type { RunEvent } from '../runtime/events.js';
import type { RunOptions } from '../runtime/options.js';
import type { RunResult } from '../runtime/result.js';
import { runWorkflow } from '../runtime/run.js';
import type { DocumentScope } from '../runtime/scope.js';
import { checkpointClock, checkpointJournal } from './checkpoints.js';
import {
  APPLICATION,
  APPLICATION_VERSION,
  databaseError,
  loadDbos,
  probeDatabase,
  type DbosModule,
} from './dbos.js';
import { readSpec, type DurableRunSpec } from './spec.js';

/** The name durable runs are registered under: the same in every process of every version. */
export const WORKFLOW_NAME = 'arazzo-run';

/**
 * What a process that executes durable runs provides for each of them: everything the stored
 * record leaves out (POSITIONS §15.2). `prepare` loads the document again and adds the
 * credentials, headers and secret inputs this process holds.
 */
export interface DurableHost {
  prepare(spec: DurableRunSpec): Promise<PreparedDurableRun>;
  /** Events of each run this process executes (replayed steps included). */
  onEvent?(runId: string, event: RunEvent): void;
  /** Stopping it leaves the runs in flight unfinished, to be resumed (as a crash would). */
  readonly signal?: AbortSignal;
}

export interface PreparedDurableRun {
  readonly scope: DocumentScope;
  /** Everything but journal, clock, signal and listener, which the engine sets. */
  readonly options: RunOptions;
  /** Masked in what is stored of the result. */
  readonly secrets: readonly string[];
}

export interface EngineOptions {
  readonly databaseUrl: string;
  /**
   * Who this process is to the engine. A process recovers, at start, the unfinished runs of its
   * id: a worker keeps its id across restarts; `run --durable` takes one of its own.
   */
  readonly executorId: string;
  /** Queues this process takes runs from (workers); none for a process that only starts runs. */
  readonly queues?: readonly { name: string; concurrency: number }[];
  /** This process resumes runs (`runs resume`): it gets a queue of its own for them. */
  readonly resumes?: boolean;
  readonly host: DurableHost;
}

let dbos: DbosModule | undefined;
let host: DurableHost | undefined;
/** Full results of the runs executed here, for the reports of the process that waits on them. */
const results = new Map<string, RunResult>();
let registered: ((spec: DurableRunSpec) => Promise<RunResult>) | undefined;

/**
 * The durable workflow: one Arazzo run, the same interpreter as a plain run, given a journal
 * and a clock that checkpoint through the engine. What it returns is stored: the result with
 * every secret masked.
 */
async function durableRun(stored: DurableRunSpec): Promise<RunResult> {
  const engine = dbos;
  const current = host;
  if (engine === undefined || current === undefined) throw new Error('durable engine not launched');
  const spec = readSpec(stored);
  if (typeof spec === 'string') throw new ArazzoError('USAGE', spec);
  const runId = engine.DBOS.workflowID ?? 'unknown';
  await checkDocument(spec);
  const prepared = await current.prepare(spec);
  const stopped = current.signal ?? new AbortController().signal;
  const redactor = new Redactor(prepared.secrets);
  const result = await runWorkflow(prepared.scope, {
    ...prepared.options,
    workflowId: spec.workflowId,
    signal: stopped,
    journal: checkpointJournal(engine, stopped),
    clock: checkpointClock(engine, prepared.options.clock ?? systemClock(), stopped),
    onEvent: (event) => {
      redactor.onEvent(event);
      current.onEvent?.(runId, event);
    },
  });
  // Stopped by its host: unfinished, as after a crash (checkpoints.ts).
  if (stopped.aborted) return new Promise<never>(() => undefined);
  results.set(runId, result);
  return redactor.value(result) as RunResult;
}

/** A run continues only on the document it started on (POSITIONS §15.3). */
async function checkDocument(spec: DurableRunSpec): Promise<void> {
  let text: string;
  try {
    text = await readFile(spec.file, 'utf8');
  } catch {
    throw new ArazzoError('FILE_NOT_FOUND', `${spec.file}: the run's document cannot be read`);
  }
  if (sha256(text) !== spec.documentSha256)
    throw new ArazzoError(
      'USAGE',
      `${spec.file} changed since the run started: a run continues only on the document it started on`,
    );
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A running engine in this process: starts, resumes and waits for runs. */
export class DurableEngine {
  readonly #dbos: DbosModule;
  readonly #run: (spec: DurableRunSpec) => Promise<RunResult>;
  readonly #resumeQueue: string | undefined;

  private constructor(
    module: DbosModule,
    run: (spec: DurableRunSpec) => Promise<RunResult>,
    resumeQueue: string | undefined,
  ) {
    this.#dbos = module;
    this.#run = run;
    this.#resumeQueue = resumeQueue;
  }

  /** Connects to the database (creating the engine's tables on first use) and starts. */
  static async launch(options: EngineOptions): Promise<DurableEngine> {
    await probeDatabase(options.databaseUrl);
    const module = (dbos = await loadDbos());
    host = options.host;
    const { DBOS } = module;
    const resumeQueue = options.resumes === true ? `arazzo-resume-${randomUUID()}` : undefined;
    const queues = [
      ...(options.queues ?? []).map((q) => ({ ...q, polling: 200 })),
      ...(resumeQueue === undefined ? [] : [{ name: resumeQueue, concurrency: 1, polling: 50 }]),
    ];
    registered ??= DBOS.registerWorkflow(durableRun, { name: WORKFLOW_NAME });
    DBOS.setConfig({
      name: APPLICATION,
      systemDatabaseUrl: options.databaseUrl,
      applicationVersion: APPLICATION_VERSION,
      executorID: options.executorId,
      // Only the queues named here: a process never takes runs meant for others.
      listenQueues: queues.map((q) => q.name),
      logger: QUIET,
    });
    try {
      await DBOS.launch();
      for (const queue of queues)
        await DBOS.registerQueue(queue.name, {
          workerConcurrency: queue.concurrency,
          minPollingIntervalMs: queue.polling,
          onConflict: 'always_update',
        });
    } catch (error) {
      await DBOS.shutdown().catch(() => undefined);
      throw databaseError(options.databaseUrl, error);
    }
    return new DurableEngine(module, registered, resumeQueue);
  }

  /** Starts a run in this process; resolves once it is stored, with its id. */
  async start(spec: DurableRunSpec, runId: string = randomUUID()): Promise<string> {
    await this.#dbos.DBOS.startWorkflow(this.#run, { workflowID: runId })(spec);
    return runId;
  }

  /**
   * Continues an unfinished run in this process: requests whose responses are stored are not
   * sent again (the one in flight at the crash is). The run goes through a queue of this
   * process alone (launched with `resumes`), so no worker takes it.
   */
  async resume(runId: string): Promise<void> {
    if (this.#resumeQueue === undefined) throw new Error('engine launched without resumes');
    await this.#dbos.DBOS.resumeWorkflow(runId, { queueName: this.#resumeQueue });
  }

  /**
   * The run's result once it ends: the full one when it ran here (handed over once, so a
   * long-lived process does not keep every result), else the stored one.
   */
  async result(runId: string): Promise<RunResult> {
    const stored = await this.#dbos.DBOS.retrieveWorkflow<RunResult>(runId).getResult();
    const full = results.get(runId);
    results.delete(runId);
    return full ?? stored;
  }

  /** Stops a run at its next checkpoint (POSITIONS §15.4); `result` then rejects. */
  async cancel(runId: string): Promise<void> {
    await this.#dbos.DBOS.cancelWorkflow(runId);
  }

  async close(): Promise<void> {
    const { DBOS } = this.#dbos;
    if (this.#resumeQueue !== undefined)
      await DBOS.deleteQueue(this.#resumeQueue).catch(() => undefined);
    await DBOS.shutdown();
  }
}

/** The id of a process that starts runs itself: its host and pid (`runs resume` checks them). */
export function runnerExecutorId(): string {
  return `run:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** DBOS's own log lines (launch, recovery, queues) are not the user's business; its errors are ours to report. */
const QUIET = {
  info: () => undefined,
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
