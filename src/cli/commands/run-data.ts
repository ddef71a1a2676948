import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { access, constants, mkdtemp, open, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ArazzoError, formatError } from '../../errors.js';
import { diagnosticLine } from '../../report/diagnostics/index.js';
import { commitReport, discardReport, reportTarget } from '../../report/atomic-file.js';
import { isSecretInput, MASK, Redactor } from '../../report/redact.js';
import { formatDuration, palette, printable } from '../../report/style.js';
import { openTag, xmlText } from '../../report/xml.js';
import { systemClock } from '../../runtime/clock.js';
import { setOwn } from '../../runtime/own.js';
import type { RunResult } from '../../runtime/result.js';
import { runWorkflow } from '../../runtime/run.js';
import { dataFormat, readDataRows, type DataRow } from '../data-rows.js';
import { aborted, EXIT, interrupted, useColor, type CliIo } from '../io.js';
import { parseCount, propertySchema } from '../parse-options.js';
import { prepare, prepareFailed, runWarnings, type RunCommandOptions } from './run.js';

/** Failed row numbers the human summary names (the rest are counted). */
const NAMED_FAILURES = 20;

/** What became of one row, reduced to what is reported. */
interface RowOutcome {
  readonly row: number;
  readonly success: boolean;
  readonly durationMs: number;
  readonly inputs: Record<string, unknown>;
  readonly redactor: Redactor;
  readonly result?: RunResult;
  /** Why it failed: the run's error, or the inputs refused before any request. */
  readonly error?: { readonly code: string; readonly message: string; readonly stepId?: string };
}

/**
 * `arazzo run <file> --data <rows-file>`: the selected workflow once per row of a CSV, JSON
 * Lines or JSON file, each row's inputs layered over `--inputs`/`--input` (POSITIONS §14.4),
 * up to `--concurrency` rows at a time, reported in row order. The file is read twice, both
 * times as a stream: first to check it whole (a malformed line runs nothing, exit 2), then to
 * run it. Exit 0 only when every row passed, 1 when one failed.
 */
export async function runDataCommand(
  file: string,
  options: RunCommandOptions & { readonly data: string },
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const dataPath = resolve(io.cwd, options.data);
  let concurrency: number;
  try {
    for (const [flag, given] of [
      ['--durable', options.durable === true],
      ['--har', options.har !== undefined],
      ['--html', options.html !== undefined],
      ['--verbose', options.verbose === true],
    ] as const) {
      if (given)
        throw new ArazzoError('USAGE', `--data cannot be used with ${flag} (not supported yet)`);
    }
    dataFormat(options.data);
    concurrency =
      options.concurrency === undefined ? 1 : parseCount(options.concurrency, '--concurrency');
    if (concurrency < 1) throw new ArazzoError('USAGE', '--concurrency must be at least 1');
  } catch (error) {
    return prepareFailed(error, file, options, io, signal);
  }

  let prepared;
  try {
    prepared = await prepare(file, options, io, signal, false);
  } catch (error) {
    return prepareFailed(error, file, options, io, signal);
  }
  const { scope, workflowId, inputs: common, schema, environment } = prepared;

  const junitPath = options.junit === undefined ? undefined : resolve(io.cwd, options.junit);
  try {
    if (junitPath !== undefined) await access(dirname(junitPath), constants.W_OK);
  } catch (error) {
    io.stderr(`arazzo: cannot write report: ${(error as Error).message}\n`);
    return EXIT.USAGE;
  }

  // The whole file is checked before the first request (a malformed line runs nothing).
  let total = 0;
  try {
    for await (const row of readDataRows(dataPath, options.data, schema)) total = row.row;
    if (total === 0) throw new ArazzoError('USAGE', `--data ${printable(options.data)}: no rows`);
  } catch (error) {
    return prepareFailed(error, file, options, io, signal);
  }
  if (signal?.aborted === true) return interrupted(io, signal, 'arazzo');

  for (const warning of environment.warnings) io.stderr(`arazzo: warning: ${printable(warning)}\n`);
  const color = useColor(io, options.color);
  const paint = palette(color);
  for (const d of runWarnings(prepared.checked, file, io.cwd))
    io.stderr(`${diagnosticLine(d, paint)}\n`);

  const clock = io.clock ?? systemClock();
  const runRow = async (row: DataRow): Promise<RowOutcome> => {
    // Row values over the common ones (POSITIONS §14.4).
    const inputs: Record<string, unknown> = { ...common };
    for (const [name, value] of Object.entries(row.values)) setOwn(inputs, name, value);
    const redactor = Redactor.forInputs(schema, inputs, environment.secrets);
    const started = clock.now();
    try {
      const result = await runWorkflow(scope, {
        ...environment.options,
        workflowId,
        inputs,
        clock,
        ...(signal === undefined ? {} : { signal }),
        onEvent: redactor.onEvent,
      });
      const failed = result.success ? undefined : failure(result);
      return {
        row: row.row,
        success: result.success,
        durationMs: result.durationMs,
        inputs,
        redactor,
        result,
        ...(failed === undefined ? {} : { error: failed }),
      };
    } catch (error) {
      if (!(error instanceof ArazzoError)) throw error;
      // Inputs the schema refuses (missing, wrong type): this row sends nothing and fails.
      return {
        row: row.row,
        success: false,
        durationMs: clock.now() - started,
        inputs,
        redactor,
        error: { code: error.code, message: formatError(error) },
      };
    }
  };

  const progress = new Progress(io, total, () => clock.now());
  const summary = { passed: 0, failed: 0, failedRows: [] as number[] };
  let junit: JunitCases | undefined;
  try {
    if (junitPath !== undefined) junit = await JunitCases.open();
  } catch (error) {
    io.stderr(`arazzo: cannot write report: ${(error as Error).message}\n`);
    return EXIT.USAGE;
  }
  if (options.json) io.stdout(`{\n  "workflowId": ${JSON.stringify(workflowId)},\n  "rows": [\n`);
  const report = (outcome: RowOutcome): void => {
    if (outcome.success) summary.passed += 1;
    else {
      summary.failed += 1;
      if (summary.failedRows.length < NAMED_FAILURES) summary.failedRows.push(outcome.row);
    }
    const reason = reasonOf(outcome);
    if (options.json) {
      const separator = summary.passed + summary.failed > 1 ? ',\n' : '';
      io.stdout(`${separator}    ${JSON.stringify(rowJson(outcome, schema))}`);
    } else {
      progress.clear();
      const mark = outcome.success ? paint.green('✔') : paint.red('✖');
      const time = paint.dim(formatDuration(outcome.durationMs));
      const why = reason === undefined ? '' : `  ${paint.red(printable(reason))}`;
      io.stdout(`${mark} row ${outcome.row}  ${time}${why}\n`);
    }
    junit?.add(outcome, workflowId, reason);
    progress.done(summary.passed + summary.failed, summary.failed);
  };

  const started = clock.now();
  io.beforeRun?.();
  try {
    await inRowOrder(
      readDataRows(dataPath, options.data, schema),
      concurrency,
      runRow,
      report,
      () => signal?.aborted === true,
      junit,
    );
  } catch (error) {
    progress.clear();
    await junit?.discard();
    if (options.json) io.stdout('\n  ]\n}\n');
    return prepareFailed(error, file, options, io, signal);
  }
  progress.clear();
  const durationMs = clock.now() - started;
  const count = summary.passed + summary.failed;
  if (options.json) {
    const totals = {
      rows: count,
      passed: summary.passed,
      failed: summary.failed,
      durationMs: Math.round(durationMs),
    };
    const success = summary.failed === 0 && count === total;
    io.stdout(
      `${count > 0 ? '\n' : ''}  ],\n  "summary": ${JSON.stringify(totals)},\n  "success": ${success}\n}\n`,
    );
  } else {
    const parts = [
      paint.green(`${summary.passed} passed`),
      summary.failed > 0 ? paint.red(`${summary.failed} failed`) : '0 failed',
    ];
    const rowsText = `${count} row${count === 1 ? '' : 's'}`;
    io.stdout(
      `\n${parts.join(', ')} of ${rowsText} ${paint.dim(`in ${formatDuration(durationMs)}`)}\n`,
    );
    if (summary.failed > 0) {
      const more = summary.failed > summary.failedRows.length ? ', …' : '';
      io.stdout(`failed rows: ${summary.failedRows.join(', ')}${more}\n`);
    }
  }
  if (junit !== undefined && junitPath !== undefined) {
    try {
      await junit.write(junitPath, workflowId, durationMs);
    } catch (error) {
      io.stderr(`arazzo: JUnit report ${options.junit}: ${(error as Error).message}\n`);
      return EXIT.FAILED;
    }
  }
  if (aborted(signal)) return interrupted(io, signal, 'arazzo');
  return summary.failed === 0 ? EXIT.OK : EXIT.FAILED;
}

/**
 * Runs `rows` up to `limit` at a time and reports each in row order. Rows are pulled from the
 * stream only as workers free up, and a worker waits while its row is `2 × limit` rows ahead
 * of the next one to report: the rows and results held at once are bounded by the
 * concurrency, not by the file (a 100k-row file streams through).
 */
async function inRowOrder(
  rows: AsyncGenerator<DataRow>,
  limit: number,
  run: (row: DataRow) => Promise<RowOutcome>,
  report: (outcome: RowOutcome) => void,
  stopped: () => boolean,
  junit: JunitCases | undefined,
): Promise<void> {
  const window = 2 * limit;
  const finished = new Map<number, RowOutcome>();
  let next = 1;
  let waiting: (() => void)[] = [];
  const worker = async (): Promise<void> => {
    for (;;) {
      if (stopped()) return;
      // Async generators queue concurrent next() calls: each worker gets the next row.
      const pulled = await rows.next();
      if (pulled.done === true) return;
      const row = pulled.value;
      while (row.row - next >= window) await new Promise<void>((wake) => waiting.push(wake));
      finished.set(row.row, await run(row));
      for (let outcome = finished.get(next); outcome !== undefined; outcome = finished.get(next)) {
        finished.delete(next);
        next += 1;
        report(outcome);
      }
      const woken = waiting;
      waiting = [];
      for (const wake of woken) wake();
      await junit?.drained();
    }
  };
  try {
    await Promise.all(Array.from({ length: limit }, worker));
  } finally {
    await rows.return(undefined);
  }
}

/** The failing step and its reason, from a failed run. */
function failure(result: RunResult): NonNullable<RowOutcome['error']> {
  const step = result.error?.stepId ?? result.steps.findLast((s) => !s.success)?.stepId;
  const message =
    result.error?.message ??
    result.steps.findLast((s) => !s.success)?.reasons?.[0] ??
    'the workflow failed';
  return {
    code: result.error?.code ?? 'STEP_FAILED',
    message,
    ...(step === undefined ? {} : { stepId: step }),
  };
}

/** One line: `step <id>: <reason>`, redacted. */
function reasonOf(outcome: RowOutcome): string | undefined {
  const { error } = outcome;
  if (error === undefined) return undefined;
  const message = error.message.replace(/\s*\n\s*/g, '; ');
  // "step "x" failed: …" names its step already.
  const named = error.stepId === undefined || message.includes(`"${error.stepId}"`);
  const text = named ? message : `step ${error.stepId}: ${message}`;
  return outcome.redactor.text(text);
}

/** A row's `--json` result: its inputs with secrets masked, outputs, and error. */
function rowJson(outcome: RowOutcome, schema: Parameters<typeof propertySchema>[0]): unknown {
  const inputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outcome.inputs))
    setOwn(
      inputs,
      name,
      isSecretInput(name, propertySchema(schema, name)) ? MASK : outcome.redactor.value(value),
    );
  return {
    row: outcome.row,
    success: outcome.success,
    inputs,
    outputs: outcome.redactor.value(outcome.result?.outputs ?? {}),
    durationMs: Math.round(outcome.durationMs * 1000) / 1000,
    ...(outcome.error === undefined ? {} : { error: outcome.redactor.value(outcome.error) }),
  };
}

/**
 * The progress line on a terminal's stderr (`12/100 rows, 1 failed`), rewritten in place at
 * most ten times a second; never written when stderr is not a terminal.
 */
class Progress {
  #shown = false;
  #last = -Infinity;
  constructor(
    private readonly io: CliIo,
    private readonly total: number,
    private readonly now: () => number,
  ) {}

  done(count: number, failed: number): void {
    if (this.io.stderrIsTTY !== true) return;
    const at = this.now();
    if (count < this.total && at - this.#last < 100) return;
    this.#last = at;
    this.#shown = true;
    this.io.stderr(`\r\x1b[K${count}/${this.total} rows${failed > 0 ? `, ${failed} failed` : ''}`);
  }

  clear(): void {
    if (!this.#shown) return;
    this.#shown = false;
    this.io.stderr('\r\x1b[K');
  }
}

/**
 * `--junit` for data rows: one testsuite, one testcase per row. The cases go to a temporary
 * file as rows end (a 100k-row run holds none of them), and the report is assembled from it
 * at the end, since the suite's counts come first; then renamed into place (atomic-file.ts).
 */
class JunitCases {
  #tests = 0;
  #failures = 0;
  private constructor(
    private readonly dir: string,
    private readonly stream: WriteStream,
  ) {}

  static async open(): Promise<JunitCases> {
    const dir = await mkdtemp(join(tmpdir(), 'arazzo-junit-'));
    const stream = createWriteStream(join(dir, 'cases.xml'));
    await once(stream, 'open');
    return new JunitCases(dir, stream);
  }

  add(outcome: RowOutcome, workflowId: string, reason: string | undefined): void {
    this.#tests += 1;
    const open = openTag('testcase', {
      name: `row ${outcome.row}`,
      classname: outcome.redactor.text(workflowId),
      time: (Math.max(0, outcome.durationMs) / 1000).toFixed(3),
    });
    if (outcome.success || outcome.error === undefined) {
      this.stream.write(`    ${open}/>\n`);
      return;
    }
    this.#failures += 1;
    const failure = openTag('failure', { message: reason ?? '', type: outcome.error.code });
    this.stream.write(
      `    ${open}>\n      ${failure}>${xmlText(reason ?? '')}</failure>\n    </testcase>\n`,
    );
  }

  /** Waits while the temporary file is behind (bounded memory). */
  async drained(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  async write(path: string, workflowId: string, durationMs: number): Promise<void> {
    const cases = join(this.dir, 'cases.xml');
    this.stream.end();
    await once(this.stream, 'finish');
    const target = await reportTarget(path);
    const time = (Math.max(0, durationMs) / 1000).toFixed(3);
    const counts = { tests: this.#tests, failures: this.#failures, errors: 0, time };
    const handle = await open(
      target.staging ?? target.path,
      target.staging ? 'wx' : 'w',
      target.mode,
    );
    try {
      await handle.write(
        `<?xml version="1.0" encoding="UTF-8"?>\n${openTag('testsuites', { name: 'arazzo run --data', ...counts })}>\n  ${openTag('testsuite', { name: workflowId, ...counts, skipped: 0 })}>\n`,
      );
      for await (const chunk of createReadStream(cases)) await handle.write(chunk as Buffer);
      await handle.write('  </testsuite>\n</testsuites>\n');
      if (target.staging !== undefined) await handle.sync();
    } catch (error) {
      await handle.close();
      await discardReport(target);
      throw error;
    } finally {
      await rm(this.dir, { recursive: true, force: true });
    }
    await handle.close();
    await commitReport(target);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}
