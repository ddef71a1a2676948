/**
 * Opt-in contract checks for AsyncAPI steps (`--check-responses`; POSITIONS §11.11): does a
 * message's payload match what its AsyncAPI message describes, as an HTTP response is checked
 * against its OpenAPI response (http/check-response.ts)? A send step's payload is checked as
 * built, before it is published; a receive step's, as it was received. The caller decides whether
 * an issue is a warning or (with `--strict`) a failure.
 *
 * - The payload matches when it validates against the payload schema of one of the operation's
 *   messages (AsyncAPI 3.0 §Operation Object `messages`: the messages it "can process"); a
 *   message without a payload schema admits any payload.
 * - Only JSON Schema is checked (sources/asyncapi-schema.ts): a message whose `schemaFormat` is
 *   Avro, RAML, OpenAPI or another format is `unchecked`, said as such, and never fails a step.
 * - Only a JSON payload (a JSON content type, or none: parsed as the transports parse it) is
 *   checked, as HTTP checks only JSON bodies; a payload that a JSON content type promises but
 *   that does not parse is a schema issue.
 *
 * Validators are compiled once per payload schema object and cached for the process (weakly).
 */
import { isJsonMediaType } from '../http/media-type.js';
import { compileJsonSchema, type CompiledSchema } from '../http/response-schema.js';
import type { AsyncOperationRef } from '../sources/asyncapi-operation.js';
import { messageSchema } from '../sources/asyncapi-schema.js';

export interface PayloadIssue {
  /** `schema`: the payload breaks the description; `unchecked`: it could not be judged. */
  readonly kind: 'schema' | 'unchecked';
  readonly message: string;
}

/** Schema errors listed in one issue before "…and N more" (as for HTTP responses). */
const MAX_SCHEMA_ERRORS = 5;

/**
 * `payload`: a received message's text, or the value a send step built (a string is sent as
 * written, so it is read as text too).
 */
export function checkPayload(
  operation: AsyncOperationRef,
  direction: 'sent' | 'received',
  payload: unknown,
  contentType: string | undefined,
): PayloadIssue[] {
  const { messages } = operation;
  // No message at all is validate's `message-unavailable`; a non-JSON payload is not checked.
  if (messages.length === 0) return [];
  if (contentType !== undefined && contentType !== '' && !isJsonMediaType(contentType)) return [];
  const target = `the payload ${direction} on channel "${operation.channelKey}"`;
  const value = jsonValue(payload, contentType);
  if ('invalid' in value)
    return [
      {
        kind: 'schema',
        message: `${target} is not valid JSON (content type ${contentType ?? ''})`,
      },
    ];
  const failures: string[] = [];
  const unchecked: string[] = [];
  for (const message of messages) {
    const declared = messageSchema(message.payloadSchema, message.schemaFormat);
    if (declared === undefined) return [];
    if (declared.kind === 'other') {
      unchecked.push(`message "${message.name}" (schemaFormat ${declared.format})`);
      continue;
    }
    const compiled = validatorFor(operation, declared.schema);
    if ('error' in compiled) {
      failures.push(
        `the payload schema of message "${message.name}" cannot be compiled: ${compiled.error}`,
      );
      continue;
    }
    const errors = compiled.validate(value.value);
    if (errors.length === 0) return [];
    const shown = errors.slice(0, MAX_SCHEMA_ERRORS).join('; ');
    const more =
      errors.length > MAX_SCHEMA_ERRORS ? `; …and ${errors.length - MAX_SCHEMA_ERRORS} more` : '';
    failures.push(`message "${message.name}": ${shown}${more}`);
  }
  // A message that could not be judged may be the one it is: no failure, only the note.
  if (unchecked.length > 0)
    return [
      {
        kind: 'unchecked',
        message: `${target} is not checked against ${unchecked.join(', ')}: only JSON Schema payloads are checked`,
      },
    ];
  const what =
    messages.length === 1
      ? 'does not match the payload schema of'
      : `matches none of the ${messages.length} messages' payload schemas:`;
  return [{ kind: 'schema', message: `${target} ${what} ${failures.join('; ')}` }];
}

/** The payload as JSON Schema sees it: text parsed when it is JSON (or may be, with no type). */
function jsonValue(
  payload: unknown,
  contentType: string | undefined,
): { readonly value: unknown } | { readonly invalid: true } {
  if (typeof payload !== 'string') return { value: payload };
  try {
    return { value: JSON.parse(payload) as unknown };
  } catch {
    // With no content type the text is the payload (messaging/payload.ts parsePayload).
    return contentType === undefined || contentType === '' ? { value: payload } : { invalid: true };
  }
}

type CachedValidator = CompiledSchema | { readonly error: string };

const validators = new WeakMap<object, CachedValidator>();

function validatorFor(operation: AsyncOperationRef, schema: unknown): CachedValidator {
  const key = typeof schema === 'object' && schema !== null ? schema : undefined;
  const cached = key === undefined ? undefined : validators.get(key);
  if (cached !== undefined) return cached;
  let compiled: CachedValidator;
  try {
    compiled = compileJsonSchema(schema, operation.document, 'json-schema-draft-07', 'payload');
  } catch (error) {
    compiled = { error: error instanceof Error ? error.message : String(error) };
  }
  if (key !== undefined) validators.set(key, compiled);
  return compiled;
}
