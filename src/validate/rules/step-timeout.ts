import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `timeout-per-attempt` (warning): 1.1 §Step Object `timeout` is "The maximum number of
 * milli-seconds to wait for the step to complete", and a retried step completes only after its
 * last attempt; this runner bounds each attempt (POSITIONS §11.3). A step that has both a
 * timeout and a retry action can take longer than its timeout: the reader is told so.
 */
export const stepTimeout = {
  codes: { 'timeout-per-attempt': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        if (step.timeoutMs === undefined) continue;
        const retry = step.onFailure.find((action) => action.type === 'retry');
        if (!retry) continue;
        const limit = retry.retryLimit ?? 1;
        findings.push({
          code: 'timeout-per-attempt',
          message: `the timeout of step "${step.id ?? step.index}" bounds each attempt: with retry action "${retry.name ?? retry.index}" (up to ${limit} more attempts) the step can take ${limit + 1} × ${step.timeoutMs} ms plus its retry waits`,
          pointer: childPointer(step.pointer, 'timeout'),
        });
      }
    }
    return findings;
  },
} satisfies Rule;
