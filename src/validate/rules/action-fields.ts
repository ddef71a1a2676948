import { childPointer } from '../../errors.js';
import { objectsOf } from '../objects.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Fields that do not apply to an action's `type`: `workflowId`/`stepId` are "only relevant when
 * the type field value is goto" (or retry for failure actions), `retryAfter`/`retryLimit` "only
 * applies when the type field value is retry" → `action-field-ignored` (warning). `workflowId`
 * and `stepId` are mutually exclusive → `action-target-conflict` (the schema only enforces that
 * for `goto`) (Arazzo 1.0.1 §Success Action Object, §Failure Action Object).
 */
export const actionFields: Rule = {
  codes: { 'action-field-ignored': 'warning', 'action-target-conflict': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const object of objectsOf(ctx)) {
      if (object.kind !== 'success-action' && object.kind !== 'failure-action') continue;
      const raw = object.raw;
      const type = raw['type'];
      if (typeof type !== 'string' || raw['reference'] !== undefined) continue;
      const name = typeof raw['name'] === 'string' ? raw['name'] : '?';
      for (const field of ['stepId', 'workflowId'] as const) {
        if (raw[field] !== undefined && type === 'end') {
          findings.push({
            code: 'action-field-ignored',
            message: `"${field}" is ignored on "${name}": an end action has no target`,
            pointer: childPointer(object.pointer, field),
          });
        }
      }
      for (const field of ['retryAfter', 'retryLimit'] as const) {
        // Success actions have no such fields at all: the schema reports them as unknown.
        if (raw[field] !== undefined && type !== 'retry' && object.kind === 'failure-action') {
          findings.push({
            code: 'action-field-ignored',
            message: `"${field}" is ignored on "${name}": it only applies to retry actions`,
            pointer: childPointer(object.pointer, field),
          });
        }
      }
      if (type === 'retry' && raw['stepId'] !== undefined && raw['workflowId'] !== undefined) {
        findings.push({
          code: 'action-target-conflict',
          message: `"${name}" has both stepId and workflowId; they are mutually exclusive`,
          pointer: childPointer(object.pointer, 'workflowId'),
        });
      }
    }
    return findings;
  },
};
