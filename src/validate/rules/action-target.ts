import { childPointer } from '../../errors.js';
import { didYouMean } from '../../sources/did-you-mean.js';
import type { RuleContext, WorkflowModel } from '../model/context.js';
import { resolveWorkflow } from '../model/resolve.js';
import type { Finding } from '../types.js';
import { isDict, stringAt, type Dict } from '../util.js';
import type { Rule } from './rule.js';

/**
 * Targets of `goto` and `retry` actions: "The referenced stepId MUST be within the current
 * workflow", and a `workflowId` names an existing workflow (Arazzo 1.0.1 §Success Action Object,
 * §Failure Action Object). A component action is checked in every workflow that uses it.
 */
export const actionTarget = {
  codes: {
    'action-target-not-found': 'error',
    'workflow-not-found': 'error',
    'source-not-found': 'error',
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      // Each action where it is written: the workflow's once, each step's own.
      const actions = [
        ...workflow.successActions,
        ...workflow.failureActions,
        ...workflow.steps.flatMap((step) =>
          [...step.onSuccess, ...step.onFailure].filter((action) => action.origin === 'step'),
        ),
      ];
      for (const action of actions) {
        const { object, reference } = action;
        if (!object) continue;
        checkStep(
          workflow,
          object,
          childPointer(action.pointer, reference === undefined ? 'stepId' : 'reference'),
          reference,
          findings,
        );
        if (reference === undefined)
          checkWorkflow(ctx, object, childPointer(action.pointer, 'workflowId'), findings);
      }
    }
    for (const kind of ['successActions', 'failureActions'] as const) {
      for (const [name, action] of Object.entries(ctx.model.components[kind])) {
        if (isDict(action))
          checkWorkflow(
            ctx,
            action,
            childPointer(childPointer(childPointer('/components', kind), name), 'workflowId'),
            findings,
          );
      }
    }
    return findings;
  },
} satisfies Rule;

function targets(action: Dict): boolean {
  const type = action['type'];
  return type === 'goto' || type === 'retry';
}

function checkStep(
  workflow: WorkflowModel,
  action: Dict,
  pointer: string,
  reference: string | undefined,
  out: Finding[],
): void {
  const stepId = stringAt(action, 'stepId');
  if (stepId === undefined || !targets(action) || workflow.stepById.has(stepId)) return;
  const name = stringAt(action, 'name') ?? '?';
  const via = reference === undefined ? '' : ` (from ${reference})`;
  const hint = didYouMean(stepId, [...workflow.stepById.keys()]);
  out.push({
    code: 'action-target-not-found',
    message: `${String(action['type'])} action "${name}"${via} targets step "${stepId}", which is not a step of workflow "${workflow.id ?? workflow.index}"${hint}`,
    pointer,
  });
}

function checkWorkflow(ctx: RuleContext, action: Dict, pointer: string, out: Finding[]): void {
  const workflowId = stringAt(action, 'workflowId');
  if (workflowId === undefined || !targets(action)) return;
  const resolution = resolveWorkflow(ctx, workflowId);
  if (resolution.status === 'missing') out.push({ ...resolution.problem, pointer });
}
