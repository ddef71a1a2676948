/**
 * Which steps can have run before a given step (for `$steps.<id>.outputs.*` references). The
 * step graph over-approximates every run: each step may continue with the next one (an action's
 * criteria may not match), and with every `goto`/`retry` target of its own and the workflow's
 * actions (Reusable Objects resolved). A retry with a `stepId` runs that step and comes back.
 * So "cannot have run before" is only reported when no run at all could make it true.
 */
import { memo, type RuleContext, type StepModel, type WorkflowModel } from './context.js';
import { resolveEntry } from '../../model/merge.js';
import { arrayAt, isDict, stringAt, type Dict } from '../util.js';

export interface WorkflowFlow {
  /**
   * For each step position p (in `workflow.steps`), the smallest position reachable from p in one
   * or more transitions, or `steps.length` when none is: the steps reachable from p are exactly
   * the positions from `earliest[p]` on (see `computeFlow`).
   */
  readonly earliest: Int32Array;
  /** Position in `workflow.steps` of each step. */
  readonly position: ReadonlyMap<StepModel, number>;
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
  const { earliest, position } = flowOf(ctx, user.workflow);
  const from = position.get(candidate);
  const to = position.get(user);
  if (from === undefined || to === undefined) return false;
  // `candidate` must be able to run at all (it is the first step or reachable from it), and
  // `user` must be reachable from it.
  const runs = from === 0 || from >= (earliest[0] ?? Infinity);
  return runs && to >= (earliest[from] ?? Infinity);
}

/**
 * Linear in the size of the step graph, in time and memory (issue 21, F7: the reachability set
 * per step this replaces was n² and took a 20,000-step document past 4 GB).
 *
 * Why one number per step suffices: every step has a transition to the next one, so the set of
 * positions reachable from a step is upward closed — if r is reachable, so are r+1, …, n−1. It
 * is therefore the interval [earliest, n), and "can `user` follow `candidate`" is
 * `user >= earliest[candidate]`.
 *
 * How `earliest` is computed: for u = 0, 1, …, n−1 in turn, a backward search from u labels with
 * u every still-unlabelled node that reaches u in one or more transitions. The first label a node
 * gets is the smallest position it reaches. The search never needs to pass through a node
 * labelled earlier: whatever reaches such a node also reaches that smaller position, so it was
 * labelled by the same earlier search. Every node is thus expanded once and every edge read once.
 *
 * The workflow's own successActions/failureActions apply to every step; instead of n copies of
 * each, two extra nodes carry them: every step → ALL_GOTO → each workflow-level goto/retry
 * target, and each workflow-level retry target → ALL_RETURN → every step (a retry with a stepId
 * runs that step and comes back to the retrying one). A workflow-level retry also retries every
 * step itself (a self-loop each).
 */
function computeFlow(ctx: RuleContext, workflow: WorkflowModel): WorkflowFlow {
  // The order the steps run in (1.1 dependsOn may reorder them: model/step-order.ts).
  const steps = workflow.order;
  const count = steps.length;
  const position = new Map<StepModel, number>(steps.map((step, at) => [step, at]));
  const positionOf = (stepId: string | undefined): number | undefined => {
    const step = stepId === undefined ? undefined : workflow.stepById.get(stepId);
    return step === undefined ? undefined : position.get(step);
  };
  const ALL_GOTO = count;
  const ALL_RETURN = count + 1;
  const froms: number[] = [];
  const tos: number[] = [];
  const edge = (from: number, to: number): void => {
    froms.push(from);
    tos.push(to);
  };
  for (let at = 0; at + 1 < count; at++) edge(at, at + 1);

  /** Adds one action's transitions from `from`; says whether it was a retry, and its target. */
  const addAction = (
    from: number | undefined,
    raw: unknown,
  ): { retry: boolean; target?: number } => {
    const action = resolveAction(ctx, raw);
    const type = action === undefined ? undefined : stringAt(action, 'type');
    const target = positionOf(action === undefined ? undefined : stringAt(action, 'stepId'));
    if (type !== 'retry' && type !== 'goto') return { retry: false };
    if (from !== undefined) {
      if (type === 'retry') edge(from, from);
      if (target !== undefined) edge(from, target);
      if (type === 'retry' && target !== undefined) edge(target, from);
    }
    return { retry: type === 'retry', ...(target === undefined ? {} : { target }) };
  };

  for (const [at, step] of steps.entries()) {
    for (const raw of [...arrayAt(step.raw, 'onSuccess'), ...arrayAt(step.raw, 'onFailure')])
      addAction(at, raw);
  }
  let everyStepRetries = false;
  let anyGoto = false;
  let anyReturn = false;
  for (const raw of [
    ...arrayAt(workflow.raw, 'successActions'),
    ...arrayAt(workflow.raw, 'failureActions'),
  ]) {
    const { retry, target } = addAction(undefined, raw);
    if (retry) everyStepRetries = true;
    if (target !== undefined) {
      edge(ALL_GOTO, target);
      anyGoto = true;
      if (retry) {
        edge(target, ALL_RETURN);
        anyReturn = true;
      }
    }
  }
  for (let at = 0; at < count; at++) {
    if (everyStepRetries) edge(at, at);
    if (anyGoto) edge(at, ALL_GOTO);
    if (anyReturn) edge(ALL_RETURN, at);
  }

  // Predecessor lists in compressed form: preds of node v are pred[start[v] .. start[v + 1]).
  const nodes = count + 2;
  const start = new Int32Array(nodes + 1);
  for (const to of tos) start[to + 1] = (start[to + 1] ?? 0) + 1;
  for (let v = 0; v < nodes; v++) start[v + 1] = (start[v + 1] ?? 0) + (start[v] ?? 0);
  const fill = start.slice(0, nodes);
  const pred = new Int32Array(tos.length);
  for (const [index, to] of tos.entries()) {
    const slot = fill[to] ?? 0;
    pred[slot] = froms[index] ?? 0;
    fill[to] = slot + 1;
  }

  const earliest = new Int32Array(nodes).fill(count);
  const labelled = new Uint8Array(nodes);
  const stack: number[] = [];
  for (let u = 0; u < count; u++) {
    // Whatever reaches an already-labelled u reaches a smaller position: labelled already.
    if (labelled[u] === 1) continue;
    stack.push(u);
    while (stack.length > 0) {
      const v = stack.pop() ?? 0;
      for (let slot = start[v] ?? 0; slot < (start[v + 1] ?? 0); slot++) {
        const p = pred[slot] ?? 0;
        if (labelled[p] === 1) continue;
        labelled[p] = 1;
        earliest[p] = u;
        stack.push(p);
      }
    }
  }
  return { earliest: earliest.subarray(0, count), position };
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
