/**
 * Which steps can have run before a given step (for `$steps.<id>.outputs.*` references). The
 * step graph over-approximates every run: each step may continue with the next one (an action's
 * criteria may not match), and with every `goto`/`retry` target of its own and the workflow's
 * actions (Reusable Objects resolved). A retry with a `stepId` runs that step and comes back.
 * So "cannot have run before" is only reported when no run at all could make it true.
 */
import { memo, type RuleContext, type StepModel, type WorkflowModel } from './context.js';
import { resolveEntry } from '../model/merge.js';
import { arrayAt, isDict, stringAt, type Dict } from './util.js';

export interface WorkflowFlow {
  /** For each step index, the indices of the steps that can have run (and finished) before it starts. */
  readonly before: readonly ReadonlySet<number>[];
}

export function flowOf(ctx: RuleContext, workflow: WorkflowModel): WorkflowFlow {
  return memo(ctx, `flow:${workflow.index}`, () => computeFlow(ctx, workflow));
}

/** Whether `candidate`'s outputs can exist when `user` is evaluated (`inclusive`: after `user` ran). */
export function canHaveRunBefore(
  ctx: RuleContext,
  candidate: StepModel,
  user: StepModel,
  inclusive: boolean,
): boolean {
  if (inclusive && candidate === user) return true;
  return flowOf(ctx, user.workflow).before[user.index]?.has(candidate.index) ?? false;
}

function computeFlow(ctx: RuleContext, workflow: WorkflowModel): WorkflowFlow {
  const count = workflow.steps.length;
  const edges: Set<number>[] = Array.from({ length: count }, () => new Set<number>());
  const byId = workflow.stepById;
  const workflowActions = [
    ...arrayAt(workflow.raw, 'successActions'),
    ...arrayAt(workflow.raw, 'failureActions'),
  ];
  for (const step of workflow.steps) {
    const from = step.index;
    if (from + 1 < count) edges[from]?.add(from + 1);
    const actions = [
      ...arrayAt(step.raw, 'onSuccess'),
      ...arrayAt(step.raw, 'onFailure'),
      ...workflowActions,
    ];
    for (const raw of actions) {
      const action = resolveAction(ctx, raw);
      if (!action) continue;
      const type = stringAt(action, 'type');
      const targetId = stringAt(action, 'stepId');
      const target = targetId === undefined ? undefined : byId.get(targetId);
      if (type === 'retry') {
        edges[from]?.add(from);
        if (target) {
          edges[from]?.add(target.index);
          edges[target.index]?.add(from);
        }
      } else if (type === 'goto' && target) {
        edges[from]?.add(target.index);
      }
    }
  }
  // reach[i]: steps reachable from i in one or more transitions.
  const reach = edges.map((_, start) => {
    const seen = new Set<number>();
    const queue = [...(edges[start] ?? [])];
    while (queue.length > 0) {
      const next = queue.pop();
      if (next === undefined || seen.has(next)) continue;
      seen.add(next);
      for (const following of edges[next] ?? []) if (!seen.has(following)) queue.push(following);
    }
    return seen;
  });
  const runs = new Set<number>([0, ...(reach[0] ?? [])]);
  const before = workflow.steps.map((step) => {
    const set = new Set<number>();
    for (let candidate = 0; candidate < count; candidate++) {
      if (runs.has(candidate) && reach[candidate]?.has(step.index)) set.add(candidate);
    }
    return set;
  });
  return { before };
}

/** An action object, or the component a Reusable Object designates (undefined when unresolvable). */
export function resolveAction(ctx: RuleContext, raw: unknown): Dict | undefined {
  if (!isDict(raw)) return undefined;
  // A non-string reference is the schema's to report; the object is read as written.
  if (typeof raw['reference'] !== 'string') return raw;
  // Either kind: a success action's reference is checked by the reusable rule, not here.
  for (const kind of ['successActions', 'failureActions'] as const) {
    const entry = resolveEntry(raw, kind, ctx.model.components);
    if (entry.status === 'resolved') return entry.object;
  }
  return undefined;
}
