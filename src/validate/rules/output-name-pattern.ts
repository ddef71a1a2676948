import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import { dictAt, NAME_PATTERN } from '../util.js';
import type { Rule } from './rule.js';

/**
 * `output-name-pattern`: workflow and step output names "MUST use keys that match the regular
 * expression: `^[a-zA-Z0-9\.\-_]+$`" (Arazzo 1.0.1 §Workflow Object, §Step Object). The official
 * schema only applies its value rule to matching keys, so it lets other keys through.
 */
export const outputNamePattern = {
  codes: { 'output-name-pattern': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    const owners = ctx.model.workflows.flatMap((w) => [
      { raw: w.raw, pointer: w.pointer },
      ...w.steps,
    ]);
    for (const owner of owners) {
      for (const name of Object.keys(dictAt(owner.raw, 'outputs') ?? {})) {
        if (NAME_PATTERN.test(name)) continue;
        findings.push({
          code: 'output-name-pattern',
          message: `output name "${name}" must match ^[a-zA-Z0-9.\\-_]+$ (letters, digits, ".", "-", "_")`,
          pointer: childPointer(childPointer(owner.pointer, 'outputs'), name),
        });
      }
    }
    return findings;
  },
} satisfies Rule;
