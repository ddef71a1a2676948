/**
 * Bounded evaluation of CriterionTasks (issue 21, F4): a regex, JSONPath or XPath condition runs
 * in a worker thread with a wall-clock deadline and a heap cap, so a catastrophically
 * backtracking pattern, a nested descendant query or an XPath loop fails its criterion with a line
 * that names the bound instead of holding the process for good. The run's signal (--timeout,
 * SIGINT, SIGTERM) ends an evaluation at once.
 *
 * One long-lived worker per heap cap, started on first need and unref'd while idle (a run that
 * never meets such a condition never starts it; an idle one never keeps the process alive). Tasks
 * run one at a time in arrival order; a task's deadline starts when the worker receives it, after
 * the engine it needs is loaded. On a deadline, an abort or an out-of-memory exit the worker is
 * terminated — V8 interrupts a running regex or loop — and the next task gets a new one.
 */
import { Worker } from 'node:worker_threads';
import {
  taskCondition,
  taskEngine,
  type CriterionTask,
  type ResultOf,
  type TaskEngine,
  type TaskResult,
  type WorkerReply,
  type WorkerRequest,
} from './criterion-task.js';
import { formatValue } from './format.js';

export interface ConditionBounds {
  /** Wall-clock bound on one evaluation, in ms (default 1000). */
  readonly timeoutMs?: number;
  /** Heap bound of the worker thread that evaluates, in MiB (default 256). */
  readonly memoryMiB?: number;
}

export const CONDITION_BOUNDS = { timeoutMs: 1000, memoryMiB: 256 } as const;

/** Starting the worker and loading an engine (fontoxpath: ~120 ms) is our own code; a generous bound. */
const STARTUP_MS = 30_000;
/** Node's timers overflow past 2³¹−1 ms (they would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Next to this module in both builds: dist/src/criteria/ (tsc) and dist/bundle/ (esbuild). */
const WORKER_URL = new URL('./criterion-worker.js', import.meta.url);

const evaluators = new Map<number, Evaluator>();

/** Evaluates a task within its bounds; never rejects. */
export function evaluateTask<T extends CriterionTask>(
  task: T,
  bounds: ConditionBounds = {},
  signal?: AbortSignal,
): Promise<ResultOf<T>> {
  const timeoutMs = positive(bounds.timeoutMs, CONDITION_BOUNDS.timeoutMs, MAX_TIMER_MS);
  const memoryMiB = Math.ceil(positive(bounds.memoryMiB, CONDITION_BOUNDS.memoryMiB, 2 ** 20));
  let evaluator = evaluators.get(memoryMiB);
  if (evaluator === undefined) evaluators.set(memoryMiB, (evaluator = new Evaluator(memoryMiB)));
  // A failure (a bound, the run's signal) has the one shape both kinds of result share.
  return evaluator.evaluate(task, timeoutMs, signal) as Promise<ResultOf<T>>;
}

function positive(value: number | undefined, fallback: number, max: number): number {
  return value !== undefined && value > 0 && !Number.isNaN(value) ? Math.min(value, max) : fallback;
}

interface Job {
  readonly task: CriterionTask;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (result: TaskResult) => void;
  onAbort?: () => void;
}

interface Current {
  readonly job: Job;
  readonly id: number;
  readonly phase: 'loading' | 'running';
  readonly timer: NodeJS.Timeout;
}

/** The one-line failures, naming the condition (quoted and shortened) and the bound. */
function failure(task: CriterionTask, what: string): { passed: false; reason: string } {
  return {
    passed: false,
    reason: `${task.kind === 'select' ? `${task.engine === 'xpath' ? 'xpath' : 'jsonpath'} selector` : `${task.kind} condition`} ${formatValue(taskCondition(task))} ${what}`,
  };
}

class Evaluator {
  readonly #memoryMiB: number;
  #worker: Worker | undefined;
  readonly #engines = new Set<TaskEngine>();
  readonly #queue: Job[] = [];
  #current: Current | undefined;
  #nextId = 0;

  constructor(memoryMiB: number) {
    this.#memoryMiB = memoryMiB;
  }

  evaluate(
    task: CriterionTask,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<TaskResult> {
    if (signal?.aborted)
      return Promise.resolve(failure(task, 'was not evaluated: the run was stopped'));
    return new Promise((resolve) => {
      const job: Job = { task, timeoutMs, signal, resolve };
      if (signal !== undefined) {
        job.onAbort = () => this.#abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** Starts the next queued job if none is running. */
  #pump(): void {
    if (this.#current !== undefined) return;
    const job = this.#queue.shift();
    if (job === undefined) {
      this.#worker?.unref();
      return;
    }
    const engine = taskEngine(job.task);
    if (this.#engines.has(engine) && this.#worker !== undefined) this.#send(job, 'running');
    else this.#send(job, 'loading');
  }

  #send(job: Job, phase: Current['phase']): void {
    const id = ++this.#nextId;
    const limit = phase === 'running' ? job.timeoutMs : STARTUP_MS;
    this.#current = { job, id, phase, timer: setTimeout(() => this.#expire(), limit) };
    const request: WorkerRequest =
      phase === 'running' ? { id, task: job.task } : { id, load: taskEngine(job.task) };
    try {
      const worker = this.#start();
      worker.ref();
      worker.postMessage(request);
    } catch (error) {
      // A value that cannot be copied (a library input holding a function: its message would
      // quote the function's source, so it is not repeated), or no worker.
      const detail =
        error instanceof Error && error.name === 'DataCloneError'
          ? 'its context value is not plain data (it holds a function or a symbol)'
          : error instanceof Error
            ? error.message
            : String(error);
      this.#finish(failure(job.task, `could not be evaluated: ${detail}`));
    }
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.#memoryMiB },
    });
    worker.on('message', (reply: WorkerReply) => this.#reply(worker, reply));
    worker.on('error', (error: Error & { code?: string }) => {
      if (worker !== this.#worker) return;
      this.#discard();
      if (this.#current === undefined) return;
      this.#finish(
        failure(
          this.#current.job.task,
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `exceeded its memory bound (${this.#memoryMiB} MiB)`
            : `could not be evaluated: ${error.message}`,
        ),
      );
    });
    worker.on('exit', () => {
      if (worker !== this.#worker) return;
      this.#worker = undefined;
      this.#engines.clear();
      if (this.#current !== undefined)
        this.#finish(failure(this.#current.job.task, 'could not be evaluated: the worker stopped'));
    });
    this.#engines.clear();
    this.#worker = worker;
    return worker;
  }

  #reply(worker: Worker, reply: WorkerReply): void {
    const current = this.#current;
    if (worker !== this.#worker || current === undefined) return;
    if ('unreadable' in reply) {
      this.#finish(failure(current.job.task, `could not be evaluated: ${reply.unreadable}`));
      return;
    }
    if (reply.id !== current.id) return;
    if ('loaded' in reply) {
      clearTimeout(current.timer);
      this.#engines.add(taskEngine(current.job.task));
      this.#send(current.job, 'running');
      return;
    }
    this.#finish(reply.result);
  }

  #expire(): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#discard();
    this.#finish(
      failure(
        current.job.task,
        current.phase === 'running'
          ? `did not finish within ${current.job.timeoutMs} ms`
          : `could not be evaluated: the condition worker did not start within ${STARTUP_MS} ms`,
      ),
    );
  }

  #abort(job: Job): void {
    if (this.#current?.job === job) {
      this.#discard();
      this.#finish(failure(job.task, 'did not finish: the run was stopped'));
      return;
    }
    const index = this.#queue.indexOf(job);
    if (index === -1) return;
    this.#queue.splice(index, 1);
    job.resolve(failure(job.task, 'was not evaluated: the run was stopped'));
  }

  /** Terminates the worker (V8 interrupts whatever it runs); the next job starts a new one. */
  #discard(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#engines.clear();
    if (worker !== undefined) void worker.terminate();
  }

  #finish(result: TaskResult): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    clearTimeout(current.timer);
    const { job } = current;
    if (job.onAbort !== undefined) job.signal?.removeEventListener('abort', job.onAbort);
    job.resolve(result);
    this.#pump();
  }
}
