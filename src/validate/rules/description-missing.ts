import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import { stringAt } from '../util.js';
import type { Rule } from './rule.js';

/**
 * `description-missing` (warning): `info`, every workflow and every step should say what it is
 * for (Spectral `arazzo-info-description`, `arazzo-workflow-description`,
 * `arazzo-step-description`). A `summary` is accepted in place of a workflow description.
 */
export const descriptionMissing = {
  codes: { 'description-missing': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    const info = ctx.model.data['info'];
    if (info !== undefined && !filled(stringAt(info, 'description'))) {
      findings.push({
        code: 'description-missing',
        message: 'info has no description of what these workflows do',
        pointer: '/info',
      });
    }
    for (const workflow of ctx.model.workflows) {
      if (
        !filled(stringAt(workflow.raw, 'description')) &&
        !filled(stringAt(workflow.raw, 'summary'))
      ) {
        findings.push({
          code: 'description-missing',
          message: `workflow "${workflow.id ?? workflow.index}" has no description or summary`,
          pointer: childPointer(workflow.pointer, 'workflowId'),
        });
      }
      for (const step of workflow.steps) {
        if (filled(stringAt(step.raw, 'description'))) continue;
        findings.push({
          code: 'description-missing',
          message: `step "${step.id ?? step.index}" has no description`,
          pointer: childPointer(step.pointer, 'stepId'),
        });
      }
    }
    return findings;
  },
} satisfies Rule;

function filled(text: string | undefined): boolean {
  return text !== undefined && text.trim() !== '';
}
