import { childPointer } from '../../errors.js';
import { localRef } from '../model/resolve.js';
import type { Finding } from '../types.js';
import { isDict } from '../util.js';
import type { Rule } from './rule.js';

/**
 * `inputs-ref-not-found`: a `$ref` in a workflow's `inputs` schema (or in `components.inputs`)
 * must resolve inside this document — "Input Objects MUST use standard JSON Schema referencing via
 * the `$ref` keyword" to `#/components/inputs/<name>` (Arazzo 1.0.1 §Reusable Object). References
 * to other files are not resolved by the runner.
 */
export const inputsRef = {
  codes: { 'inputs-ref-not-found': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    const visit = (node: unknown, pointer: string, depth: number): void => {
      if (depth > 64) return;
      if (Array.isArray(node)) {
        node.forEach((item, index) => visit(item, childPointer(pointer, index), depth + 1));
        return;
      }
      if (!isDict(node)) return;
      for (const [key, value] of Object.entries(node)) {
        const at = childPointer(pointer, key);
        if (key === '$ref' && typeof value === 'string') {
          if (!value.startsWith('#')) {
            findings.push({
              code: 'inputs-ref-not-found',
              message: `$ref "${value}" points outside this document; only local references (#/components/inputs/…) are resolved`,
              pointer: at,
            });
          } else if (localRef(ctx.model.data, value) === undefined) {
            findings.push({
              code: 'inputs-ref-not-found',
              message: `$ref "${value}" does not resolve in this document`,
              pointer: at,
            });
          }
        } else if (key !== 'const' && key !== 'enum' && key !== 'default' && key !== 'examples') {
          visit(value, at, depth + 1);
        }
      }
    };
    for (const workflow of ctx.model.workflows)
      visit(workflow.raw['inputs'], childPointer(workflow.pointer, 'inputs'), 0);
    visit(ctx.model.components.inputs, '/components/inputs', 0);
    return findings;
  },
} satisfies Rule;
