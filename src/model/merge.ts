/**
 * The Arazzo 1.0.1 rules that combine what a document writes in several places, written once
 * for the model, the validator's rules, the reports and the runner:
 *
 * - §Reusable Object: an entry `{reference: $components.<kind>.<name>}` of a `parameters`,
 *   `successActions`/`onSuccess` or `failureActions`/`onFailure` list stands for that component
 *   "of the current Arazzo document"; for parameters, the entry's own `value` "overrides the
 *   value of the referenced parameter".
 * - §Step Object `parameters`: "If a parameter is already defined at the Workflow, the new
 *   definition will override it but can never remove it", and §Parameter Object: "A unique
 *   parameter is defined by the combination of a name and in fields" — except that "When the
 *   step in context specifies a workflowId, then all parameters map to workflow inputs", so a
 *   workflow step's parameters are identified by name alone (`in` means nothing there). Header
 *   names compare case-insensitively (§Parameter Object, RFC 9110 §5.1).
 * - §Step Object `onSuccess`/`onFailure`: "If a success action is already defined at the
 *   Workflow, the new definition will override it but can never remove it": step actions come
 *   first, then the workflow's `successActions`/`failureActions` whose `name` the step does not
 *   use (§Success Action Object: `name` identifies an action).
 */
import { parseExpression } from '../expressions/index.js';
import type { ComponentsExpression } from '../expressions/ast.js';
import { has, isDict, stringAt, type Dict } from './guards.js';

export type ReusableKind = 'parameters' | 'successActions' | 'failureActions';

/** `$components.<type>.<name>` parsed, or undefined when `reference` is not such an expression. */
export function componentReference(reference: string): ComponentsExpression | undefined {
  try {
    const expression = parseExpression(reference);
    return expression.kind === 'components' ? expression : undefined;
  } catch {
    return undefined;
  }
}

/** A list entry with its Reusable Object resolved. */
export type ListEntry =
  /** Written in place (no `reference`). */
  | { readonly status: 'inline'; readonly object: Dict }
  /** A Reusable Object whose component exists: `object` is the component. */
  | {
      readonly status: 'resolved';
      readonly reference: string;
      readonly name: string;
      readonly object: Dict;
    }
  /**
   * A Reusable Object that designates nothing: `reference` is not a string, not
   * `$components.<kind>.<name>` of this list's kind, or names a component that does not exist.
   */
  | { readonly status: 'unresolved'; readonly reference: string | undefined };

/**
 * Resolves one entry of a `kind` list against the document's `components` (read defensively:
 * any shape). An entry with a `reference` key is a Reusable Object, whatever else it holds.
 */
export function resolveEntry(entry: Dict, kind: ReusableKind, components: unknown): ListEntry {
  if (entry['reference'] === undefined) return { status: 'inline', object: entry };
  const reference = stringAt(entry, 'reference');
  if (reference === undefined) return { status: 'unresolved', reference };
  const target = componentReference(reference);
  if (target?.componentType !== kind) return { status: 'unresolved', reference };
  const group = isDict(components) ? components[kind] : undefined;
  const found = isDict(group) && Object.hasOwn(group, target.name) ? group[target.name] : undefined;
  return isDict(found)
    ? { status: 'resolved', reference, name: target.name, object: found }
    : { status: 'unresolved', reference };
}

/**
 * Where a parameter's value comes from: the entry's own `value` (a Reusable Object's overrides
 * the component's), else the component's. `from` says which object holds it.
 */
export function parameterValueSource(
  entry: Dict,
  resolved: ListEntry,
): { readonly from: 'entry' | 'component'; readonly value: unknown } | undefined {
  if (has(entry, 'value')) return { from: 'entry', value: entry['value'] };
  if (resolved.status === 'resolved' && has(resolved.object, 'value'))
    return { from: 'component', value: resolved.object['value'] };
  return undefined;
}

/** What identifies a parameter; `name`/`in` undefined when the document does not give them. */
export interface ParameterIdentity {
  readonly name: string | undefined;
  readonly in: string | undefined;
}

/**
 * The identity of a parameter in a parameter list: (`in`, `name`) with header names folded to
 * lower case, or the name alone when the step calls a workflow (the parameter is an input).
 */
export function parameterKey(parameter: ParameterIdentity, callsWorkflow = false): string {
  if (callsWorkflow) return parameter.name ?? '';
  const name = parameter.in === 'header' ? parameter.name?.toLowerCase() : parameter.name;
  return `${parameter.in ?? ''}\u0000${name ?? ''}`;
}

/** A step's effective parameters: its own, then the workflow's it does not override. */
export function mergeParameters<T extends ParameterIdentity>(
  step: readonly T[],
  workflow: readonly T[],
  callsWorkflow: boolean,
): T[] {
  const overridden = new Set(step.map((p) => parameterKey(p, callsWorkflow)));
  return [...step, ...workflow.filter((p) => !overridden.has(parameterKey(p, callsWorkflow)))];
}

/**
 * A step's effective success (or failure) actions: its own, then the workflow's whose name it
 * does not use. An action without a name (an unresolved reference, a malformed entry) overrides
 * nothing.
 */
export function mergeActions<T extends { readonly name: string | undefined }>(
  step: readonly T[],
  workflow: readonly T[],
): T[] {
  const names = new Set(step.flatMap((action) => action.name ?? []));
  return [
    ...step,
    ...workflow.filter((action) => action.name === undefined || !names.has(action.name)),
  ];
}
