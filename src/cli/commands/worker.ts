import { hostname } from 'node:os';
import { ArazzoError } from '../../errors.js';
import { databaseUrl, DurableEngine, DurableRuns, durableSpec } from '../../durable/index.js';
import { missingRequiredInputs } from '../../runtime/inputs.js';
import { prepareRun } from '../../runtime/prepare-run.js';
import { setOwn } from '../../runtime/own.js';
import { Redactor } from '../../report/redact.js';
import { printable } from '../../report/style.js';
import { absolute, cliHost, quietDatabaseDriver, type HostOptions } from '../durable-host.js';
import { guarded } from '../durable-run.js';
import { EXIT, type CliIo } from '../io.js';
import { runEnvironment, type EnvironmentOptions } from '../run-environment.js';
import { coerceInput, parseCount, propertySchema, splitAssignment } from '../parse-options.js';
import { readInputsFile } from './run.js';

export interface SubmitOptions extends EnvironmentOptions {
  readonly workflow?: string;
  readonly input?: readonly string[];
  readonly inputs?: string;
  readonly queue?: string;
  readonly database?: string;
}

/**
 * `arazzo submit <file>`: checks the run as `run` would (document, workflow, inputs) and
 * queues it; prints its id. Nothing secret is queued (POSITIONS §15.2): the workers give it.
 */
export async function submitCommand(
  file: string,
  options: SubmitOptions,
  io: CliIo,
  signal: AbortSignal | undefined,
): Promise<number> {
  return guarded(io, async () => {
    const url = databaseUrl(options.database, io.env);
    const path = absolute(io, file);
    const {
      scope,
      workflowId,
      inputsSchema: schema,
    } = await prepareRun(path, {
      cwd: io.cwd,
      ...(options.workflow === undefined ? {} : { workflowId: options.workflow }),
      ...(options.allowHost === undefined ? {} : { allowHosts: options.allowHost }),
      ...(signal === undefined ? {} : { signal }),
    });
    const inputs: Record<string, unknown> =
      options.inputs === undefined ? {} : await readInputsFile(options.inputs);
    for (const assignment of options.input ?? []) {
      const [name, text] = splitAssignment(assignment, '--input');
      setOwn(inputs, name, coerceInput(text, propertySchema(schema, name)));
    }
    const missing = missingRequiredInputs(schema, inputs);
    if (missing.length > 0)
      throw new ArazzoError('INPUT_MISSING', `missing required inputs: ${missing.join(', ')}`);
    const environment = await runEnvironment(scope.sources, options, io);
    if (environment.secrets.length > 0)
      io.stderr(
        'arazzo: warning: credentials and secret headers are not queued with the run: give them to the workers\n',
      );
    const spec = await durableSpec(path, scope, workflowId, inputs, schema, environment.options);
    const queue = options.queue ?? 'arazzo';
    quietDatabaseDriver();
    const runs = await DurableRuns.open(url);
    try {
      const runId = await runs.enqueue(spec, queue);
      io.stdout(`${runId}\n`);
    } finally {
      await runs.close();
    }
    return EXIT.OK;
  });
}

export interface WorkerOptions extends HostOptions {
  readonly queue?: string;
  readonly concurrency?: string;
  readonly id?: string;
  readonly database?: string;
}

/**
 * `arazzo worker`: executes the runs of a queue, `--concurrency` at a time, until SIGINT or
 * SIGTERM; one line per run that ends. Stopped, it leaves its runs in flight unfinished: a
 * worker started again with the same `--id` continues them (the engine recovers the runs of an
 * executor id when it starts).
 */
export async function workerCommand(
  options: WorkerOptions,
  io: CliIo,
  signal: AbortSignal | undefined,
): Promise<number> {
  return guarded(io, async () => {
    const url = databaseUrl(options.database, io.env);
    const concurrency = parseCount(options.concurrency ?? '8', '--concurrency');
    if (concurrency < 1) throw new ArazzoError('USAGE', '--concurrency: at least 1');
    const queue = options.queue ?? 'arazzo';
    const id = options.id ?? `worker:${hostname()}`;
    // Only what this worker was given can leak into its lines: mask it.
    const redactor = new Redactor(
      (options.input ?? []).map((assignment) => splitAssignment(assignment, '--input')[1]),
    );
    io.beforeRun?.();
    quietDatabaseDriver();
    const engine = await DurableEngine.launch({
      databaseUrl: url,
      executorId: id,
      queues: [{ name: queue, concurrency }],
      host: cliHost(options, io, signal, (runId, event) => {
        redactor.onEvent(event);
        if (event.type !== 'workflow-finished' || event.depth !== 0) return;
        const verdict = event.success
          ? 'succeeded'
          : `failed: ${event.error?.message ?? 'a step failed'}`;
        io.stdout(
          `run ${runId} ${printable(event.workflowId)} ${printable(redactor.text(verdict))}\n`,
        );
      }),
    });
    io.stderr(
      `arazzo: worker ${printable(id)} takes runs from queue ${printable(queue)} (${concurrency} at a time); stop it with Ctrl-C\n`,
    );
    await new Promise<void>((resolve) => {
      if (signal === undefined || signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    io.stderr(
      `arazzo: worker ${printable(id)} stopped; its unfinished runs continue when a worker with this id starts again\n`,
    );
    await engine.close();
    return EXIT.OK;
  });
}
