import { childPointer } from '../../errors.js';
import { asyncStepMessages, stepLabel } from '../model/async-messages.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `message-unavailable` (error): an AsyncAPI step's operation or channel is found but declares no
 * message at all, so there is nothing to send and nothing a receive could match (POSITIONS
 * §11.9). AsyncAPI 3.0 §Operation Object `messages`: "A list of $ref pointers pointing to the
 * supported Message Objects that can be processed by this operation … If this property is not
 * present, the operation supports all the messages defined in the channel"; §Channel Object
 * `messages`: "A map of the messages that will be sent to this channel by any application at
 * any time". An empty list, or a channel without messages, leaves none. AsyncAPI 2.x: the
 * channel operation's `message`.
 */
export const messageUnavailable = {
  codes: { 'message-unavailable': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { step, action, sourceName, located, named } of asyncStepMessages(ctx)) {
      if (located.messages.length > 0) continue;
      const field = step.target.kind === 'message' ? step.target.field : undefined;
      const where =
        located.operationId === undefined
          ? 'declares no message'
          : `declares no message, nor does its channel "${located.channelKey}"`;
      const nothing = action === 'receive' ? 'nothing to receive' : 'nothing to send';
      findings.push({
        code: 'message-unavailable',
        message: `${stepLabel(step)}: ${named} of AsyncAPI source "${sourceName}" ${where}: there is ${nothing} (AsyncAPI 3.0 §Operation Object messages, §Channel Object messages)`,
        pointer: childPointer(step.pointer, field ?? 'stepId'),
      });
    }
    return findings;
  },
} satisfies Rule;
