import { childPointer } from '../../errors.js';
import { isRecord } from '../../document/guards.js';
import {
  parseCorrelationLocation,
  type AsyncMessageEntry,
  type CorrelationLocation,
} from '../../sources/asyncapi-operation.js';
import { messageSchema } from '../../sources/asyncapi-schema.js';
import { asyncStepMessages, isExternalMessage, stepLabel } from '../model/async-messages.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `correlation-location-invalid` (error): a message of an AsyncAPI step's operation or channel
 * has a `correlationId` whose `location` the runner cannot read (POSITIONS §11.9):
 *
 * - it is not a runtime expression `$message.header#/…` or `$message.payload#/…` (AsyncAPI 3.0
 *   §Correlation ID Object `location`, REQUIRED; §Runtime Expression). The runner refuses every
 *   step on that operation (sources/asyncapi-operation.ts), so each is reported, at its target.
 * - it points at a header or payload property the message's `headers` / `payload` schema does not
 *   declare: no message can carry it there, so a receive step with a `correlationId` never
 *   matches. Reported at that step's `correlationId`. Judged only where the schema tells: a JSON
 *   Schema with `properties` at each level (header names case-insensitively, as the runner
 *   matches them), no `patternProperties`, schema-valued `additionalProperties` or composition
 *   (`allOf`, `anyOf`, `oneOf`, `if`, a circular `$ref`); array items by index.
 */
export const correlationLocationInvalid = {
  codes: { 'correlation-location-invalid': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { step, located } of asyncStepMessages(ctx)) {
      const field = step.target.kind === 'message' ? step.target.field : undefined;
      const correlates =
        step.target.kind === 'message' &&
        step.target.action === 'receive' &&
        step.raw['correlationId'] !== undefined;
      for (const entry of located.messages) {
        const problem = locationProblem(entry);
        if (problem === undefined) continue;
        if (problem.parsed && !correlates) continue;
        findings.push({
          code: 'correlation-location-invalid',
          message: `${stepLabel(step)}: message "${entry.name}" of channel "${located.channelKey}": ${problem.message}`,
          pointer: childPointer(
            step.pointer,
            problem.parsed ? 'correlationId' : (field ?? 'stepId'),
          ),
        });
      }
    }
    return findings;
  },
} satisfies Rule;

function locationProblem(
  entry: AsyncMessageEntry,
): { readonly parsed: boolean; readonly message: string } | undefined {
  const { message } = entry;
  if (isExternalMessage(message)) return undefined;
  const correlation = message['correlationId'];
  if (!isRecord(correlation) || typeof correlation['$ref'] === 'string') return undefined;
  const location = correlation['location'];
  if (typeof location !== 'string')
    return {
      parsed: false,
      message: 'its correlationId has no location (a runtime expression, required)',
    };
  const parsed = parseCorrelationLocation(location);
  if (typeof parsed === 'string') return { parsed: false, message: parsed };
  const undeclared = undeclaredAt(message, parsed);
  return undeclared === undefined ? undefined : { parsed: true, message: undeclared };
}

/** Why the location points at nothing its schema declares, or undefined (declared, or unknown). */
function undeclaredAt(
  message: Readonly<Record<string, unknown>>,
  location: CorrelationLocation,
): string | undefined {
  const header = location.in === 'header';
  const declared = messageSchema(
    header ? message['headers'] : message['payload'],
    header || typeof message['schemaFormat'] !== 'string' ? undefined : message['schemaFormat'],
  );
  if (declared?.kind !== 'json-schema') return undefined;
  let schema = declared.schema;
  for (const [index, token] of location.tokens.entries()) {
    if (!isRecord(schema)) return undefined;
    const record = schema;
    if (OPEN.some((key) => Object.hasOwn(record, key))) return undefined;
    const properties = schema['properties'];
    if (isRecord(properties)) {
      const key =
        header && index === 0
          ? Object.keys(properties).find((name) => name.toLowerCase() === token.toLowerCase())
          : Object.hasOwn(properties, token)
            ? token
            : undefined;
      if (key !== undefined) {
        schema = properties[key];
        continue;
      }
      if (isRecord(schema['additionalProperties'])) return undefined;
      const path = location.tokens.slice(0, index + 1).join('/');
      const names = Object.keys(properties);
      const listed = names.length === 0 ? 'none' : names.slice(0, 10).join(', ');
      return `its correlationId location "${location.text}" points at the ${header ? 'header' : 'payload property'} "${path}", which its ${header ? 'headers' : 'payload'} schema does not declare (declared there: ${listed}), so no message carries it there`;
    }
    const items = schema['items'];
    if (isRecord(items) && /^(0|[1-9][0-9]*)$/.test(token)) {
      schema = items;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Keywords that can admit properties `properties` does not list: the schema cannot be judged. */
const OPEN = [
  '$ref',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'patternProperties',
  'dependencies',
  'dependentSchemas',
  'unevaluatedProperties',
];
