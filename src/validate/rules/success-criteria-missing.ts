import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `success-criteria-missing` (warning): without `successCriteria` the spec does not say when a
 * step succeeded; this runner then accepts any 2xx response (POSITIONS §6.3). Say what success
 * means, e.g. `condition: $statusCode == 200`.
 */
export const successCriteriaMissing: Rule = {
  codes: { 'success-criteria-missing': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        if (step.target.kind !== 'operation') continue;
        if (step.raw['successCriteria'] !== undefined) continue;
        findings.push({
          code: 'success-criteria-missing',
          message: `step "${step.id ?? step.index}" has no successCriteria; any 2xx response will count as success`,
          pointer: childPointer(step.pointer, 'stepId'),
        });
      }
    }
    return findings;
  },
};
