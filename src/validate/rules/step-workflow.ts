import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `workflow-not-found` / `source-not-found` for a step's `workflowId`: "The workflowId referencing
 * an existing workflow within the Arazzo Description"; a workflow of an `arazzo` source is named
 * `$sourceDescriptions.<name>.<workflowId>` (Arazzo 1.0.1 §Step Object).
 */
export const stepWorkflow = {
  codes: { 'workflow-not-found': 'error', 'source-not-found': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        const { target } = step;
        // Resolved by the model; undecided ones (a source that did not load) say so elsewhere.
        if (target.kind !== 'workflow' || target.status !== 'unknown' || !target.decided) continue;
        findings.push({ ...target.problem, pointer: childPointer(step.pointer, 'workflowId') });
      }
    }
    return findings;
  },
} satisfies Rule;
