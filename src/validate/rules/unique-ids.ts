import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `workflow-id-unique`, `step-id-unique`, `source-name-unique`: "The id MUST be unique amongst all
 * workflows described in the Arazzo Description", "The stepId MUST be unique amongst all steps
 * described in the workflow", "A unique name for the source description" (all case-sensitive).
 */
export const uniqueIds = {
  codes: {
    'workflow-id-unique': 'error',
    'step-id-unique': 'error',
    'source-name-unique': 'error',
  },
  check(ctx) {
    const findings: Finding[] = [];
    duplicates(
      ctx.model.sources.map((s) => ({ id: s.name, pointer: childPointer(s.pointer, 'name') })),
      (id, first) => ({
        code: 'source-name-unique',
        message: `source description name "${id}" is already used at ${first}`,
        pointer: '',
      }),
      findings,
    );
    duplicates(
      ctx.model.workflows.map((w) => ({
        id: w.id,
        pointer: childPointer(w.pointer, 'workflowId'),
      })),
      (id, first) => ({
        code: 'workflow-id-unique',
        message: `workflowId "${id}" is already used at ${first}`,
        pointer: '',
      }),
      findings,
    );
    for (const workflow of ctx.model.workflows) {
      duplicates(
        workflow.steps.map((s) => ({ id: s.id, pointer: childPointer(s.pointer, 'stepId') })),
        (id, first) => ({
          code: 'step-id-unique',
          message: `stepId "${id}" is already used in workflow "${workflow.id ?? workflow.index}" at ${first}`,
          pointer: '',
        }),
        findings,
      );
    }
    return findings;
  },
} satisfies Rule;

function duplicates(
  entries: readonly { id: string | undefined; pointer: string }[],
  make: (id: string, first: string) => Finding,
  out: Finding[],
): void {
  const seen = new Map<string, string>();
  for (const { id, pointer } of entries) {
    if (id === undefined) continue;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, pointer);
    else out.push({ ...make(id, first), pointer });
  }
}
