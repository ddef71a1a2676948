import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ArazzoError, formatError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { parseSourceText } from '../../document/source-text.js';
import { readTextFile } from '../../document/read-text.js';
import { diagnosticLine, formatResults } from '../../report/diagnostics/index.js';
import { missingRequiredInputs } from '../../runtime/inputs.js';
import { prepareRun, WorkflowInvalidError } from '../../runtime/prepare-run.js';
import { setOwn } from '../../runtime/own.js';
import type { JsonSchema } from '../../document/types.js';
import { runWorkflow } from '../../runtime/run.js';
import { HumanReporter } from '../../report/human-reporter.js';
import { formatJsonReport } from '../../report/json-report.js';
import { writeReportFile } from '../../report/atomic-file.js';
import { HarWriter } from '../../report/har-writer.js';
import { formatJunit } from '../../report/junit.js';
import { formatHtmlReport, htmlRun, TimelineCollector } from '../../report/html/index.js';
import { systemClock } from '../../runtime/clock.js';
import { palette, printable } from '../../report/style.js';
import type { Diagnostic } from '../../validate/diagnostic.js';
import type { RunListener } from '../../runtime/events.js';
import { isSecretInput, Redactor } from '../../report/redact.js';
import { runEnvironment, type EnvironmentOptions } from '../run-environment.js';
import { asUsage, databaseFailed, runDurably } from '../durable-run.js';
import { EXIT, interrupted, signalExit, useColor, type CliIo } from '../io.js';
import { coerceInput, propertySchema, splitAssignment } from '../parse-options.js';

export interface RunCommandOptions extends EnvironmentOptions {
  readonly workflow?: string;
  readonly input?: readonly string[];
  readonly inputs?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly junit?: string;
  readonly har?: string;
  readonly html?: string;
  readonly color?: boolean;
  readonly durable?: boolean;
  readonly database?: string;
  /** `--data <rows-file>`: run once per row (run-data.ts). */
  readonly data?: string;
  readonly concurrency?: string;
}

/**
 * `arazzo run <file>`: load, check, run one workflow, report. Returns the exit code (README
 * "Exit codes"); a user mistake is one line on stderr and exit 2, with no request sent.
 */
export async function runCommand(
  file: string,
  options: RunCommandOptions,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  let prepared;
  try {
    prepared = await prepare(file, options, io, signal);
  } catch (error) {
    return prepareFailed(error, file, options, io, signal);
  }
  if (signal?.aborted === true) return interrupted(io, signal, 'arazzo');
  const { scope, workflowId, inputs, schema, environment } = prepared;
  for (const warning of environment.warnings) io.stderr(`arazzo: warning: ${printable(warning)}\n`);
  const redactor = Redactor.forInputs(schema, inputs, environment.secrets);
  const color = useColor(io, options.color);
  const reporter = options.json
    ? undefined
    : new HumanReporter({
        write: io.stdout,
        redactor,
        live: io.stdoutIsTTY,
        color,
        verbose: options.verbose === true,
      });
  // Report files are checked before the run, so a typo in a path costs no requests.
  const junitPath = options.junit === undefined ? undefined : resolve(io.cwd, options.junit);
  const htmlPath = options.html === undefined ? undefined : resolve(io.cwd, options.html);
  let har: HarWriter | undefined;
  try {
    if (junitPath !== undefined) await access(dirname(junitPath), constants.W_OK);
    if (htmlPath !== undefined) await access(dirname(htmlPath), constants.W_OK);
    if (options.har !== undefined)
      har = await HarWriter.open(resolve(io.cwd, options.har), redactor, CREATOR);
  } catch (error) {
    io.stderr(`arazzo: cannot write report: ${(error as Error).message}\n`);
    return EXIT.USAGE;
  }
  // validate's warnings for this workflow, one line each as validate heads them, on stderr (so
  // --json stdout stays one object, which lists them too). Said when the workflow starts, before
  // the reporter's first line: inputs that are refused stay a one-line error.
  const diagnostics = runWarnings(prepared.checked, file, io.cwd);
  const paint = palette(color);
  let warned = false;
  const sayWarnings: RunListener = (event) => {
    if (warned || event.type !== 'workflow-started') return;
    warned = true;
    for (const d of diagnostics) io.stderr(`${diagnosticLine(d, paint)}\n`);
  };
  // The redactor first: it learns the credentials the run obtains before anyone prints them.
  const clock = io.clock ?? systemClock();
  const timeline =
    htmlPath === undefined ? undefined : new TimelineCollector(redactor, () => clock.now());
  const listeners = [
    redactor.onEvent,
    sayWarnings,
    reporter?.onEvent,
    har?.onEvent,
    timeline?.onEvent,
  ].filter((l): l is RunListener => l !== undefined);

  let result;
  let runId: string | undefined;
  const onEvent: RunListener = (event) => listeners.forEach((listener) => listener(event));
  io.beforeRun?.();
  try {
    if (options.durable === true) {
      const durable = await runDurably(
        {
          file,
          scope,
          workflowId,
          inputs,
          schema,
          options: { ...environment.options, clock },
          secrets: environment.secrets,
          database: options.database,
          onEvent,
        },
        io,
        signal,
      );
      runId = durable.runId;
      if ('interrupted' in durable) return signalExit(signal);
      result = durable.result;
    } else {
      result = await runWorkflow(scope, {
        ...environment.options,
        workflowId,
        inputs,
        ...(signal === undefined ? {} : { signal }),
        clock,
        onEvent,
      });
    }
  } catch (thrown) {
    const error = asUsage(thrown);
    if (error instanceof ArazzoError) {
      // The runtime names what is missing; how to give it is the CLI's to say.
      const hint = error.code === 'INPUT_MISSING' ? ' (pass --input name=value)' : '';
      io.stderr(`arazzo: ${printable(redactor.text(formatError(error)))}${hint}\n`);
      return databaseFailed(error) ? EXIT.FAILED : EXIT.USAGE;
    }
    throw error;
  } finally {
    await har
      ?.close()
      .catch((error: unknown) =>
        io.stderr(`arazzo: HAR report ${options.har}: ${(error as Error).message}\n`),
      );
  }
  if (options.json) io.stdout(formatJsonReport(result, redactor, diagnostics, runId));
  else reporter?.finish(result);
  if (junitPath !== undefined) {
    try {
      await writeReportFile(junitPath, formatJunit(result, redactor));
    } catch (error) {
      io.stderr(`arazzo: JUnit report ${options.junit}: ${(error as Error).message}\n`);
      return EXIT.FAILED;
    }
  }
  if (htmlPath !== undefined && timeline !== undefined) {
    const page = formatHtmlReport({
      title: `${result.workflowId} · ${printable(file)}`,
      runs: [htmlRun(result.workflowId, result, timeline.timeline(), scope, redactor)],
    });
    try {
      await writeReportFile(htmlPath, page);
    } catch (error) {
      io.stderr(`arazzo: HTML report ${options.html}: ${(error as Error).message}\n`);
      return EXIT.FAILED;
    }
  }
  if (result.error?.code === 'ABORTED') return signalExit(signal);
  return result.success ? EXIT.OK : EXIT.FAILED;
}

const CREATOR = { name: 'arazzo', version: VERSION };

/** A document or inputs refused before any request (`run`, `run --data`): the exit code. */
export function prepareFailed(
  error: unknown,
  file: string,
  options: { readonly color?: boolean },
  io: CliIo,
  signal: AbortSignal | undefined,
): number {
  // Interrupted while loading (sources, prompts): what failed then is not the user's mistake.
  if (signal?.aborted === true) return interrupted(io, signal, 'arazzo');
  if (error instanceof WorkflowInvalidError) {
    const { document } = error;
    const diagnostics = asWritten(error.diagnostics, file, io.cwd);
    const color = useColor(io, options.color);
    const report = formatResults([{ valid: false, diagnostics, document }], 'human', {
      color,
    });
    io.stderr(`${report.trimEnd()}\narazzo: ${error.message}\n`);
    return EXIT.USAGE;
  }
  if (error instanceof ArazzoError) {
    io.stderr(`arazzo: ${printable(formatError(error))}\n`);
    return EXIT.USAGE;
  }
  throw error;
}

/** validate's warnings for the workflow `run` says before it starts, as validate heads them. */
export function runWarnings(
  checked: readonly Diagnostic[],
  file: string,
  cwd: string,
): Diagnostic[] {
  return asWritten(
    checked.filter((d) => !DOCUMENTATION_ONLY.has(d.code)),
    file,
    cwd,
  );
}

/**
 * Warnings about what the document says to its readers, which the runner never reads
 * (descriptions, summaries, titles): `validate` reports them; `run` does not repeat them before
 * every run.
 */
const DOCUMENTATION_ONLY: ReadonlySet<string> = new Set([
  'description-missing',
  'markdown-script-tag',
]);

/**
 * Diagnostics as `validate` prints them: the file as the user wrote it (prepareRun reads it by
 * its absolute path), text from the document made safe for a terminal.
 */
function asWritten(diagnostics: readonly Diagnostic[], file: string, cwd: string): Diagnostic[] {
  const absolute = resolve(cwd, file);
  return diagnostics.map((d) => ({
    ...d,
    file: printable(file),
    message: printable(d.message.replaceAll(absolute, file)),
  }));
}

/**
 * The document checked, the workflow selected, the inputs given and the environment read.
 * `prompt: false` (`--data`: the rows give the rest) asks for no missing input.
 */
export async function prepare(
  file: string,
  options: RunCommandOptions,
  io: CliIo,
  signal: AbortSignal | undefined,
  prompt = true,
) {
  // The same checks as `arazzo validate`, before any request: a workflow with errors is refused.
  const {
    scope,
    workflowId,
    inputsSchema: schema,
    warnings: checked,
  } = await prepareRun(file, {
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

  if (prompt) await promptForMissing(schema, inputs, io);

  const environment = await runEnvironment(scope.sources, options, io);
  return { scope, workflowId, inputs, schema, environment, checked };
}

/**
 * On an interactive terminal, asks for each required input that was not given (hidden for
 * secrets). Without a terminal nothing is asked: the inputs check then names what is missing.
 */
async function promptForMissing(
  schema: JsonSchema | undefined,
  inputs: Record<string, unknown>,
  io: CliIo,
): Promise<void> {
  const missing = missingRequiredInputs(schema, inputs);
  if (missing.length === 0 || !io.stdinIsTTY || !io.prompt) return;
  for (const name of missing) {
    const property = propertySchema(schema, name) as
      { type?: unknown; description?: unknown } | undefined;
    const hidden = isSecretInput(name, property);
    const hint = typeof property?.description === 'string' ? ` (${property.description})` : '';
    let answer: string;
    try {
      answer = await io.prompt(`${name}${hint}: `, hidden);
    } catch {
      return; // stdin closed: stop asking, the inputs check names what is missing
    }
    setOwn(inputs, name, coerceInput(answer, property));
  }
}

export async function readInputsFile(path: string): Promise<Record<string, unknown>> {
  const { data } = parseSourceText(await readTextFile(path), path);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ArazzoError('USAGE', `--inputs ${path}: expected a mapping of input names to values`);
  }
  return { ...(data as Record<string, unknown>) };
}
