import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArazzoError, fileLocation, formatError } from '../../errors.js';
import { parseArazzoText, type LoadedDocument } from '../../document/load-document.js';
import { readTextFile } from '../../document/read-text.js';
import type { JsonSchema, Workflow } from '../../document/types.js';
import { loadSources, type LoadedSource } from '../../sources/load-sources.js';
import { offlineHint } from '../../sources/fetch-remote.js';
import { compileDocument } from '../../model/compile-document.js';
import type { DocumentModel, WorkflowModel } from '../../model/types.js';
import { createScope, type DocumentScope } from '../../runtime/scope.js';
import { selectWorkflow } from '../../runtime/select-workflow.js';
import { inputsSchema } from '../../runtime/inputs.js';
import {
  describeInputs,
  descriptionRedactor,
  formatDescription,
  formatDescriptionJson,
  type DocumentDescription,
  type WorkflowDescription,
} from '../../report/describe.js';
import { workflowView, type UnresolvedText } from '../../report/graph/workflow-view.js';
import { isSecretInput } from '../../report/redact.js';
import { propertySchema } from '../parse-options.js';
import { EXIT, interrupted, useColor, type CliIo } from '../io.js';
import { isRecord } from '../../document/guards.js';

export interface DescribeCommandOptions {
  readonly workflow?: string;
  readonly json?: boolean;
  readonly color?: boolean;
  /** `--allow-host`: remote sources on other hosts are not fetched (reported as not loaded). */
  readonly allowHost?: readonly string[];
  /** Fetch http(s) source descriptions (default true); `--no-remote` turns it off. */
  readonly remote?: boolean;
}

/**
 * `arazzo describe <file>`: the workflows of a document with their inputs, steps (operations
 * resolved against the sources), criteria, actions and outputs, each ending with a
 * ready-to-paste `arazzo run` line. Exit 0; 2 when the document cannot be loaded or the
 * workflow does not exist. Sources that fail to load are reported and their operations shown
 * unresolved: the description still comes out.
 */
export async function describeCommand(
  file: string,
  options: DescribeCommandOptions,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  let report: ReportDocument;
  let indexes: number[];
  try {
    report = await loadForReport(file, io, options, signal);
    if (signal?.aborted === true) return interrupted(io, signal, 'arazzo describe');
    indexes = selectIndexes(report.scope, options.workflow);
  } catch (error) {
    if (error instanceof ArazzoError) {
      io.stderr(`arazzo describe: ${firstLine(formatError(error))}\n`);
      return EXIT.USAGE;
    }
    throw error;
  }
  const { loaded, scope } = report;
  const document = loaded.document;
  const unresolved = unresolvedText(report);
  // 1.1 action parameters are inputs of the workflow they name: secret as that input is.
  const secretInput = (workflowId: string | undefined, name: string): boolean => {
    const target = workflowId === undefined ? undefined : report.model.workflowById.get(workflowId);
    const schema = target === undefined ? undefined : inputsSchema(scope, target.index);
    return isSecretInput(name, propertySchema(schema, name));
  };
  const workflows: WorkflowDescription[] = indexes.map((index) => {
    const workflow = document.workflows[index] as Workflow;
    const schema = inputsSchema(scope, index);
    return {
      view: workflowView(workflowModel(report, index), { unresolved, secretInput }),
      inputs: describeInputs(schema, secretTest(schema)),
      outputs: isRecord(workflow.outputs) ? stringValues(workflow.outputs) : {},
    };
  });
  const failed = new Map(report.sourceErrors.map((error) => [error.name, error.message]));
  const info = isRecord(document.info) ? document.info : { title: '', version: '' };
  const description: DocumentDescription = {
    file,
    title: String(info.title ?? ''),
    ...(typeof info.summary === 'string' ? { summary: info.summary } : {}),
    version: String(info.version ?? ''),
    arazzo: String(document.arazzo),
    ...(scope.self === undefined ? {} : { self: scope.self }),
    sources: sourceList(loaded).map((source) => {
      const error = failed.get(source.name);
      const type = report.sources.get(source.name)?.kind ?? source.type;
      return error === undefined ? { ...source, type } : { ...source, type, error };
    }),
    workflows,
  };
  const redactor = descriptionRedactor(description);
  for (const [name, message] of failed) {
    io.stderr(
      `arazzo describe: source "${name}" not loaded (${firstLine(redactor.text(message))}); its operations are shown unresolved\n`,
    );
  }
  for (const skipped of report.skippedWithin)
    io.stderr(`arazzo describe: ${skippedNote(skipped)}\n`);
  const color = useColor(io, options.color);
  io.stdout(
    options.json
      ? formatDescriptionJson(description, redactor)
      : formatDescription(description, redactor, { color }),
  );
  return EXIT.OK;
}

/** A document loaded for a report: the sources that loaded, and why the others did not. */
export interface ReportDocument {
  readonly loaded: LoadedDocument;
  readonly scope: DocumentScope;
  readonly sources: ReadonlyMap<string, LoadedSource>;
  readonly sourceErrors: readonly { readonly name: string; readonly message: string }[];
  /** With `--no-remote`: the remote sources of `arazzo` sources left unfetched (`outer.inner (url)`). */
  readonly skippedWithin: readonly string[];
  /** The document compiled against the sources that loaded. */
  readonly model: DocumentModel;
}

/**
 * Reads and parses the document (relative to `io.cwd`), then loads its sources without failing
 * on them. Throws a one-line `ArazzoError` when the document itself is unusable.
 */
export async function loadForReport(
  file: string,
  io: CliIo,
  options: { readonly allowHost?: readonly string[]; readonly remote?: boolean },
  signal?: AbortSignal,
): Promise<ReportDocument> {
  const { allowHost: allowHosts, remote } = options;
  const absolute = resolve(io.cwd, file);
  const loaded = parseArazzoText(await readTextFile(absolute), file, pathToFileURL(absolute).href);
  const workflows: unknown = loaded.document.workflows;
  if (!Array.isArray(workflows) || workflows.length === 0 || !workflows.every(isRecord)) {
    throw new ArazzoError('DOCUMENT_INVALID', `no workflows (run arazzo validate ${file})`, {
      location: fileLocation(file),
    });
  }
  const declared = sourceList(loaded);
  let sources: ReadonlyMap<string, LoadedSource> = new Map();
  let sourceErrors: { name: string; message: string }[] = [];
  let skippedWithin: string[] = [];
  try {
    const result = await loadSources(loaded, {
      ...(allowHosts === undefined ? {} : { allowHosts }),
      ...(remote === false ? { remote } : {}),
      ...(signal === undefined ? {} : { signal }),
    });
    sources = result.sources;
    sourceErrors = declared
      .filter((source) => !sources.has(source.name))
      .map((source) => {
        // load-sources says `source "name" (url): why`; the report names the source itself.
        const prefix = `source "${source.name}" (${source.url}): `;
        const error = result.errors.find((e) => e.message.startsWith(prefix));
        const skipped = result.skipped.some((s) => s.via.length === 0 && s.name === source.name);
        return {
          name: source.name,
          message: error
            ? error.message.slice(prefix.length) + offlineHint(error)
            : skipped
              ? 'remote, not fetched with --no-remote'
              : 'not loaded',
        };
      });
    // A source of an `arazzo` source left unfetched: that document's own steps lack it.
    skippedWithin = result.skipped
      .filter((skipped) => skipped.via.length > 0)
      .map((skipped) => `${[...skipped.via, skipped.name].join('.')} (${skipped.url})`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    sourceErrors = declared.map((source) => ({ name: source.name, message }));
  }
  return {
    loaded,
    scope: createScope(loaded, sources),
    sources,
    sourceErrors,
    skippedWithin,
    model: compileDocument(loaded, sources),
  };
}

/** The workflow named by `--workflow`, or all of them. */
export function selectIndexes(scope: DocumentScope, workflowId: string | undefined): number[] {
  if (workflowId !== undefined) return [selectWorkflow(scope, workflowId).index];
  return scope.loaded.document.workflows.map((_, index) => index);
}

/** The compiled model's workflow at `index` (loadForReport checked that every workflow is an object). */
export function workflowModel(report: ReportDocument, index: number): WorkflowModel {
  const workflow = report.model.workflows.find((w) => w.index === index);
  if (!workflow) throw new Error(`no workflow at index ${index}`);
  return workflow;
}

/**
 * Why an operation is shown unresolved: the model's problem (an unknown operationId, with a
 * suggestion), or, when a source did not load, which one.
 */
export function unresolvedText(report: Pick<ReportDocument, 'sourceErrors'>): UnresolvedText {
  const { sourceErrors } = report;
  return (problem, decided) =>
    !decided && sourceErrors.length > 0
      ? `source ${sourceErrors.map((e) => `"${e.name}"`).join(', ')} not loaded`
      : problem.message;
}

/** Whether the runner masks an input of this name (README "Secrets"). */
function secretTest(schema: JsonSchema | undefined): (name: string) => boolean {
  return (name) => isSecretInput(name, propertySchema(schema, name));
}

function sourceList(loaded: LoadedDocument): { name: string; type: string; url: string }[] {
  const list: unknown = loaded.document.sourceDescriptions;
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((source) => ({
    name: String(source['name']),
    type: typeof source['type'] === 'string' ? source['type'] : 'unknown type',
    url: String(source['url']),
  }));
}

/** The note for a source of an `arazzo` source that `--no-remote` left unfetched. */
export function skippedNote(skipped: string): string {
  return `source ${skipped} not fetched (--no-remote)`;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}

function stringValues(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      typeof item === 'string' ? item : (selectorText(item) ?? JSON.stringify(item)),
    ]),
  );
}

/** A 1.1 Selector Object output as one phrase: `$.a.b (jsonpath) on $response.body`. */
function selectorText(item: unknown): string | undefined {
  if (!isRecord(item) || typeof item['selector'] !== 'string') return undefined;
  const { type, context } = item;
  const kind = isRecord(type) ? `${String(type['type'])} ${String(type['version'])}` : String(type);
  return `${item['selector']} (${kind}) on ${String(context)}`;
}
