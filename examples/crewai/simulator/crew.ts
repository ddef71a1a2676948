/**
 * The execution state machine of the CrewAI AMP simulator: pure (no I/O, no timers), driven by
 * an injectable clock. State is advanced lazily on every read from the clock, so an idle
 * simulator schedules nothing and never keeps the process alive.
 *
 * Section references (§) are to shared/crewai/NOTES.md.
 */

/** One task of a crew, run in order. */
export interface CrewTask {
  /** Task id, reported as `current_task` / `task_id` (NOTES §2.4: CrewAI's examples use names like `research_task`). */
  id: string;
  /** Agent name, reported in `result.tasks[].agent`. */
  agent: string;
  /** When the task finishes, the execution pauses for `POST /resume` (CrewAI's `human_input=True`, §5). */
  humanInput?: boolean;
  /** When the task finishes, the execution ends in `error` with this message. */
  fails?: string;
  /** The task's output; `{name}` placeholders are filled from the kickoff inputs. */
  output?: string;
  /** How long the task runs; defaults to the simulator's task duration. */
  durationMs?: number;
}

export type ExecutionStatusValue = 'running' | 'pending_human_input' | 'completed' | 'error';

export interface TaskProgress {
  completed_tasks: number;
  total_tasks: number;
}

export interface TaskResultBody {
  task_id: string;
  output: string;
  agent: string;
  execution_time: number;
}

/** The status bodies of `GET /status/{kickoff_id}` (§2.3, plus our paused extension, §4). */
export type StatusBody =
  | { status: 'running'; current_task: string; progress: TaskProgress }
  | { status: 'pending_human_input'; current_task: string; progress: TaskProgress }
  | {
      status: 'completed';
      result: { output: string; tasks: TaskResultBody[] };
      execution_time: number;
    }
  | { status: 'error'; error: string; execution_time: number };

export interface ResumeInput {
  executionId: string;
  taskId: string;
  humanFeedback: string;
  isApprove: boolean;
}

export type ResumeOutcome =
  | { ok: true; status: 'resumed' | 'retrying' | 'completed' }
  | { ok: false; reason: 'execution-not-found' | 'task-not-found' | 'not-pending' };

export interface CrewOptions {
  tasks: readonly CrewTask[];
  requiredInputs: readonly string[];
  /** Duration of tasks that set no `durationMs`. */
  taskDurationMs: number;
  /** Milliseconds since some origin; only differences matter. */
  now: () => number;
  /** Issues execution ids (the simulator passes crypto.randomUUID). */
  newId: () => string;
}

interface Execution {
  readonly id: string;
  readonly tasks: readonly CrewTask[];
  readonly inputs: Readonly<Record<string, string>>;
  phase: ExecutionStatusValue;
  /** Index of the task running, or paused on. Equals the number of approved/finished tasks. */
  index: number;
  /** When the current task (run) started. */
  taskStartedAt: number;
  /** Time spent running tasks, retries included; excludes time waiting for a human (our choice). */
  activeMs: number;
  /** Latest run of each finished task. */
  results: TaskResultBody[];
  /** Feedback per task id, in the order given; fed into later outputs as CrewAI feeds it as context (§5.7). */
  feedback: Map<string, string[]>;
  error: string | undefined;
}

/** Throws on a task list the state machine cannot run (a programming error, not an HTTP error). */
export function checkTasks(tasks: readonly CrewTask[]): void {
  if (tasks.length === 0) throw new Error('A crew needs at least one task');
  const seen = new Set<string>();
  for (const task of tasks) {
    if (task.id === '') throw new Error('A task id must not be empty');
    if (seen.has(task.id)) throw new Error(`Duplicate task id: ${task.id}`);
    seen.add(task.id);
    if (task.durationMs !== undefined && !(task.durationMs >= 0)) {
      throw new Error(`Task ${task.id}: durationMs must be a non-negative number`);
    }
  }
}

export class Crew {
  readonly #options: CrewOptions;
  readonly #executions = new Map<string, Execution>();

  constructor(options: CrewOptions) {
    checkTasks(options.tasks);
    if (!(options.taskDurationMs >= 0))
      throw new Error('taskDurationMs must be a non-negative number');
    this.#options = options;
  }

  get requiredInputs(): readonly string[] {
    return this.#options.requiredInputs;
  }

  /** Required input names absent from `inputs` (null counts as absent), in declaration order. */
  missingInputs(inputs: Readonly<Record<string, unknown>>): string[] {
    return this.#options.requiredInputs.filter(
      (name) => !Object.hasOwn(inputs, name) || inputs[name] === null || inputs[name] === undefined,
    );
  }

  /** Starts an execution now and returns its id. Input validation is the caller's job. */
  kickoff(inputs: Readonly<Record<string, string>>, tasks?: readonly CrewTask[]): string {
    const crewTasks = tasks ?? this.#options.tasks;
    if (tasks !== undefined) checkTasks(tasks);
    const id = this.#options.newId();
    this.#executions.set(id, {
      id,
      tasks: crewTasks.map((task) => ({ ...task })),
      inputs: { ...inputs },
      phase: 'running',
      index: 0,
      taskStartedAt: this.#options.now(),
      activeMs: 0,
      results: [],
      feedback: new Map(),
      error: undefined,
    });
    return id;
  }

  has(id: string): boolean {
    return this.#executions.has(id);
  }

  /** The status body as of now, or undefined for an unknown id. */
  status(id: string): StatusBody | undefined {
    const execution = this.#executions.get(id);
    if (execution === undefined) return undefined;
    this.#advance(execution);
    return statusBody(execution);
  }

  /**
   * Applies human feedback. Checks in the order a client can act on: unknown execution (404),
   * unknown task (404), not paused (400), paused on another task (404: CrewAI documents 404 for
   * "Execution ID or Task ID not found", §2.4, and that task is not awaiting feedback).
   * On success the execution is `running` again (or `completed`) before this returns, so a
   * status read right after the HTTP reply never sees the old paused state (§7).
   */
  resume(input: ResumeInput): ResumeOutcome {
    const execution = this.#executions.get(input.executionId);
    if (execution === undefined) return { ok: false, reason: 'execution-not-found' };
    this.#advance(execution);
    if (!execution.tasks.some((task) => task.id === input.taskId)) {
      return { ok: false, reason: 'task-not-found' };
    }
    if (execution.phase !== 'pending_human_input') return { ok: false, reason: 'not-pending' };
    const paused = execution.tasks[execution.index];
    if (paused === undefined || paused.id !== input.taskId) {
      return { ok: false, reason: 'task-not-found' };
    }

    const feedback = execution.feedback.get(paused.id) ?? [];
    feedback.push(input.humanFeedback);
    execution.feedback.set(paused.id, feedback);

    const now = this.#options.now();
    if (!input.isApprove) {
      // Rejected: the same task runs again with the feedback (§5.5) and will pause again.
      execution.results.length = execution.index;
      execution.phase = 'running';
      execution.taskStartedAt = now;
      return { ok: true, status: 'retrying' };
    }
    execution.index += 1;
    if (execution.index >= execution.tasks.length) {
      // Approving the last task finishes the run: our reading of the undocumented `completed` value (§2.4).
      execution.phase = 'completed';
      return { ok: true, status: 'completed' };
    }
    execution.phase = 'running';
    execution.taskStartedAt = now;
    return { ok: true, status: 'resumed' };
  }

  /** Runs the clock forward: finishes every task whose time is up, stopping at a pause or an end. */
  #advance(execution: Execution): void {
    const now = this.#options.now();
    while (execution.phase === 'running') {
      const task = execution.tasks[execution.index];
      if (task === undefined) {
        execution.phase = 'completed';
        return;
      }
      const duration = task.durationMs ?? this.#options.taskDurationMs;
      const endsAt = execution.taskStartedAt + duration;
      if (now < endsAt) return;
      execution.activeMs += duration;
      if (task.fails !== undefined) {
        execution.phase = 'error';
        execution.error = task.fails;
        return;
      }
      execution.results[execution.index] = {
        task_id: task.id,
        output: taskOutput(task, execution),
        agent: task.agent,
        execution_time: seconds(duration),
      };
      if (task.humanInput === true) {
        execution.phase = 'pending_human_input';
        return;
      }
      execution.index += 1;
      execution.taskStartedAt = endsAt;
      if (execution.index >= execution.tasks.length) execution.phase = 'completed';
    }
  }
}

function statusBody(execution: Execution): StatusBody {
  const progress: TaskProgress = {
    completed_tasks: execution.index,
    total_tasks: execution.tasks.length,
  };
  const executionTime = seconds(execution.activeMs);
  switch (execution.phase) {
    case 'running':
    case 'pending_human_input':
      return {
        status: execution.phase,
        current_task: execution.tasks[execution.index]?.id ?? '',
        progress,
      };
    case 'completed': {
      const tasks = execution.results.map((result) => ({ ...result }));
      // CrewAI's crew output is its last task's output (§2.3 "Final output from the crew execution").
      return {
        status: 'completed',
        result: { output: tasks.at(-1)?.output ?? '', tasks },
        execution_time: executionTime,
      };
    }
    case 'error':
      return {
        status: 'error',
        error: execution.error ?? 'Task execution failed',
        execution_time: executionTime,
      };
  }
}

function taskOutput(task: CrewTask, execution: Execution): string {
  const template = task.output ?? `${task.agent} completed ${task.id}`;
  const text = template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    Object.hasOwn(execution.inputs, name) ? (execution.inputs[name] ?? whole) : whole,
  );
  const feedback = execution.feedback.get(task.id);
  const latest = feedback?.at(-1);
  // A re-run reflects the reviewer's feedback, so a client can see the retry took effect.
  return latest === undefined ? text : `${text} (revised with feedback: ${latest})`;
}

/** Milliseconds to seconds, kept to millisecond precision. */
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
