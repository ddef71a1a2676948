import type { Finding } from '../types.js';
import { noSource } from '../model/resolve.js';
import { uses, viaSuffix } from './references.js';
import type { Rule } from './rule.js';

/**
 * `source-not-found` for `$sourceDescriptions.<name>…` inside values and conditions (the
 * `operationId`, `operationPath`, `workflowId` and `dependsOn` forms are checked by their rules).
 */
export const sourceReference = {
  codes: { 'source-not-found': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { expression, occurrence, site } of uses(ctx)) {
      if (
        expression.kind !== 'sourceDescriptions' ||
        site.role === 'target' ||
        site.via !== undefined
      )
        continue;
      if (ctx.model.sourceByName.has(expression.sourceName)) continue;
      findings.push({
        code: 'source-not-found',
        message: `${expression.text}: ${noSource(ctx, expression.sourceName)}${viaSuffix(site)}`,
        pointer: occurrence.pointer,
        offset: occurrence.offset,
      });
    }
    return findings;
  },
} satisfies Rule;
