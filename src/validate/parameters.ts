/**
 * Parameter lists with Reusable Objects resolved, and the effective parameters of a step: its own
 * list plus the workflow's parameters it does not override (the rules are in model/merge.ts).
 */
import { childPointer } from '../errors.js';
import { memo, type RuleContext, type StepModel } from './context.js';
import { mergeParameters, parameterKey, resolveEntry } from '../model/merge.js';
import { arrayAt, isDict, stringAt, type Dict } from './util.js';

export interface ListedParameter {
  readonly name: string | undefined;
  readonly in: string | undefined;
  /** Where it is written: the list entry (for a Reusable Object, the entry that references it). */
  readonly pointer: string;
  readonly origin: 'step' | 'workflow';
  /** The Reusable `reference`, when the entry is one. */
  readonly reference?: string;
  /** False when the entry is a Reusable Object whose component does not exist. */
  readonly resolved: boolean;
}

export function listParameters(
  ctx: RuleContext,
  owner: Dict,
  pointer: string,
  origin: 'step' | 'workflow',
): ListedParameter[] {
  const out: ListedParameter[] = [];
  for (const [index, raw] of arrayAt(owner, 'parameters').entries()) {
    if (!isDict(raw)) continue;
    const at = childPointer(childPointer(pointer, 'parameters'), index);
    const entry = resolveEntry(raw, 'parameters', ctx.model.components);
    const parameter = entry.status === 'unresolved' ? undefined : entry.object;
    out.push({
      name: stringAt(parameter, 'name'),
      in: stringAt(parameter, 'in'),
      pointer: at,
      origin,
      ...(entry.status === 'inline' || entry.reference === undefined
        ? {}
        : { reference: entry.reference }),
      resolved: entry.status !== 'unresolved',
    });
  }
  return out;
}

export { parameterKey };

/** Step parameters, then the workflow's parameters the step does not override (model/merge.ts). */
export function effectiveParameters(ctx: RuleContext, step: StepModel): readonly ListedParameter[] {
  return memo(ctx, `parameters:${step.pointer}`, () =>
    mergeParameters(
      listParameters(ctx, step.raw, step.pointer, 'step'),
      listParameters(ctx, step.workflow.raw, step.workflow.pointer, 'workflow'),
      step.target?.kind === 'workflowId',
    ),
  );
}
