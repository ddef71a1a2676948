import { childPointer } from '../../errors.js';
import { isRecord } from '../../document/guards.js';
import { asyncStepMessages, isExternalMessage, stepLabel } from '../model/async-messages.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `correlation-id-undeclared` (warning): a receive step has a `correlationId` but no message of
 * its operation or channel declares a `correlationId` (AsyncAPI 3.0 §Correlation ID Object), so
 * the document does not say where in a message the value is. 1.1 §Step Object `correlationId`:
 * it "has to be in-sync with correlationId defined in the AsyncAPI document". The runner then
 * compares it with the transport's own correlation property (POSITIONS §11.11): MQTT 5
 * correlation data, the AMQP `correlation-id`; NATS and WebSocket messages have none, so no
 * message matches there and the step waits until its timeout. Not reported when a message is an
 * external `$ref` (not followed, so not known).
 */
export const correlationIdUndeclared = {
  codes: { 'correlation-id-undeclared': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { step, action, sourceName, located, named } of asyncStepMessages(ctx)) {
      if (action !== 'receive' || step.raw['correlationId'] === undefined) continue;
      const { messages } = located;
      if (messages.length === 0 || messages.some(({ message }) => isExternalMessage(message)))
        continue;
      if (messages.some(({ message }) => isRecord(message['correlationId']))) continue;
      const which =
        messages.length === 1 ? 'its message' : `any of its ${messages.length} messages`;
      findings.push({
        code: 'correlation-id-undeclared',
        message: `${stepLabel(step)} has a correlationId, but ${named} of AsyncAPI source "${sourceName}" declares no correlationId in ${which}, so where a message carries it is not said: the runner compares it with the transport's own correlation property (MQTT 5 correlation data, AMQP correlation-id; NATS and WebSocket messages have none, so nothing matches there)`,
        pointer: childPointer(step.pointer, 'correlationId'),
      });
    }
    return findings;
  },
} satisfies Rule;
