import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import { ID_PATTERN } from '../util.js';
import type { Rule } from './rule.js';

/**
 * `id-pattern` (warning): workflowId and stepId "SHOULD conform to the regular expression
 * `[A-Za-z0-9_\-]+`" (Arazzo 1.0.1 §Workflow Object, §Step Object; Spectral
 * `arazzo-workflow-workflowId`, `arazzo-step-stepId`). Ids outside it cannot be written in
 * `$steps.<id>` / `$workflows.<id>` expressions.
 */
export const idPattern = {
  codes: { 'id-pattern': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      if (workflow.id !== undefined && !ID_PATTERN.test(workflow.id)) {
        findings.push({
          code: 'id-pattern',
          message: `workflowId "${workflow.id}" should only use letters, digits, "_" and "-" (it cannot be referenced as $workflows.${workflow.id})`,
          pointer: childPointer(workflow.pointer, 'workflowId'),
        });
      }
      for (const step of workflow.steps) {
        if (step.id !== undefined && !ID_PATTERN.test(step.id)) {
          findings.push({
            code: 'id-pattern',
            message: `stepId "${step.id}" should only use letters, digits, "_" and "-" (it cannot be referenced as $steps.${step.id})`,
            pointer: childPointer(step.pointer, 'stepId'),
          });
        }
      }
    }
    return findings;
  },
} satisfies Rule;
