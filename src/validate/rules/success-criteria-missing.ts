import { childPointer } from '../../errors.js';
import type { StepModel } from '../model/context.js';
import { isAmbiguousReceive } from './receive-success-ambiguous.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `success-criteria-missing` (warning): without `successCriteria` the spec does not say when an
 * HTTP step succeeded; this runner then accepts any 2xx response (POSITIONS §6.3). Say what
 * success means, e.g. `condition: $statusCode == 200`.
 *
 * AsyncAPI steps (1.1 §Defining Success for Asynchronous Steps, POSITIONS §11.9): "For AsyncAPI
 * send operations, the step completes immediately after the message is sent", so a `send` step
 * needs none; "authors SHOULD define `successCriteria` for AsyncAPI receive steps", and "When
 * `successCriteria` is omitted, receiving any message matching the `correlationId` (if
 * specified) within the `timeout` period is considered a successful step completion". A receive
 * step whose operation or channel declares several message types gets `receive-success-ambiguous`
 * instead (one diagnostic per step).
 */
export const successCriteriaMissing = {
  codes: { 'success-criteria-missing': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        if (step.raw['successCriteria'] !== undefined) continue;
        // Several message types: receive-success-ambiguous says it instead, once.
        if (isAmbiguousReceive(ctx, step)) continue;
        const message = missingText(step);
        if (message === undefined) continue;
        findings.push({
          code: 'success-criteria-missing',
          message,
          pointer: childPointer(step.pointer, 'stepId'),
        });
      }
    }
    return findings;
  },
} satisfies Rule;

function missingText(step: StepModel): string | undefined {
  const label = `step "${step.id ?? step.index}"`;
  const { target } = step;
  if (target.kind === 'operation' || target.kind === 'url')
    return `${label} has no successCriteria; any 2xx response will count as success`;
  if (target.kind !== 'message' || target.action !== 'receive') return undefined;
  const matching = step.raw['correlationId'] === undefined ? '' : ' matching its correlationId';
  const within = step.raw['timeout'] === undefined ? '' : ' within its timeout';
  return `receive ${label} has no successCriteria; any message received${matching}${within} will count as success (authors SHOULD check the message, e.g. $message.payload, unless the channel has one message type that only means success)`;
}
