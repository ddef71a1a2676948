import type { ActionModel } from '../../model/types.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `action-duplicate`: "The list MUST NOT include duplicate success actions" (and failure actions)
 * (Arazzo 1.0.1 §Workflow Object, §Step Object). Actions are identified by `name` (after resolving
 * Reusable Objects), the identity step actions use to override workflow actions.
 */
export const actionNameUnique = {
  codes: { 'action-duplicate': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      check(workflow.successActions, 'successActions', findings);
      check(workflow.failureActions, 'failureActions', findings);
      for (const step of workflow.steps) {
        check(own(step.onSuccess), 'onSuccess', findings);
        check(own(step.onFailure), 'onFailure', findings);
      }
    }
    return findings;
  },
} satisfies Rule;

/** A step's own actions (the merged list also holds the workflow's). */
function own(actions: readonly ActionModel[]): ActionModel[] {
  return actions.filter((action) => action.origin === 'step');
}

function check(list: readonly ActionModel[], key: string, out: Finding[]): void {
  const seen = new Map<string, number>();
  for (const action of list) {
    const { name, index } = action;
    if (name === undefined) continue;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, index);
      continue;
    }
    out.push({
      code: 'action-duplicate',
      message: `${key} has two actions named "${name}" (#${first} and #${index})`,
      pointer: action.pointer,
    });
  }
}
