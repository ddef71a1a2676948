import { childPointer } from '../../errors.js';
import { objectsOf } from '../model/objects.js';
import type { Finding } from '../types.js';
import { isDict } from '../util.js';
import type { Rule } from './rule.js';

/**
 * Fields that do not apply to an action's `type`: `workflowId`/`stepId` are "only relevant when
 * the type field value is goto" (or retry for failure actions), `retryAfter`/`retryLimit` "only
 * applies when the type field value is retry" → `action-field-ignored` (warning). `workflowId`
 * and `stepId` are mutually exclusive → `action-target-conflict` (the schema only enforces that
 * for `goto`) (Arazzo 1.0.1 §Success Action Object, §Failure Action Object). 1.1 action
 * `parameters` are "passed to a workflow as referenced by `workflowId`": on an action without one
 * they are ignored (`action-field-ignored`), and "The `in` field MUST NOT be used" on them
 * (`action-parameter-in`, which the 1.1 schema does not enforce).
 */
export const actionFields = {
  codes: {
    'action-field-ignored': 'warning',
    'action-target-conflict': 'error',
    'action-parameter-in': 'error',
  },
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
      const parameters = raw['parameters'];
      if (ctx.model.version === '1.1' && Array.isArray(parameters)) {
        if (raw['workflowId'] === undefined && parameters.length > 0)
          findings.push({
            code: 'action-field-ignored',
            message: `"parameters" is ignored on "${name}": they are the inputs of the workflow a workflowId names`,
            pointer: childPointer(object.pointer, 'parameters'),
          });
        for (const [index, parameter] of parameters.entries()) {
          if (!isDict(parameter) || parameter['in'] === undefined) continue;
          findings.push({
            code: 'action-parameter-in',
            message: `an action parameter names an input of workflow "${typeof raw['workflowId'] === 'string' ? raw['workflowId'] : '?'}": "in" must not be used`,
            pointer: childPointer(
              childPointer(childPointer(object.pointer, 'parameters'), index),
              'in',
            ),
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
} satisfies Rule;
