import type { Finding } from '../types.js';
import { parameterKey } from '../../model/merge.js';
import type { Rule } from './rule.js';

/**
 * `parameter-duplicate`: "The list MUST NOT include duplicate parameters" (Arazzo 1.0.1 §Workflow
 * Object, §Step Object) — the same `name` + `in` twice in one list, Reusable Objects resolved.
 */
export const parameterDuplicate = {
  codes: { 'parameter-duplicate': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    const lists = ctx.model.workflows.flatMap((w) => [
      w.parameters,
      ...w.steps.map((s) => s.parameters.filter((p) => p.origin === 'step')),
    ]);
    for (const list of lists) {
      const seen = new Set<string>();
      for (const parameter of list) {
        if (parameter.name === undefined) continue;
        const key = parameterKey(parameter);
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        const where = parameter.in === undefined ? '' : ` in ${parameter.in}`;
        findings.push({
          code: 'parameter-duplicate',
          message: `parameter "${parameter.name}"${where} is listed twice`,
          pointer: parameter.pointer,
        });
      }
    }
    return findings;
  },
} satisfies Rule;
