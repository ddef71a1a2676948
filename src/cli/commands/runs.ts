import { ArazzoError } from '../../errors.js';
import { databaseUrl, DurableEngine, DurableRuns } from '../../durable/index.js';
import type { DurableRunSummary } from '../../durable/index.js';
import { HumanReporter } from '../../report/human-reporter.js';
import { formatJsonReport } from '../../report/json-report.js';
import { Redactor } from '../../report/redact.js';
import { printable } from '../../report/style.js';
import { prepareRun } from '../../runtime/prepare-run.js';
import {
  aliveRunner,
  cliHost,
  quietDatabaseDriver,
  secretInputsOf,
  type HostOptions,
} from '../durable-host.js';
import { guarded } from '../durable-run.js';
import { EXIT, signalExit, useColor, type CliIo } from '../io.js';
import { runEnvironment } from '../run-environment.js';
import { parseCount } from '../parse-options.js';

interface DatabaseOptions {
  readonly database?: string;
  readonly json?: boolean;
}

async function withRuns<T>(
  options: DatabaseOptions,
  io: CliIo,
  use: (runs: DurableRuns) => Promise<T>,
): Promise<T> {
  quietDatabaseDriver();
  const runs = await DurableRuns.open(databaseUrl(options.database, io.env));
  try {
    return await use(runs);
  } finally {
    await runs.close();
  }
}

/** `arazzo runs`: one line per run, most recent first. */
export function listRuns(
  options: DatabaseOptions & { limit?: string },
  io: CliIo,
): Promise<number> {
  return guarded(io, async () => {
    const limit = parseCount(options.limit ?? '50', '--limit');
    const list = await withRuns(options, io, (runs) => runs.list(limit));
    if (options.json === true) {
      io.stdout(`${JSON.stringify({ runs: list }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (list.length === 0) {
      io.stdout('no durable runs\n');
      return EXIT.OK;
    }
    const rows = list.map((run) => [
      run.runId,
      printable(run.workflowId ?? '?'),
      run.status,
      time(run.startedAt),
      run.updatedAt === undefined ? '' : time(run.updatedAt),
    ]);
    io.stdout(table([['RUN', 'WORKFLOW', 'STATUS', 'STARTED', 'UPDATED'], ...rows]));
    return EXIT.OK;
  });
}

/** `arazzo runs show <id>`: the run, its checkpoints so far, and its result once it ended. */
export function showRun(id: string, options: DatabaseOptions, io: CliIo): Promise<number> {
  return guarded(io, async () => {
    const run = await withRuns(options, io, (runs) => runs.show(id));
    if (options.json === true) {
      const { spec, ...shown } = run;
      io.stdout(
        `${JSON.stringify({ ...shown, ...(spec === undefined ? {} : { inputs: spec.inputs }) }, null, 2)}\n`,
      );
      return EXIT.OK;
    }
    const lines = [
      `run ${run.runId}: ${printable(run.workflowId ?? '?')} ${run.status}`,
      `  document  ${printable(run.file ?? '?')}`,
      `  started   ${time(run.startedAt)}${run.updatedAt === undefined ? '' : `, updated ${time(run.updatedAt)}`}`,
      ...(run.executor === undefined ? [] : [`  executor  ${printable(run.executor)}`]),
      ...(run.queue === undefined ? [] : [`  queue     ${printable(run.queue)}`]),
      ...(run.error === undefined ? [] : [`  error     ${printable(run.error)}`]),
      `  checkpoints (${run.checkpoints.length}):`,
      ...run.checkpoints.map(
        (c) =>
          `    ${printable(c.name)}${c.statusCode === undefined ? '' : ` → ${c.statusCode}`}${c.error === undefined ? '' : ` → ${printable(c.error)}`}`,
      ),
    ];
    if (run.currentStep !== undefined)
      lines.push(
        `  unfinished after ${printable(run.currentStep)}: the exchange in flight when its process stopped, if any, is sent again on resume`,
      );
    if (run.result !== undefined) {
      lines.push('  outputs:');
      for (const [name, value] of Object.entries(run.result.outputs))
        lines.push(`    ${printable(name)}: ${printable(JSON.stringify(value) ?? 'null')}`);
    }
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT.OK;
  });
}

/** `arazzo runs cancel <id>`. */
export function cancelRun(id: string, options: DatabaseOptions, io: CliIo): Promise<number> {
  return guarded(io, async () => {
    await withRuns(options, io, (runs) => runs.cancel(id));
    io.stdout(`cancelled run ${id} (it stops at its next checkpoint)\n`);
    return EXIT.OK;
  });
}

/**
 * `arazzo runs resume <id>`: continues an unfinished run in this process and reports it as
 * `run` does (its replayed steps included). The secret inputs and credentials come from this
 * command's options: what is missing is named before anything is resumed.
 */
export function resumeRun(
  id: string,
  options: DatabaseOptions & HostOptions & { force?: boolean; color?: boolean },
  io: CliIo,
  signal: AbortSignal | undefined,
): Promise<number> {
  return guarded(io, async () => {
    const url = databaseUrl(options.database, io.env);
    const { spec, status, executor } = await withRuns(options, io, (runs) => runs.spec(id));
    if (status === 'succeeded' || status === 'failed')
      throw new ArazzoError('USAGE', `run ${id} has ended (${status}): there is nothing to resume`);
    const pid = aliveRunner(executor);
    if (status === 'running' && pid !== undefined && options.force !== true)
      throw new ArazzoError(
        'USAGE',
        `run ${id} is still running in process ${pid} of this machine; stop it first, or give --force`,
      );
    // What the run needs of this process, checked before it is resumed.
    const { scope, inputsSchema: schema } = await prepareRun(spec.file, {
      cwd: io.cwd,
      workflowId: spec.workflowId,
    });
    const secretInputs = secretInputsOf(options, spec, schema);
    const environment = await runEnvironment(scope.sources, options, io);
    const redactor = Redactor.forInputs(
      schema,
      { ...spec.inputs, ...secretInputs },
      environment.secrets,
    );
    const reporter =
      options.json === true
        ? undefined
        : new HumanReporter({
            write: io.stdout,
            redactor,
            live: io.stdoutIsTTY,
            color: useColor(io, options.color),
            verbose: false,
          });
    io.beforeRun?.();
    quietDatabaseDriver();
    const engine = await DurableEngine.launch({
      databaseUrl: url,
      executorId: `resume:${id}`,
      resumes: true,
      host: cliHost(options, io, signal, (_runId, event) => {
        redactor.onEvent(event);
        reporter?.onEvent(event);
      }),
    });
    try {
      io.stderr(`arazzo: resuming durable run ${id}\n`);
      await engine.resume(id);
      const stopped = new Promise<'stopped'>((resolve) =>
        signal?.addEventListener('abort', () => resolve('stopped'), { once: true }),
      );
      const result = await Promise.race([engine.result(id), stopped]);
      if (result === 'stopped') {
        io.stderr(`arazzo: interrupted; durable run ${id} is still unfinished\n`);
        return signalExit(signal);
      }
      if (options.json === true) io.stdout(formatJsonReport(result, redactor, [], id));
      else reporter?.finish(result);
      return result.success ? EXIT.OK : EXIT.FAILED;
    } finally {
      await engine.close();
    }
  });
}

function time(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d+Z$/, 'Z');
}

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((r) => r[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

export type { DurableRunSummary };
