import { basename } from 'node:path';
import { ArazzoError, formatError } from '../../errors.js';
import { compileDocument } from '../../model/compile-document.js';
import type { WorkflowModel } from '../../model/types.js';
import {
  buildCatalog,
  secretInputNames,
  type CatalogEntry,
  type ServedDocument,
  type WorkflowTool,
} from '../../mcp/catalog.js';
import type { ServedResource } from '../../mcp/server.js';
import type { ToolRunner } from '../../mcp/runner.js';
import { databaseUrl } from '../../durable/dbos.js';
import { quietDatabaseDriver } from '../durable-host.js';
import { databaseFailed } from '../durable-run.js';
import { Redactor } from '../../report/redact.js';
import { printable } from '../../report/style.js';
import { diagnosticsForWorkflow } from '../../runtime/diagnostics-for-workflow.js';
import { inputsSchema, missingRequiredInputs } from '../../runtime/inputs.js';
import { prepareDocument, type PreparedDocument } from '../../runtime/prepare-run.js';
import { EXIT, interrupted, signalExit, type CliIo } from '../io.js';
import { coerceInput, propertySchema, splitAssignment } from '../parse-options.js';
import { runEnvironment, type EnvironmentOptions } from '../run-environment.js';
import { describeCommand } from './describe.js';
import { graphCommand } from './graph.js';

export interface McpCommandOptions extends EnvironmentOptions {
  /** Fixed inputs (`--input name=value`): given to every workflow that declares them. */
  readonly input?: readonly string[];
  /** `--http [host:]port`: Streamable HTTP instead of stdio. */
  readonly http?: string;
  readonly httpToken?: string;
  readonly allowOrigin?: readonly string[];
  readonly durable?: boolean;
  readonly database?: string;
}

/**
 * `arazzo mcp <files…>`: every workflow of the documents as an MCP tool, over stdio or
 * Streamable HTTP, until the client disconnects (stdio) or the process is signalled. A workflow
 * that validate finds errors in, or that needs a secret the operator did not give, is not
 * served (one line each on stderr); nothing to serve is exit 2.
 */
export async function mcpCommand(
  files: readonly string[],
  options: McpCommandOptions,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const say = (line: string): void => io.stderr(`arazzo mcp: ${printable(line)}\n`);
  let served;
  try {
    served = await serveDocuments(files, options, io, say, signal);
  } catch (error) {
    if (signal?.aborted === true) return interrupted(io, signal, 'arazzo mcp');
    if (error instanceof ArazzoError) {
      say(formatError(error).split('\n', 1)[0] ?? '');
      return EXIT.USAGE;
    }
    throw error;
  }
  if (signal?.aborted === true) return interrupted(io, signal, 'arazzo mcp');
  const { tools, resources, redactor } = served;
  if (tools.length === 0) {
    say('no workflow can be served');
    return EXIT.USAGE;
  }
  let durable;
  if (options.durable === true) {
    try {
      durable = await startDurable(tools, options, io);
    } catch (error) {
      if (!(error instanceof ArazzoError)) throw error;
      say(formatError(error).split('\n', 1)[0] ?? '');
      return databaseFailed(error) ? EXIT.FAILED : EXIT.USAGE;
    }
    say('calls run as durable runs (arazzo runs lists them)');
  }
  const { RunTasks } = await import('../../mcp/server.js');
  const tasks = new RunTasks();
  const parts = {
    tools,
    resources,
    tasks,
    log: (line: string) => say(redactor.text(line)),
    ...(durable === undefined ? {} : { runner: durable.runner }),
  };
  const names = tools.map((tool) => tool.name).join(', ');
  io.beforeRun?.();
  let closed: Promise<void>;
  let stop: () => Promise<void>;
  if (options.http !== undefined) {
    const { serveHttp } = await import('../../mcp/http.js');
    const token = options.httpToken ?? io.env['ARAZZO_MCP_TOKEN'];
    let server;
    try {
      const listen = parseListen(options.http);
      server = await serveHttp(parts, {
        ...listen,
        ...(token === undefined || token === '' ? {} : { token }),
        ...(options.allowOrigin === undefined ? {} : { allowedOrigins: options.allowOrigin }),
      });
    } catch (error) {
      say(
        error instanceof ArazzoError
          ? error.message
          : `--http ${options.http}: ${(error as Error).message}`,
      );
      tasks.close();
      return EXIT.USAGE;
    }
    say(`serving ${tools.length} tool${tools.length === 1 ? '' : 's'} (${names}) at ${server.url}`);
    closed = new Promise(() => undefined);
    stop = () => server.close();
  } else {
    const [{ createServer }, { StdioServerTransport }] = await Promise.all([
      import('../../mcp/server.js'),
      import('@modelcontextprotocol/sdk/server/stdio.js'),
    ]);
    const server = createServer(parts);
    const transport = new StdioServerTransport();
    closed = new Promise((resolve) => {
      server.onclose = () => resolve();
      process.stdin.once('end', () => resolve());
    });
    await server.connect(transport);
    say(`serving ${tools.length} tool${tools.length === 1 ? '' : 's'} (${names}) over stdio`);
    stop = () => server.close();
  }
  const signalled = new Promise<void>((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const how = await Promise.race([closed.then(() => 'closed'), signalled.then(() => 'signal')]);
  tasks.close();
  await stop();
  await durable?.close();
  return how === 'signal' ? signalExit(signal) : EXIT.OK;
}

/** The durable runner (POSITIONS §15): the engine is loaded only with `--durable`. */
async function startDurable(
  tools: readonly WorkflowTool[],
  options: McpCommandOptions,
  io: CliIo,
): Promise<{ runner: ToolRunner; close(): Promise<void> }> {
  const url = databaseUrl(options.database, io.env);
  quietDatabaseDriver();
  const { durableRunner } = await import('../../mcp/runner.js');
  return durableRunner(tools, url, io.cwd);
}

async function serveDocuments(
  files: readonly string[],
  options: McpCommandOptions,
  io: CliIo,
  say: (line: string) => void,
  signal: AbortSignal | undefined,
) {
  const prepared: PreparedDocument[] = [];
  for (const file of files) {
    prepared.push(
      await prepareDocument(file, {
        cwd: io.cwd,
        ...(options.allowHost === undefined ? {} : { allowHosts: options.allowHost }),
        ...(signal === undefined ? {} : { signal }),
      }),
    );
  }
  const fixedText = (options.input ?? []).map((entry) => splitAssignment(entry, '--input'));
  const stems = uniqueStems(files);
  const entries: CatalogEntry[] = [];
  const resources: ServedResource[] = [];
  const secrets: string[] = [];
  const used = new Set<string>();
  for (const [position, { loaded, scope, diagnostics }] of prepared.entries()) {
    const file = files[position] ?? '';
    const stem = stems[position] ?? '';
    const others = prepared.filter((_, i) => i !== position);
    const environment = await runEnvironment(scope.sources, options, io, (name) =>
      others.some((other) => other.scope.sources.has(name)),
    );
    for (const warning of environment.warnings) say(`warning: ${warning}`);
    secrets.push(...environment.secrets);
    const document: ServedDocument = {
      file,
      stem,
      scope,
      model: compileDocument(loaded, scope.sources),
      environment: environment.options,
      secrets: environment.secrets,
    };
    for (const workflow of document.model.workflows) {
      const id = workflow.id ?? '';
      const errors = diagnosticsForWorkflow(loaded.document, id, diagnostics).filter(
        (d) => d.severity === 'error',
      );
      if (errors.length > 0) {
        say(
          `workflow "${id}" of ${file} is not served: ${errors.length} error${errors.length === 1 ? '' : 's'} (arazzo validate ${file})`,
        );
        continue;
      }
      const fixed = fixedInputs(workflow, document, fixedText, used);
      const schema = inputsSchema(scope, workflow.index);
      const lacking = secretInputNames(schema).filter((name) =>
        missingRequiredInputs(schema, fixed).includes(name),
      );
      if (lacking.length > 0) {
        say(
          `workflow "${id}" of ${file} is not served: it needs the secret ${lacking.map((n) => `"${n}"`).join(', ')}, which only the operator gives (--input ${lacking[0] ?? ''}=…)`,
        );
        continue;
      }
      secrets.push(...Redactor.secretsOf(schema, fixed));
      entries.push({ document, workflow, fixed });
      resources.push(graphResource(file, stem, id, io));
    }
    resources.unshift(...documentResources(file, stem, loaded.source.text, io));
  }
  for (const [name] of fixedText) {
    if (!used.has(name))
      throw new ArazzoError('USAGE', `--input ${name}: no served workflow has this input`);
  }
  return { tools: buildCatalog(entries), resources, redactor: new Redactor(secrets) };
}

/** The `--input` values a workflow declares, coerced by its schema as `run` coerces them. */
function fixedInputs(
  workflow: WorkflowModel,
  document: ServedDocument,
  given: readonly (readonly [string, string])[],
  used: Set<string>,
): Record<string, unknown> {
  const schema = inputsSchema(document.scope, workflow.index);
  const properties = typeof schema === 'object' ? schema['properties'] : undefined;
  const fixed: Record<string, unknown> = {};
  for (const [name, text] of given) {
    if (typeof properties !== 'object' || properties === null || !Object.hasOwn(properties, name))
      continue;
    used.add(name);
    fixed[name] = coerceInput(text, propertySchema(schema, name));
  }
  return fixed;
}

function documentResources(file: string, stem: string, text: string, io: CliIo): ServedResource[] {
  return [
    {
      uri: `arazzo://${stem}/document`,
      name: `${stem} document`,
      description: `The Arazzo document ${file}, as written.`,
      mimeType: /\.json$/i.test(file) ? 'application/json' : 'application/yaml',
      read: () => Promise.resolve(text),
    },
    {
      uri: `arazzo://${stem}/describe`,
      name: `${stem} description`,
      description: `What the workflows of ${file} need and do (arazzo describe).`,
      mimeType: 'text/plain',
      read: () => captured((capture) => describeCommand(file, { color: false }, capture), io),
    },
  ];
}

function graphResource(file: string, stem: string, workflowId: string, io: CliIo): ServedResource {
  return {
    uri: `arazzo://${stem}/workflows/${encodeURIComponent(workflowId)}/graph`,
    name: `${workflowId} graph`,
    description: `The control flow of workflow "${workflowId}" (arazzo graph), as a Mermaid flowchart.`,
    mimeType: 'text/vnd.mermaid',
    read: () => captured((capture) => graphCommand(file, { workflow: workflowId }, capture), io),
  };
}

/** A report command's stdout, as text (its stderr notes are dropped: the resource is the text). */
async function captured(command: (io: CliIo) => Promise<number>, io: CliIo): Promise<string> {
  let out = '';
  let err = '';
  const code = await command({
    ...io,
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    stdoutIsTTY: false,
    stdinIsTTY: false,
  });
  if (code !== EXIT.OK) throw new Error(err.trim() || `exit ${code}`);
  return out;
}

/** `orders.arazzo.yaml` → `orders`; a repeated name gets `-2`, `-3`. */
function uniqueStems(files: readonly string[]): string[] {
  const taken = new Set<string>();
  return files.map((file) => {
    const base =
      basename(file)
        .replace(/\.(arazzo\.)?(ya?ml|json)$/i, '')
        .replace(/[^A-Za-z0-9_.-]/g, '_') || 'document';
    let stem = base;
    for (let n = 2; taken.has(stem); n += 1) stem = `${base}-${n}`;
    taken.add(stem);
    return stem;
  });
}

/** `7010`, `127.0.0.1:7010`, `0.0.0.0:7010`, `[::1]:7010`. */
function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !(port >= 0 && port <= 65535)) {
    throw new ArazzoError('USAGE', `--http: "${text}" is not [host:]port`);
  }
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}
