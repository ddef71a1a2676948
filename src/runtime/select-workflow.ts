import { ArazzoError } from '../errors.js';
import { SOURCE_PREFIX } from '../document/constants.js';
import type { Workflow } from '../document/types.js';
import type { LoadedArazzoSource } from '../sources/load-sources.js';
import { createScope, type DocumentScope } from './scope.js';

export interface WorkflowLocation {
  readonly scope: DocumentScope;
  readonly index: number;
}

/** The workflow to run: the one named, or the only one (the CLI contract's `--workflow`). */
export function selectWorkflow(
  scope: DocumentScope,
  workflowId: string | undefined,
): WorkflowLocation {
  const workflows: readonly Workflow[] = Array.isArray(scope.loaded.document.workflows)
    ? scope.loaded.document.workflows
    : [];
  // Entries are checked: a document that was not validated first may hold anything.
  const ids = workflows.map((workflow: unknown) =>
    typeof workflow === 'object' && workflow !== null
      ? (workflow as { workflowId?: unknown }).workflowId
      : undefined,
  );
  if (workflowId === undefined) {
    if (workflows.length === 1) return { scope, index: 0 };
    throw new ArazzoError(
      'WORKFLOW_AMBIGUOUS',
      `${scope.loaded.file} has ${workflows.length} workflows; choose one with --workflow: ${ids.join(', ')}`,
    );
  }
  const index = ids.indexOf(workflowId);
  if (index < 0) {
    throw new ArazzoError(
      'WORKFLOW_NOT_FOUND',
      `no workflow "${workflowId}" in ${scope.loaded.file}; it has: ${ids.join(', ')}`,
    );
  }
  return { scope, index };
}

const scopes = new WeakMap<LoadedArazzoSource, DocumentScope>();

/**
 * A workflow named in `workflowId`, `dependsOn` or a goto: a local id, or
 * `$sourceDescriptions.<name>.<workflowId>` for a workflow of an `arazzo` source (§Step Object).
 */
export function findWorkflow(scope: DocumentScope, reference: string): WorkflowLocation {
  if (typeof reference !== 'string') {
    throw new ArazzoError(
      'WORKFLOW_NOT_FOUND',
      `a workflow reference must be a string, not ${JSON.stringify(reference)}`,
    );
  }
  if (!reference.startsWith(SOURCE_PREFIX)) return selectWorkflow(scope, reference);
  const rest = reference.slice(SOURCE_PREFIX.length);
  const dot = rest.indexOf('.');
  const name = rest.slice(0, dot < 0 ? undefined : dot);
  const source = scope.sources.get(name);
  if (!source || source.kind !== 'arazzo') {
    throw new ArazzoError(
      'WORKFLOW_NOT_FOUND',
      `${reference}: no arazzo source description named "${name}"`,
    );
  }
  let nested = scopes.get(source);
  if (!nested) scopes.set(source, (nested = createScope(source.loaded, source.sources)));
  return selectWorkflow(nested, rest.slice(dot + 1));
}
