import type { OperationRef } from '../sources/operations.js';
import { bestMediaRange } from './media-type.js';
import type { EncodingObject } from './serialize-body.js';
import { isRecord } from '../document/guards.js';

/*
 * The operation's request-body declarations as the request side reads them: OAS 3.x
 * `requestBody.content` with its Encoding Objects, Swagger 2.0 `consumes`. The description is
 * someone else's document, so a field of the wrong type (`content: null`, `consumes: 7`,
 * `encoding: {a: null}`) is treated as absent rather than reaching the serializers.
 */

/**
 * The media types the operation declares for its body: the keys of `requestBody.content`, else
 * the operation's `consumes`, else the document's (Swagger 2.0 §Operation Object `consumes`
 * "overrides the consumes definition at the Swagger Object").
 */
export function declaredMediaTypes(operation: OperationRef): string[] {
  const content = requestBodyContent(operation);
  if (content !== undefined && Object.keys(content).length > 0) return Object.keys(content);
  const own: unknown = operation.operation.consumes;
  const global: unknown = (operation.document as { readonly consumes?: unknown }).consumes;
  return stringsOf(Array.isArray(own) ? own : global);
}

/** The Encoding Objects of the `content` entry that best matches `contentType` (OAS 3.x). */
export function encodingFor(
  operation: OperationRef,
  contentType: string,
): Readonly<Record<string, EncodingObject>> | undefined {
  const content = requestBodyContent(operation);
  if (content === undefined) return undefined;
  const key = bestMediaRange(contentType, Object.keys(content));
  const mediaType = key === undefined ? undefined : content[key];
  const encoding = isRecord(mediaType) ? mediaType['encoding'] : undefined;
  if (!isRecord(encoding)) return undefined;
  // No prototype: a property named `__proto__` or `constructor` is a name like any other.
  const typed = Object.create(null) as Record<string, EncodingObject>;
  for (const [name, entry] of Object.entries(encoding)) {
    if (!isRecord(entry)) continue;
    const { contentType: type, style, explode, allowReserved } = entry;
    typed[name] = {
      ...(typeof type === 'string' ? { contentType: type } : {}),
      ...(typeof style === 'string' ? { style } : {}),
      ...(typeof explode === 'boolean' ? { explode } : {}),
      ...(typeof allowReserved === 'boolean' ? { allowReserved } : {}),
    };
  }
  return typed;
}

function requestBodyContent(
  operation: OperationRef,
): Readonly<Record<string, unknown>> | undefined {
  const body: unknown = operation.operation.requestBody;
  const content = isRecord(body) ? body['content'] : undefined;
  return isRecord(content) ? content : undefined;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
