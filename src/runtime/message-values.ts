/**
 * What an AsyncAPI step's message is made of (message-step.ts; POSITIONS §11.11): the message a
 * send step publishes, the correlation values of a received one. Pure.
 */
import type { MessageView } from '../expressions/context.js';
import { applyReplacements } from '../http/replacements.js';
import type { IncomingMessage } from '../messaging/index.js';
import type { AsyncOperationRef } from '../sources/asyncapi-operation.js';
import type { CompiledStep } from './compile.js';
import type { OperationValues } from './evaluate-request.js';

/** What a send step publishes: headers from `in: header` parameters, the payload serialized. */
export function outgoing(
  step: CompiledStep,
  operation: AsyncOperationRef,
  values: OperationValues,
):
  | {
      text: string;
      headers: Record<string, string>;
      contentType: string | undefined;
      view: MessageView;
    }
  | { problem: string } {
  const headers: Record<string, string> = {};
  for (const parameter of values.parameters)
    if (parameter.in === 'header') headers[parameter.name] = text(parameter.value);
  const contentType =
    values.body?.contentType ??
    step.body?.contentType ??
    operation.messages.find((message) => message.contentType !== undefined)?.contentType;
  let payload: unknown = values.body?.value;
  try {
    const replacements = values.body?.replacements ?? [];
    if (replacements.length > 0) payload = applyReplacements(payload, contentType, replacements);
  } catch (error) {
    return { problem: `the payload could not be built: ${(error as Error).message}` };
  }
  // A string is sent as written (a template's JSON text included); anything else as JSON.
  const serialized =
    payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
  return { text: serialized, headers, contentType, view: { headers, payload } };
}

/** The correlation values of a received message: at each location its messages declare, else the transport's. */
export function correlationOf(operation: AsyncOperationRef, message: IncomingMessage): string[] {
  const locations = operation.messages.flatMap((m) =>
    m.correlation === undefined ? [] : [m.correlation],
  );
  if (locations.length === 0)
    return message.correlationId === undefined ? [] : [message.correlationId];
  const values: string[] = [];
  for (const location of locations) {
    let value: unknown;
    const [first, ...rest] = location.tokens;
    if (location.in === 'header') {
      const name = (first ?? '').toLowerCase();
      const key = Object.keys(message.headers).find((k) => k.toLowerCase() === name);
      value = key === undefined ? undefined : pointer(message.headers[key], rest);
    } else value = pointer(message.payload, location.tokens);
    if (value !== undefined && value !== null) values.push(text(value));
  }
  return values;
}

function pointer(value: unknown, tokens: readonly string[]): unknown {
  let current = value;
  for (const token of tokens) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, token))
      return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

/** A value as text: strings as they are, anything else as JSON. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
