import type { ArazzoDocument, Step, Workflow } from '../document/types.js';
import type { Diagnostic } from './types.js';

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
  const workflows: readonly Workflow[] = Array.isArray(document.workflows)
    ? document.workflows
    : [];
  const indexOf = new Map(workflows.map((workflow, index) => [workflow.workflowId, index]));
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
    const targets = [
      ...(workflow?.dependsOn ?? []),
      ...(workflow?.steps ?? []).flatMap((step: Step) => [
        step.workflowId,
        ...[...(step.onSuccess ?? []), ...(step.onFailure ?? [])].map((action) =>
          'workflowId' in action ? action.workflowId : undefined,
        ),
      ]),
      ...[...(workflow?.successActions ?? []), ...(workflow?.failureActions ?? [])].map((action) =>
        'workflowId' in action ? action.workflowId : undefined,
      ),
    ];
    for (const target of targets) if (typeof target === 'string') pending.push(indexOf.get(target));
  }
  return seen;
}
