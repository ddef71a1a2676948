import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { JsonSchema } from '../../document/types.js';
import { ArazzoError, formatError } from '../../errors.js';
import { formatHtmlReport, htmlRun, TimelineCollector } from '../../report/html/index.js';
import type { HtmlRun } from '../../report/html/index.js';
import { jsonReport } from '../../report/json-report.js';
import { formatJunitRuns, type JunitRun } from '../../report/junit.js';
import { Redactor } from '../../report/redact.js';
import { writeReportFile } from '../../report/atomic-file.js';
import { formatDuration, palette, printable } from '../../report/style.js';
import { systemClock } from '../../runtime/clock.js';
import { diagnosticsForWorkflow } from '../../runtime/diagnostics-for-workflow.js';
import { inputsSchema, missingRequiredInputs } from '../../runtime/inputs.js';
import { setOwn } from '../../runtime/own.js';
import { prepareDocument, type PreparedDocument } from '../../runtime/prepare-run.js';
import type { RunResult } from '../../runtime/result.js';
import { runWorkflow } from '../../runtime/run.js';
import { findDocuments, workflowMatcher } from '../find-documents.js';
import { aborted, EXIT, interrupted, useColor, type CliIo } from '../io.js';
import { coerceInput, parseCount, propertySchema, splitAssignment } from '../parse-options.js';
import {
  runEnvironment,
  type EnvironmentOptions,
  type RunEnvironment,
} from '../run-environment.js';
import { readInputsFile } from './run.js';

export interface TestCommandOptions extends EnvironmentOptions {
  readonly workflow?: readonly string[];
  readonly input?: readonly string[];
  readonly inputs?: string;
  readonly skipMissingInputs?: boolean;
  readonly concurrency?: string;
  readonly json?: boolean;
  readonly junit?: string;
  readonly html?: string;
  readonly color?: boolean;
}

/** One workflow `arazzo test` selected, and what became of it. */
interface Case {
  readonly file: string;
  readonly workflowId: string;
  readonly document: PreparedDocument;
  readonly index: number;
  readonly schema: JsonSchema | undefined;
  readonly inputs: Record<string, unknown>;
  readonly environment: RunEnvironment;
  readonly dependsOn: readonly string[];
  /** Set before the run: why it is not run (an invalid workflow fails, missing inputs do not run). */
  verdict?: { readonly status: 'failed' | 'not-run'; readonly reason: string };
  result?: RunResult;
  redactor?: Redactor;
  html?: HtmlRun;
}

/**
 * `arazzo test <files or folders…>`: every workflow of every Arazzo document found, each run
 * once as `arazzo run` would run it (same environment options), independent workflows up to
 * `--concurrency` at a time, a workflow after the workflows of its document it `dependsOn`
 * (POSITIONS §14). One line per workflow as it ends, a summary, and the reports. Exit 0 only
 * when every selected workflow passed (a workflow not run for missing inputs fails the run
 * unless `--skip-missing-inputs`).
 */
export async function testCommand(
  paths: readonly string[],
  options: TestCommandOptions,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const paint = palette(useColor(io, options.color));
  let cases: Case[];
  let concurrency: number;
  try {
    concurrency =
      options.concurrency === undefined ? 4 : parseCount(options.concurrency, '--concurrency');
    if (concurrency < 1) throw new ArazzoError('USAGE', '--concurrency must be at least 1');
    cases = await plan(paths, options, io, signal);
  } catch (error) {
    if (!(error instanceof ArazzoError)) throw error;
    io.stderr(`arazzo test: ${printable(formatError(error)).split('\n', 1)[0] ?? ''}\n`);
    return EXIT.USAGE;
  }
  // Report files are checked before the runs, so a typo in a path costs no requests.
  try {
    for (const path of [options.junit, options.html])
      if (path !== undefined) await access(dirname(resolve(io.cwd, path)), constants.W_OK);
  } catch (error) {
    io.stderr(`arazzo test: cannot write report: ${(error as Error).message}\n`);
    return EXIT.USAGE;
  }
  if (aborted(signal)) return interrupted(io, signal, 'arazzo test');

  const clock = io.clock ?? systemClock();
  const started = clock.now();
  const say = (c: Case): void => {
    if (options.json) return;
    const where = paint.dim(printable(c.file));
    if (c.verdict?.status === 'not-run') {
      io.stdout(
        `${paint.yellow('–')} ${printable(c.workflowId)}  ${where}  ${paint.dim(`not run: ${printable(c.verdict.reason)}`)}\n`,
      );
      return;
    }
    const ok = c.result?.success === true;
    const time =
      c.result === undefined ? '' : `  ${paint.dim(formatDuration(c.result.durationMs))}`;
    io.stdout(
      `${ok ? paint.green('✔') : paint.red('✖')} ${printable(c.workflowId)}  ${where}${time}\n`,
    );
    if (ok) return;
    const reason = c.verdict?.reason ?? c.result?.error?.message ?? 'the workflow failed';
    io.stdout(`    ${paint.red(printable(c.redactor?.text(reason) ?? reason))}\n`);
  };
  for (const c of cases) if (c.verdict !== undefined) say(c);
  await runAll(
    cases.filter((c) => c.verdict === undefined),
    concurrency,
    async (c) => {
      await runCase(c, clock, options.html !== undefined, signal);
      say(c);
    },
  );
  if (aborted(signal)) return interrupted(io, signal, 'arazzo test');

  const passed = cases.filter((c) => c.result?.success === true && c.verdict === undefined);
  const notRun = cases.filter((c) => c.verdict?.status === 'not-run');
  const failed = cases.length - passed.length - notRun.length;
  const durationMs = clock.now() - started;
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        {
          success: failed === 0 && (notRun.length === 0 || options.skipMissingInputs === true),
          summary: {
            passed: passed.length,
            failed,
            notRun: notRun.length,
            durationMs: Math.round(durationMs),
          },
          workflows: cases.map((c) => ({
            file: c.file,
            workflowId: c.workflowId,
            status: c.verdict?.status ?? (c.result?.success === true ? 'passed' : 'failed'),
            ...(c.verdict === undefined ? {} : { reason: c.verdict.reason }),
            ...(c.result === undefined || c.redactor === undefined
              ? {}
              : { result: jsonReport(c.result, c.redactor) }),
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const parts = [
      paint.green(`${passed.length} passed`),
      failed > 0 ? paint.red(`${failed} failed`) : `${failed} failed`,
      `${notRun.length} not run`,
    ];
    io.stdout(`\n${parts.join(', ')} ${paint.dim(`in ${formatDuration(durationMs)}`)}\n`);
  }
  if (!(await writeReports(cases, options, io))) return EXIT.FAILED;
  if (failed > 0) return EXIT.FAILED;
  return notRun.length > 0 && options.skipMissingInputs !== true ? EXIT.FAILED : EXIT.OK;
}

async function plan(
  paths: readonly string[],
  options: TestCommandOptions,
  io: CliIo,
  signal: AbortSignal | undefined,
): Promise<Case[]> {
  const files = await findDocuments(paths, io.cwd);
  if (files.length === 0)
    throw new ArazzoError('USAGE', `no Arazzo documents (*.arazzo.yaml, …) in ${paths.join(', ')}`);
  const documents: { file: string; prepared: PreparedDocument }[] = [];
  for (const file of files) {
    documents.push({
      file,
      prepared: await prepareDocument(file, {
        cwd: io.cwd,
        ...(options.allowHost === undefined ? {} : { allowHosts: options.allowHost }),
        ...(signal === undefined ? {} : { signal }),
      }),
    });
  }
  const selected = workflowMatcher(options.workflow ?? []);
  const allIds = new Set(
    documents.flatMap(({ prepared }) =>
      prepared.loaded.document.workflows.map((workflow) => workflow.workflowId),
    ),
  );
  const fromFile = options.inputs === undefined ? {} : await readInputsFile(options.inputs);
  // An --inputs object whose every key is a workflowId gives each workflow its own inputs;
  // any other object applies to every workflow (POSITIONS §14.2).
  const keyed =
    Object.keys(fromFile).length > 0 && Object.keys(fromFile).every((key) => allIds.has(key));
  const sourceNames = new Set(
    documents.flatMap(({ prepared }) => [...prepared.scope.sources.keys()]),
  );
  const cases: Case[] = [];
  for (const { file, prepared } of documents) {
    const environment = await runEnvironment(prepared.scope.sources, options, io, (name) =>
      sourceNames.has(name),
    );
    prepared.loaded.document.workflows.forEach((workflow, index) => {
      const workflowId = workflow.workflowId;
      if (!selected(workflowId)) return;
      const schema = inputsSchema(prepared.scope, index);
      const declared = (name: string): boolean =>
        propertySchema(schema, name) !== undefined || !hasProperties(schema);
      const inputs: Record<string, unknown> = {};
      const base = keyed ? fromFile[workflowId] : fromFile;
      if (typeof base === 'object' && base !== null && !Array.isArray(base))
        for (const [name, value] of Object.entries(base))
          if (declared(name)) setOwn(inputs, name, value);
      for (const assignment of options.input ?? []) {
        const [name, text] = splitAssignment(assignment, '--input');
        if (declared(name)) setOwn(inputs, name, coerceInput(text, propertySchema(schema, name)));
      }
      const errors = diagnosticsForWorkflow(
        prepared.loaded.document,
        workflowId,
        prepared.diagnostics,
      ).filter((d) => d.severity === 'error');
      const missing = missingRequiredInputs(schema, inputs);
      const dependsOn = (workflow.dependsOn ?? []).filter(
        (entry): entry is string => typeof entry === 'string' && !entry.startsWith('$'),
      );
      cases.push({
        file,
        workflowId,
        document: prepared,
        index,
        schema,
        inputs,
        environment,
        dependsOn,
        ...(errors.length > 0
          ? {
              verdict: {
                status: 'failed',
                reason: `invalid: ${errors[0]?.message ?? ''} (arazzo validate ${file})`,
              },
            }
          : missing.length > 0
            ? { verdict: { status: 'not-run', reason: `missing inputs ${missing.join(', ')}` } }
            : {}),
      });
    });
  }
  if (cases.length === 0)
    throw new ArazzoError(
      'USAGE',
      `no workflow matches --workflow ${(options.workflow ?? []).join(', ')}`,
    );
  return cases;
}

async function runCase(
  c: Case,
  clock: ReturnType<typeof systemClock>,
  html: boolean,
  signal: AbortSignal | undefined,
): Promise<void> {
  const redactor = Redactor.forInputs(c.schema, c.inputs, c.environment.secrets);
  c.redactor = redactor;
  const timeline = html ? new TimelineCollector(redactor, () => clock.now()) : undefined;
  try {
    c.result = await runWorkflow(c.document.scope, {
      ...c.environment.options,
      workflowId: c.workflowId,
      inputs: c.inputs,
      clock,
      ...(signal === undefined ? {} : { signal }),
      onEvent: (event) => {
        redactor.onEvent(event);
        timeline?.onEvent(event);
      },
    });
    if (timeline !== undefined)
      c.html = htmlRun(c.workflowId, c.result, timeline.timeline(), c.document.scope, redactor);
  } catch (error) {
    if (!(error instanceof ArazzoError)) throw error;
    // Inputs the schema refuses: nothing was sent; the workflow fails with the reason.
    c.verdict = { status: 'failed', reason: redactor.text(formatError(error)) };
  }
}

/**
 * Runs `cases` up to `limit` at a time; a case waits for the cases of its document it depends
 * on (1.0 §Workflow Object `dependsOn`) to end, whatever their outcome (the run of a dependent
 * workflow runs its dependencies again and fails if they fail).
 */
async function runAll(
  cases: readonly Case[],
  limit: number,
  run: (c: Case) => Promise<void>,
): Promise<void> {
  const pending = [...cases];
  const finished = new Set<Case>();
  let active = 0;
  await new Promise<void>((resolveAll, rejectAll) => {
    const next = (): void => {
      if (pending.length === 0 && active === 0) return resolveAll();
      while (active < limit && pending.length > 0) {
        // The first case whose dependencies have ended; else the first (a cycle: validate says so).
        const at = pending.findIndex((c) => depsOf(c, cases).every((d) => finished.has(d)));
        if (at < 0 && active > 0) return;
        const [c] = pending.splice(Math.max(at, 0), 1);
        if (c === undefined) return;
        active += 1;
        run(c).then(() => {
          finished.add(c);
          active -= 1;
          next();
        }, rejectAll);
      }
    };
    next();
  });
}

function depsOf(c: Case, cases: readonly Case[]): Case[] {
  return cases.filter((other) => other.file === c.file && c.dependsOn.includes(other.workflowId));
}

async function writeReports(
  cases: readonly Case[],
  options: TestCommandOptions,
  io: CliIo,
): Promise<boolean> {
  let ok = true;
  const write = async (
    flag: string,
    path: string | undefined,
    text: () => string,
  ): Promise<void> => {
    if (path === undefined) return;
    try {
      await writeReportFile(resolve(io.cwd, path), text());
    } catch (error) {
      io.stderr(`arazzo test: ${flag} ${path}: ${(error as Error).message}\n`);
      ok = false;
    }
  };
  const fallback = new Redactor([]);
  await write('--junit', options.junit, () =>
    formatJunitRuns(
      cases.map((c): JunitRun =>
        c.result !== undefined && c.redactor !== undefined
          ? { result: c.result, redactor: c.redactor }
          : {
              workflowId: c.workflowId,
              notRun: c.verdict?.reason ?? 'not run',
              redactor: c.redactor ?? fallback,
            },
      ),
      { name: 'arazzo test' },
    ),
  );
  await write('--html', options.html, () =>
    formatHtmlReport({
      title: 'arazzo test',
      runs: cases.flatMap((c) => (c.html === undefined ? [] : [c.html])),
    }),
  );
  return ok;
}

function hasProperties(schema: JsonSchema | undefined): boolean {
  return typeof schema === 'object' && schema !== null && typeof schema['properties'] === 'object';
}
