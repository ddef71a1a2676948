import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * 1.1 §Step Object `dependsOn`: "Each value provided MUST be a `stepId`" of the workflow, or
 * `$workflows.<workflowId>.steps.<stepId>` / `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>`
 * (`step-dependency-not-found`); steps that wait for each other, through `dependsOn` or output
 * references, can never run (`step-dependency-cycle`). The model finds both (step-order.ts).
 */
export const stepDependsOn = {
  codes: { 'step-dependency-not-found': 'error', 'step-dependency-cycle': 'error' },
  check(ctx) {
    return ctx.model.workflows.flatMap((workflow): Finding[] =>
      workflow.dependencyProblems.map((problem) => ({ ...problem })),
    );
  },
} satisfies Rule;
