import { childPointer } from '../../errors.js';
import type { RuleContext, StepModel } from '../model/context.js';
import { asyncStepMessages, stepLabel, stepMessagesOf } from '../model/async-messages.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `receive-success-ambiguous` (warning): a `receive` step without `successCriteria` on an
 * operation or channel that declares several message types. 1.1 §Defining Success for
 * Asynchronous Steps: "Because AsyncAPI channels MAY define multiple message types … authors
 * SHOULD define `successCriteria` for AsyncAPI receive steps"; they "MAY omit `successCriteria`
 * only when … The channel defines a single message type that unambiguously represents
 * successful completion". With several, any of them received counts as success. Such a step
 * gets this warning instead of `success-criteria-missing` (POSITIONS §11.9).
 */
export const receiveSuccessAmbiguous = {
  codes: { 'receive-success-ambiguous': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { step, located, named } of asyncStepMessages(ctx)) {
      if (!isAmbiguousReceive(ctx, step)) continue;
      const names = located.messages.map(({ name }) => name).join(', ');
      const matching = step.raw['correlationId'] === undefined ? '' : ' matching its correlationId';
      findings.push({
        code: 'receive-success-ambiguous',
        message: `receive ${stepLabel(step)} has no successCriteria, but ${named} declares ${located.messages.length} message types (${names}): any of them received${matching} counts as success; say which means success, e.g. a condition on $message.payload (1.1 §Defining Success for Asynchronous Steps)`,
        pointer: childPointer(step.pointer, 'stepId'),
      });
    }
    return findings;
  },
} satisfies Rule;

/** A receive step without successCriteria whose operation or channel has several messages. */
export function isAmbiguousReceive(ctx: RuleContext, step: StepModel): boolean {
  if (step.raw['successCriteria'] !== undefined) return false;
  const found = stepMessagesOf(ctx, step);
  return found?.action === 'receive' && found.located.messages.length > 1;
}
