import { resolve as resolvePath } from 'node:path';
import { ArazzoError } from '../errors.js';
import { loadDocument, type LoadedDocument } from '../document/load-document.js';
import type { LoadedSource } from '../sources/load-sources.js';
import { validateLoaded } from '../validate/index.js';
import type { Diagnostic } from '../validate/diagnostic.js';
import { diagnosticsForWorkflow } from './diagnostics-for-workflow.js';
import type { JsonSchema } from '../document/types.js';
import { inputsSchema } from './inputs.js';
import { createScope, type DocumentScope } from './scope.js';
import { selectWorkflow, type WorkflowLocation } from './select-workflow.js';

export interface PrepareRunOptions {
  /** The workflow to run; default the only one (several: `WORKFLOW_AMBIGUOUS`). */
  readonly workflowId?: string;
  /** `--allow-host` patterns for the remote source descriptions the document names. */
  readonly allowHosts?: readonly string[];
  /** Resolves relative paths (default: the process's working directory). */
  readonly cwd?: string;
  /** Stops the source downloads (Ctrl-C while loading). */
  readonly signal?: AbortSignal;
}

/** A workflow ready for `runWorkflow`: nothing has been sent yet. */
export interface PreparedRun {
  readonly scope: DocumentScope;
  readonly location: WorkflowLocation;
  readonly workflowId: string;
  /** The workflow's inputs JSON Schema (with `$components.inputs` resolved), if it has one. */
  readonly inputsSchema: JsonSchema | undefined;
  /** Warnings that concern this workflow (errors refuse the run instead). */
  readonly warnings: readonly Diagnostic[];
}

/**
 * The validation errors that stop one workflow from running; `diagnostics` are the findings, as
 * `arazzo validate` reports them. Errors in workflows the selected one never reaches are not
 * among them.
 */
export class WorkflowInvalidError extends ArazzoError {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly workflowId: string | undefined,
    /** The document the diagnostics point into (for code frames when they are printed). */
    readonly document: LoadedDocument,
  ) {
    const count = `${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}`;
    super(
      'DOCUMENT_INVALID',
      workflowId === undefined
        ? `the document has ${count}; nothing was sent`
        : `workflow "${workflowId}" has ${count}; nothing was sent`,
    );
  }
}

/** A document loaded, checked as `arazzo validate` checks it, with its sources in scope. */
export interface PreparedDocument {
  readonly loaded: LoadedDocument;
  readonly scope: DocumentScope;
  /** Every finding of validate, for all workflows (`diagnosticsForWorkflow` picks one's). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Loads a document and its sources and runs every `validate` check once: `prepareRun` for one
 * workflow, `arazzo mcp` for all of them. Rejects with an `ArazzoError` only when the file
 * cannot be read or parsed.
 */
export async function prepareDocument(
  path: string,
  options: Omit<PrepareRunOptions, 'workflowId'> = {},
): Promise<PreparedDocument> {
  const loaded = await loadDocument(resolvePath(options.cwd ?? process.cwd(), path));
  const validation = await validateLoaded(loaded, {
    ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const sources = validation.sources ?? new Map<string, LoadedSource>();
  return { loaded, scope: createScope(loaded, sources), diagnostics: validation.diagnostics };
}

/**
 * What `arazzo run` does before the first request, as one library call: load the document and
 * its sources, run every `validate` check, select the workflow, and refuse it when a check it
 * depends on failed (`WorkflowInvalidError`). Other failures reject with an `ArazzoError`
 * (unreadable file, malformed YAML, unsupported version, unknown workflow).
 */
export async function prepareRun(
  path: string,
  options: PrepareRunOptions = {},
): Promise<PreparedRun> {
  const { loaded, scope, diagnostics } = await prepareDocument(path, options);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  let location: WorkflowLocation;
  try {
    location = selectWorkflow(scope, options.workflowId);
  } catch (error) {
    // A document too broken to name its workflows: its diagnostics say why. "Which one?" and
    // "no such workflow" are answers of their own.
    const choice =
      error instanceof ArazzoError &&
      (error.code === 'WORKFLOW_AMBIGUOUS' || error.code === 'WORKFLOW_NOT_FOUND');
    if (errors.length > 0 && !choice) throw new WorkflowInvalidError(errors, undefined, loaded);
    throw error;
  }
  const workflowId = loaded.document.workflows[location.index]?.workflowId ?? '';
  const relevant = diagnosticsForWorkflow(loaded.document, workflowId, diagnostics);
  const blocking = relevant.filter((d) => d.severity === 'error');
  if (blocking.length > 0) throw new WorkflowInvalidError(blocking, workflowId, loaded);
  return {
    scope,
    location,
    workflowId,
    inputsSchema: inputsSchema(scope, location.index),
    warnings: relevant.filter((d) => d.severity === 'warning'),
  };
}
