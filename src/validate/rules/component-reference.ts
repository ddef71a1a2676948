import { didYouMean } from '../../sources/did-you-mean.js';
import type { Finding } from '../types.js';
import { uses } from './references.js';
import type { Rule } from './rule.js';

/**
 * `component-not-found` for `$components.<type>.<name>` inside values and conditions (Reusable
 * Object references are checked, with their kind, by `reusable.ts`). "Components are scoped to
 * the Arazzo document they are defined in."
 */
export const componentReference = {
  codes: { 'component-not-found': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { expression, occurrence, site } of uses(ctx)) {
      if (expression.kind !== 'components' || site.role === 'reference' || site.via !== undefined)
        continue;
      const components = ctx.model.components[expression.componentType];
      if (Object.hasOwn(components, expression.name)) continue;
      findings.push({
        code: 'component-not-found',
        message: `${expression.text}: components.${expression.componentType} has no "${expression.name}"${didYouMean(expression.name, Object.keys(components))}`,
        pointer: occurrence.pointer,
        offset: occurrence.offset,
      });
    }
    return findings;
  },
} satisfies Rule;
