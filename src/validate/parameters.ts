/**
 * Parameter lists with Reusable Objects resolved, and the effective parameters of a step: its own
 * list plus the workflow's parameters it does not override. "If a parameter is already defined at
 * the Workflow, the new definition will override it but can never remove it" (Arazzo 1.0.1 §Step
 * Object); a parameter is identified by `name` and `in` ("A unique parameter is defined by the
 * combination of a name and in fields", §Parameter Object). Header names compare
 * case-insensitively (RFC 9110).
 */
import { childPointer } from '../errors.js';
import { memo, type RuleContext, type StepModel } from './context.js';
import { componentReference } from './sites.js';
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
    const reference = stringAt(raw, 'reference');
    if (raw['reference'] === undefined) {
      out.push({
        name: stringAt(raw, 'name'),
        in: stringAt(raw, 'in'),
        pointer: at,
        origin,
        resolved: true,
      });
      continue;
    }
    const target = reference === undefined ? undefined : componentReference(reference);
    const component =
      target?.componentType === 'parameters'
        ? ctx.model.components.parameters[target.name]
        : undefined;
    out.push({
      name: stringAt(component, 'name'),
      in: stringAt(component, 'in'),
      pointer: at,
      origin,
      ...(reference === undefined ? {} : { reference }),
      resolved: isDict(component),
    });
  }
  return out;
}

export function parameterKey(parameter: {
  readonly name: string | undefined;
  readonly in: string | undefined;
}): string {
  const name = parameter.in === 'header' ? parameter.name?.toLowerCase() : parameter.name;
  return `${parameter.in ?? ''}\u0000${name ?? ''}`;
}

/** Step parameters, then the workflow's parameters the step does not override. */
export function effectiveParameters(ctx: RuleContext, step: StepModel): readonly ListedParameter[] {
  return memo(ctx, `parameters:${step.pointer}`, () => {
    const own = listParameters(ctx, step.raw, step.pointer, 'step');
    const inherited = listParameters(ctx, step.workflow.raw, step.workflow.pointer, 'workflow');
    // For a workflow step, parameters are inputs: only the name identifies them.
    const byName = step.target?.kind === 'workflowId';
    const key = (p: ListedParameter) => (byName ? (p.name ?? '') : parameterKey(p));
    const overridden = new Set(own.map(key));
    return [...own, ...inherited.filter((p) => !overridden.has(key(p)))];
  });
}
