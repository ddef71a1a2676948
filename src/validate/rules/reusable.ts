import { childPointer } from '../../errors.js';
import { didYouMean } from '../../sources/did-you-mean.js';
import type { RuleContext } from '../model/context.js';
import { componentReference } from '../../model/merge.js';
import type { Finding } from '../types.js';
import { arrayAt, isDict, stringAt, type Dict } from '../util.js';
import type { Rule } from './rule.js';

type Kind = 'parameters' | 'successActions' | 'failureActions';

const LISTS: readonly (readonly [string, Kind])[] = [
  ['parameters', 'parameters'],
  ['successActions', 'successActions'],
  ['failureActions', 'failureActions'],
  ['onSuccess', 'successActions'],
  ['onFailure', 'failureActions'],
];

/**
 * Reusable Objects: "If a Reusable Object is provided, it MUST link to a parameter defined in the
 * components/parameters of the current Arazzo document" (likewise successActions,
 * failureActions); `value` "is only applicable for parameter object references" (Arazzo 1.0.1
 * §Reusable Object). `reusable-kind-mismatch`, `component-not-found`, `reusable-value-ignored`.
 */
export const reusable = {
  codes: {
    'reusable-kind-mismatch': 'error',
    'component-not-found': 'error',
    'reusable-value-ignored': 'warning',
  },
  check(ctx) {
    const findings: Finding[] = [];
    const owners: [Dict, string][] = ctx.model.workflows.flatMap((w) => [
      [w.raw, w.pointer] as [Dict, string],
      ...w.steps.map((s): [Dict, string] => [s.raw, s.pointer]),
    ]);
    for (const [owner, pointer] of owners) {
      for (const [key, kind] of LISTS) {
        for (const [index, raw] of arrayAt(owner, key).entries()) {
          if (isDict(raw) && raw['reference'] !== undefined) {
            check(ctx, raw, childPointer(childPointer(pointer, key), index), kind, findings);
          }
        }
      }
    }
    return findings;
  },
} satisfies Rule;

function check(ctx: RuleContext, raw: Dict, pointer: string, kind: Kind, out: Finding[]): void {
  const reference = stringAt(raw, 'reference');
  if (reference === undefined) return;
  const at = childPointer(pointer, 'reference');
  const target = componentReference(reference);
  if (!target) {
    // A reference that does not parse at all is reported as expression-invalid.
    if (reference.startsWith('$components.') || !reference.startsWith('$')) return;
    out.push({
      code: 'reusable-kind-mismatch',
      message: `a reference in ${kindName(kind)} must be $components.${kind}.<name>, not ${reference}`,
      pointer: at,
    });
    return;
  }
  if (target.componentType !== kind) {
    out.push({
      code: 'reusable-kind-mismatch',
      message: `${reference} is a ${target.componentType} component; this list takes $components.${kind}.<name>`,
      pointer: at,
    });
    return;
  }
  const components = ctx.model.components[kind];
  if (!Object.hasOwn(components, target.name)) {
    out.push({
      code: 'component-not-found',
      message: `components.${kind} has no "${target.name}"${didYouMean(target.name, Object.keys(components))}`,
      pointer: at,
    });
  }
  if (kind !== 'parameters' && raw['value'] !== undefined) {
    out.push({
      code: 'reusable-value-ignored',
      message: 'value only applies to parameter references; it is ignored here',
      pointer: childPointer(pointer, 'value'),
    });
  }
}

function kindName(kind: Kind): string {
  return kind === 'parameters'
    ? 'parameters'
    : kind === 'successActions'
      ? 'success actions'
      : 'failure actions';
}
