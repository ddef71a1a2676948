/**
 * Opt-in contract checks (`--check-responses`): does a response match what the operation
 * describes? The caller decides whether an issue is a warning or (with `--strict`) a failure.
 *
 * - status: the code must be described exactly, by its range key (`1XX`–`5XX`, any case: OAS
 *   §Responses Object "explicit code … takes precedence over the range"), or by `default`;
 * - content type: a response with a body must carry a media type the matched response
 *   describes (exact, `type/*` or `*\/*`; Swagger 2.0: `produces`), and a response described
 *   without content must not have a body;
 * - schema: a JSON body must validate against the matched media type's schema (ajv; see
 *   response-schema.ts). Validators are compiled once per (operation, response key, media type)
 *   and cached for the life of the process (weakly, by operation object).
 *
 * An operation that describes no responses is not checked.
 */
import { requestMethod, type OperationRef } from '../sources/operations.js';
import { bestMediaRange, isJsonMediaType, mediaTypeOf } from './media-type.js';
import { isSwagger2 } from './parameter-definitions.js';
import { compileResponseSchema, type CompiledSchema } from './response-schema.js';
import type { HttpResponse } from './types.js';
import { isRecord } from '../document/guards.js';

export interface ContractIssue {
  readonly kind: 'status' | 'content-type' | 'schema';
  readonly message: string;
}

export type CheckedResponse = Pick<HttpResponse, 'statusCode' | 'headers' | 'body' | 'bodyText'>;

/** Schema errors listed in one issue before "…and N more". */
const MAX_SCHEMA_ERRORS = 5;

export function checkResponse(operation: OperationRef, response: CheckedResponse): ContractIssue[] {
  const responses = operation.operation.responses;
  if (!isRecord(responses) || Object.keys(responses).length === 0) return [];
  const target = `${requestMethod(operation)} ${operation.path}`;
  const key = responseKey(Object.keys(responses), response.statusCode);
  if (key === undefined) {
    return [
      {
        kind: 'status',
        message: `${target}: status ${response.statusCode} is not described (described: ${Object.keys(responses).join(', ')})`,
      },
    ];
  }
  const described = responses[key];
  if (!isRecord(described)) return [];
  const hasBody = response.bodyText !== '';
  if (!hasBody) return [];
  const actual = mediaTypeOf(response.headers['content-type']);
  const media = describedMedia(operation, described);
  const issues: ContractIssue[] = [];

  if (media === undefined) return issues;
  if (media.types.length === 0) {
    if (!isSwagger2(operation.document)) {
      issues.push({
        kind: 'content-type',
        message: `${target}: response ${key} is described without content, but status ${response.statusCode} came with a body${actual ? ` (${actual})` : ''}`,
      });
    }
    return issues;
  }
  const mediaKey = actual === '' ? undefined : bestMediaRange(actual, media.types);
  if (mediaKey === undefined) {
    issues.push({
      kind: 'content-type',
      message: `${target}: ${actual === '' ? 'the response has no Content-Type' : `content type ${actual} is not described`} for status ${response.statusCode} (described: ${media.types.join(', ')})`,
    });
    return issues;
  }

  const schema = media.schemaFor(mediaKey);
  if (schema === undefined || !isJsonMediaType(actual)) return issues;
  if (typeof response.body === 'string') {
    issues.push({
      kind: 'schema',
      message: `${target}: the ${actual} body of status ${response.statusCode} is not valid JSON`,
    });
    return issues;
  }
  const compiled = validatorFor(operation, key, mediaKey, schema);
  if ('error' in compiled) {
    issues.push({
      kind: 'schema',
      message: `${target}: the response schema for ${key} ${mediaKey} cannot be compiled: ${compiled.error}`,
    });
    return issues;
  }
  const errors = compiled.validate(response.body);
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_SCHEMA_ERRORS).join('; ');
    const more =
      errors.length > MAX_SCHEMA_ERRORS ? `; …and ${errors.length - MAX_SCHEMA_ERRORS} more` : '';
    issues.push({
      kind: 'schema',
      message: `${target}: the body of status ${response.statusCode} does not match the ${key} ${mediaKey} schema: ${shown}${more}`,
    });
  }
  return issues;
}

/** The Responses Object key that describes `status`: exact, then `NXX`, then `default`. */
export function responseKey(keys: readonly string[], status: number): string | undefined {
  const exact = keys.find((key) => key === String(status));
  if (exact !== undefined) return exact;
  const range = keys.find(
    (key) => /^[1-5]xx$/i.test(key) && key[0] === String(Math.floor(status / 100)),
  );
  if (range !== undefined) return range;
  return keys.find((key) => key === 'default');
}

interface DescribedMedia {
  readonly types: readonly string[];
  readonly schemaFor: (mediaKey: string) => unknown;
}

function describedMedia(
  operation: OperationRef,
  described: Record<string, unknown>,
): DescribedMedia | undefined {
  if (isSwagger2(operation.document)) {
    const schema = described['schema'];
    if (schema === undefined) return { types: [], schemaFor: () => undefined };
    const produces =
      (operation.operation as { readonly produces?: unknown }).produces ??
      (operation.document as { readonly produces?: unknown }).produces;
    // Without `produces` the media type is unknown: skip the content-type check, keep the schema.
    const types = Array.isArray(produces) && produces.length > 0 ? (produces as string[]) : ['*/*'];
    return { types, schemaFor: () => schema };
  }
  const content = described['content'];
  if (!isRecord(content)) return { types: [], schemaFor: () => undefined };
  return {
    types: Object.keys(content),
    schemaFor: (mediaKey) => {
      const mediaType = content[mediaKey];
      return isRecord(mediaType) ? mediaType['schema'] : undefined;
    },
  };
}

type CachedValidator = CompiledSchema | { readonly error: string };

const validators = new WeakMap<object, Map<string, CachedValidator>>();

function validatorFor(
  operation: OperationRef,
  key: string,
  mediaKey: string,
  schema: unknown,
): CachedValidator {
  let byOperation = validators.get(operation.operation);
  if (byOperation === undefined) {
    byOperation = new Map();
    validators.set(operation.operation, byOperation);
  }
  const cacheKey = `${key}\u0000${mediaKey}`;
  let cached = byOperation.get(cacheKey);
  if (cached === undefined) {
    try {
      cached = compileResponseSchema(schema, operation.document);
    } catch (error) {
      cached = { error: error instanceof Error ? error.message : String(error) };
    }
    byOperation.set(cacheKey, cached);
  }
  return cached;
}

/** How many validators have been compiled for an operation (tests prove the cache). */
export function compiledValidatorCount(operation: OperationRef): number {
  return validators.get(operation.operation)?.size ?? 0;
}
