import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ArazzoError, formatError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { displayUrl } from '../../messaging/display-url.js';
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
import { palette, printable } from '../../report/style.js';
import type { Diagnostic } from '../../validate/types.js';
import type { RunListener } from '../../runtime/events.js';
import { isSecretHeader, isSecretInput, Redactor } from '../../report/redact.js';
import {
  bareCredentialWarnings,
  credentialSecrets,
  credentialsFromEnv,
  parseAuthOptions,
  readCredentialsFile,
} from '../../http/auth/credentials.js';
import { listSecuritySchemes } from '../../http/auth/security-schemes.js';
import { parseHeaderOptions } from '../../http/header-option.js';
import { EXIT, interrupted, signalExit, useColor, type CliIo } from '../io.js';
import {
  coerceInput,
  parseCount,
  parseDuration,
  parseSize,
  propertySchema,
  splitAssignment,
} from '../parse-options.js';

export interface RunCommandOptions {
  readonly workflow?: string;
  readonly input?: readonly string[];
  readonly inputs?: string;
  readonly server?: readonly string[];
  readonly serverVar?: readonly string[];
  readonly maxSteps?: string;
  readonly timeout?: string;
  readonly requestTimeout?: string;
  readonly conditionTimeout?: string;
  readonly pollInterval?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly junit?: string;
  readonly har?: string;
  readonly auth?: readonly string[];
  readonly authFile?: string;
  readonly header?: readonly string[];
  readonly checkResponses?: boolean;
  readonly allowHost?: readonly string[];
  readonly maxResponseSize?: string;
  readonly strict?: boolean;
  readonly color?: boolean;
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
  if (signal?.aborted === true) return interrupted(io, signal, 'arazzo');
  for (const warning of prepared.warnings) io.stderr(`arazzo: warning: ${printable(warning)}\n`);
  const {
    scope,
    workflowId,
    inputs,
    schema,
    servers,
    serverVariables,
    limits,
    credentials,
    headers,
  } = prepared;
  const redactor = Redactor.forInputs(schema, inputs, [
    ...credentialSecrets(credentials),
    ...Object.entries(headers).flatMap(([name, value]) => (isSecretHeader(name) ? [value] : [])),
    ...Object.values(servers).flatMap(userInfoSecrets),
  ]);
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
  let har: HarWriter | undefined;
  try {
    if (junitPath !== undefined) await access(dirname(junitPath), constants.W_OK);
    if (options.har !== undefined)
      har = await HarWriter.open(resolve(io.cwd, options.har), redactor, CREATOR);
  } catch (error) {
    io.stderr(`arazzo: cannot write report: ${(error as Error).message}\n`);
    return EXIT.USAGE;
  }
  // validate's warnings for this workflow, one line each as validate heads them, on stderr (so
  // --json stdout stays one object, which lists them too). Said when the workflow starts, before
  // the reporter's first line: inputs that are refused stay a one-line error.
  const diagnostics = asWritten(
    prepared.checked.filter((d) => !DOCUMENTATION_ONLY.has(d.code)),
    file,
    io.cwd,
  );
  const paint = palette(color);
  let warned = false;
  const sayWarnings: RunListener = (event) => {
    if (warned || event.type !== 'workflow-started') return;
    warned = true;
    for (const d of diagnostics) io.stderr(`${diagnosticLine(d, paint)}\n`);
  };
  // The redactor first: it learns the credentials the run obtains before anyone prints them.
  const listeners = [redactor.onEvent, sayWarnings, reporter?.onEvent, har?.onEvent].filter(
    (l): l is RunListener => l !== undefined,
  );

  let result;
  io.beforeRun?.();
  try {
    result = await runWorkflow(scope, {
      workflowId,
      inputs,
      servers,
      serverVariables,
      credentials,
      headers,
      checkResponses: options.checkResponses === true,
      ...(options.allowHost === undefined ? {} : { allowHosts: options.allowHost }),
      strictResponses: options.strict === true,
      ...limits,
      ...(signal === undefined ? {} : { signal }),
      ...(io.clock === undefined ? {} : { clock: io.clock }),
      onEvent: (event) => listeners.forEach((listener) => listener(event)),
    });
  } catch (error) {
    if (error instanceof ArazzoError) {
      io.stderr(`arazzo: ${printable(redactor.text(formatError(error)))}\n`);
      return EXIT.USAGE;
    }
    throw error;
  } finally {
    await har
      ?.close()
      .catch((error: unknown) =>
        io.stderr(`arazzo: HAR report ${options.har}: ${(error as Error).message}\n`),
      );
  }
  if (options.json) io.stdout(formatJsonReport(result, redactor, diagnostics));
  else reporter?.finish(result);
  if (junitPath !== undefined) {
    try {
      await writeReportFile(junitPath, formatJunit(result, redactor));
    } catch (error) {
      io.stderr(`arazzo: JUnit report ${options.junit}: ${(error as Error).message}\n`);
      return EXIT.FAILED;
    }
  }
  if (result.error?.code === 'ABORTED') return signalExit(signal);
  return result.success ? EXIT.OK : EXIT.FAILED;
}

const CREATOR = { name: 'arazzo', version: VERSION };

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

async function prepare(
  file: string,
  options: RunCommandOptions,
  io: CliIo,
  signal: AbortSignal | undefined,
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
  const { sources } = scope;

  const inputs: Record<string, unknown> =
    options.inputs === undefined ? {} : await readInputsFile(options.inputs);
  for (const assignment of options.input ?? []) {
    const [name, text] = splitAssignment(assignment, '--input');
    setOwn(inputs, name, coerceInput(text, propertySchema(schema, name)));
  }

  await promptForMissing(schema, inputs, io);

  const servers: Record<string, string> = {};
  const openapiSources = [...sources.values()]
    .filter((source) => source.kind === 'openapi')
    .map((source) => source.name);
  for (const entry of options.server ?? []) {
    const named = /^([A-Za-z0-9_-]+)=(.+)$/.exec(entry);
    if (named?.[1] !== undefined && named[2] !== undefined) {
      if (!sources.has(named[1])) {
        throw new ArazzoError(
          'USAGE',
          `--server: no source description named "${named[1]}" (sources: ${[...sources.keys()].join(', ')})`,
        );
      }
      servers[named[1]] =
        sources.get(named[1])?.kind === 'asyncapi' ? checkBrokerUrl(named[2]) : checkUrl(named[2]);
    } else if (openapiSources.length === 1 && openapiSources[0] !== undefined) {
      servers[openapiSources[0]] = checkUrl(entry);
    } else {
      throw new ArazzoError(
        'USAGE',
        `--server: the document has ${openapiSources.length} OpenAPI sources; write --server <name>=<url>`,
      );
    }
  }

  const limits = {
    ...(options.maxSteps === undefined
      ? {}
      : { maxSteps: parseCount(options.maxSteps, '--max-steps') }),
    ...(options.timeout === undefined
      ? {}
      : { timeoutMs: parseDuration(options.timeout, '--timeout') }),
    ...(options.requestTimeout === undefined
      ? {}
      : { requestTimeoutMs: parseDuration(options.requestTimeout, '--request-timeout') }),
    ...(options.conditionTimeout === undefined
      ? {}
      : {
          conditionTimeoutMs: parsePositiveDuration(
            options.conditionTimeout,
            '--condition-timeout',
          ),
        }),
    ...(options.maxResponseSize === undefined
      ? {}
      : { maxResponseBytes: parseSize(options.maxResponseSize, '--max-response-size') }),
    ...(options.pollInterval === undefined
      ? {}
      : { pollIntervalMs: parseDuration(options.pollInterval, '--poll-interval') }),
  };
  // Credentials: file < environment < --auth (the most explicit wins).
  const schemesBySource = new Map(
    [...sources.values()].flatMap((source) =>
      source.kind === 'openapi'
        ? [[source.name, listSecuritySchemes(source.document).map((s) => s.name)] as const]
        : [],
    ),
  );
  const schemeNames = [...schemesBySource.values()].flat();
  const credentials = {
    ...(options.authFile === undefined
      ? {}
      : await readCredentialsFile(resolve(io.cwd, options.authFile))),
    ...credentialsFromEnv(io.env, schemeNames),
    ...parseAuthOptions(options.auth ?? []),
  };
  // A bare credential reaches every source declaring its scheme, on any host: said before the run.
  const warnings = bareCredentialWarnings(credentials, schemesBySource);
  const headers = parseHeaderOptions(options.header ?? []);
  const serverVariables = Object.fromEntries(
    (options.serverVar ?? []).map((entry) => splitAssignment(entry, '--server-var')),
  );
  return {
    scope,
    workflowId,
    inputs,
    schema,
    servers,
    serverVariables,
    limits,
    credentials,
    headers,
    warnings,
    checked,
  };
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

async function readInputsFile(path: string): Promise<Record<string, unknown>> {
  const { data } = parseSourceText(await readTextFile(path), path);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ArazzoError('USAGE', `--inputs ${path}: expected a mapping of input names to values`);
  }
  return { ...(data as Record<string, unknown>) };
}

function checkUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return text;
  } catch {
    throw new ArazzoError('USAGE', `--server: "${text}" is not an http(s) URL`);
  }
}

/** The password in a `--server` URL's user info (a broker's credentials), as written and decoded. */
function userInfoSecrets(text: string): string[] {
  try {
    const { password } = new URL(text);
    if (password === '') return [];
    return [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}

/** An AsyncAPI source's server (`mqtt://…`, `amqp://…`, `nats://…`, `ws://…`); never echoes user info. */
function checkBrokerUrl(text: string): string {
  try {
    new URL(text);
    return text;
  } catch {
    throw new ArazzoError('USAGE', `--server: the broker URL ${displayUrl(text)} is not a URL`);
  }
}

/** A duration that must be more than zero (a zero bound would fail every condition). */
function parsePositiveDuration(text: string, flag: string): number {
  const ms = parseDuration(text, flag);
  if (ms > 0) return ms;
  throw new ArazzoError('USAGE', `${flag}: "${text}" must be more than 0`);
}
