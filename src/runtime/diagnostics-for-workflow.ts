import type { ArazzoDocument } from '../document/types.js';
import type { Diagnostic } from '../validate/diagnostic.js';

/**
 * The diagnostics that matter for running one workflow: those outside `/workflows` (sources,
 * components, the document itself) and those in the workflow or in any local workflow it can
 * reach (dependsOn, workflow steps, goto/retry targets). A defect in an unrelated workflow of
 * the same document does not stop this one from running.
 */
export function diagnosticsForWorkflow(
  document: ArazzoDocument,
  workflowId: string,
  diagnostics: readonly Diagnostic[],
): Diagnostic[] {
  const reachable = reachableWorkflows(document, workflowId);
  return diagnostics.filter((diagnostic) => {
    const match = /^\/workflows\/(\d+)(\/|$)/.exec(diagnostic.pointer);
    return match === null || reachable.has(Number(match[1]));
  });
}

function reachableWorkflows(document: ArazzoDocument, workflowId: string): Set<number> {
  // The document may be invalid in any way here: every field is checked before it is read.
  const workflows: readonly unknown[] = Array.isArray(document.workflows) ? document.workflows : [];
  const indexOf = new Map(
    workflows.map((workflow, index) => [field(workflow, 'workflowId'), index]),
  );
  const seen = new Set<number>();
  const pending = [indexOf.get(workflowId)];
  for (
    let index = pending.pop();
    index !== undefined || pending.length > 0;
    index = pending.pop()
  ) {
    if (index === undefined || seen.has(index)) continue;
    seen.add(index);
    const workflow = workflows[index];
    const steps = list(field(workflow, 'steps'));
    const actions = [
      ...list(field(workflow, 'successActions')),
      ...list(field(workflow, 'failureActions')),
      ...steps.flatMap((step) => [
        ...list(field(step, 'onSuccess')),
        ...list(field(step, 'onFailure')),
      ]),
    ];
    const targets = [
      ...list(field(workflow, 'dependsOn')),
      ...steps.map((step) => field(step, 'workflowId')),
      ...actions.map((action) => field(action, 'workflowId')),
    ];
    for (const target of targets) if (typeof target === 'string') pending.push(indexOf.get(target));
  }
  return seen;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
