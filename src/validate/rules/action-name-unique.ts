import { childPointer } from '../../errors.js';
import type { RuleContext } from '../context.js';
import { resolveAction } from '../flow.js';
import type { Finding } from '../types.js';
import { arrayAt, isDict, stringAt, type Dict } from '../util.js';
import type { Rule } from './rule.js';

/**
 * `action-duplicate`: "The list MUST NOT include duplicate success actions" (and failure actions)
 * (Arazzo 1.0.1 §Workflow Object, §Step Object). Actions are identified by `name` (after resolving
 * Reusable Objects), the identity step actions use to override workflow actions.
 */
export const actionNameUnique: Rule = {
  codes: { 'action-duplicate': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      check(ctx, workflow.raw, workflow.pointer, 'successActions', findings);
      check(ctx, workflow.raw, workflow.pointer, 'failureActions', findings);
      for (const step of workflow.steps) {
        check(ctx, step.raw, step.pointer, 'onSuccess', findings);
        check(ctx, step.raw, step.pointer, 'onFailure', findings);
      }
    }
    return findings;
  },
};

function check(ctx: RuleContext, owner: Dict, pointer: string, key: string, out: Finding[]): void {
  const seen = new Map<string, number>();
  for (const [index, raw] of arrayAt(owner, key).entries()) {
    if (!isDict(raw)) continue;
    const name = stringAt(resolveAction(ctx, raw), 'name');
    if (name === undefined) continue;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, index);
      continue;
    }
    out.push({
      code: 'action-duplicate',
      message: `${key} has two actions named "${name}" (#${first} and #${index})`,
      pointer: childPointer(childPointer(pointer, key), index),
    });
  }
}
