import { childPointer } from '../../errors.js';
import { resolveWorkflow } from '../model/resolve.js';
import type { Finding } from '../types.js';
import { arrayAt } from '../util.js';
import type { Rule } from './rule.js';

/**
 * `dependsOn`: "Each value provided MUST be a workflowId"; workflows of other documents are named
 * `$sourceDescriptions.<name>.<workflowId>` (Arazzo 1.0.1 §Workflow Object). Unknown entries are
 * `workflow-not-found` / `source-not-found`; a cycle among local workflows (which could never
 * start) is `depends-on-cycle`, reported once per cycle at the entry that closes it.
 */
export const dependsOn = {
  codes: {
    'workflow-not-found': 'error',
    'source-not-found': 'error',
    'depends-on-cycle': 'error',
  },
  check(ctx) {
    const findings: Finding[] = [];
    /** Local dependency edges: workflow index → [dependency index, pointer of the entry]. */
    const edges = new Map<number, [number, string][]>();
    for (const workflow of ctx.model.workflows) {
      const list: [number, string][] = [];
      edges.set(workflow.index, list);
      for (const [index, entry] of arrayAt(workflow.raw, 'dependsOn').entries()) {
        if (typeof entry !== 'string') continue;
        const pointer = childPointer(childPointer(workflow.pointer, 'dependsOn'), index);
        const resolution = resolveWorkflow(ctx, entry);
        if (resolution.status === 'missing') findings.push({ ...resolution.problem, pointer });
        if (resolution.status === 'local') list.push([resolution.workflow.index, pointer]);
      }
    }
    // Depth-first search; a back edge closes a cycle.
    const state = new Map<number, 'active' | 'done'>();
    const path: number[] = [];
    const ids = new Map(ctx.model.workflows.map((w) => [w.index, w.id ?? String(w.index)]));
    const visit = (node: number): void => {
      state.set(node, 'active');
      path.push(node);
      for (const [next, pointer] of edges.get(node) ?? []) {
        if (state.get(next) === 'active') {
          const cycle = [...path.slice(path.indexOf(next)), next].map((i) => ids.get(i) ?? '?');
          findings.push({
            code: 'depends-on-cycle',
            message: `dependsOn forms a cycle: ${cycle.join(' → ')}`,
            pointer,
          });
        } else if (!state.has(next)) {
          visit(next);
        }
      }
      path.pop();
      state.set(node, 'done');
    };
    for (const workflow of ctx.model.workflows)
      if (!state.has(workflow.index)) visit(workflow.index);
    return findings;
  },
} satisfies Rule;
