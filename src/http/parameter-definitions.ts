import type { OperationRef } from '../sources/operations.js';
import type { OpenApiDocument } from '../sources/openapi-types.js';
import { isRecord } from '../document/guards.js';

/**
 * A Parameter Object as the request side reads it: OAS 3.x fields (`style`, `explode`,
 * `allowReserved`, `content`) and Swagger 2.0 fields (`type`, `collectionFormat`). The
 * description is someone else's document: `operationParameters` keeps only fields of the right type.
 */
export interface ParameterDefinition {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  readonly content?: Readonly<Record<string, unknown>>;
  readonly schema?: unknown;
  /** Swagger 2.0 */
  readonly type?: string;
  /** Swagger 2.0: csv (default), ssv, tsv, pipes, multi. */
  readonly collectionFormat?: string;
}

export function isSwagger2(document: OpenApiDocument): boolean {
  return typeof document.swagger === 'string' && document.swagger.startsWith('2.');
}

/** The document's major.minor OpenAPI version family. */
export function openApiFamily(document: OpenApiDocument): 'swagger-2.0' | 'oas-3.0' | 'oas-3.1' {
  if (isSwagger2(document)) return 'swagger-2.0';
  return typeof document.openapi === 'string' && document.openapi.startsWith('3.0')
    ? 'oas-3.0'
    : 'oas-3.1';
}

/**
 * The operation's effective parameters: the path item's, overridden by the operation's own with
 * the same `name` and `in` (OAS §Operation Object `parameters`). Entries that are not objects
 * with a string `name` and `in` are skipped.
 */
export function operationParameters(operation: OperationRef): ParameterDefinition[] {
  const merged = new Map<string, ParameterDefinition>();
  const lists = [operation.pathItem.parameters, operation.operation.parameters];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const candidate of list as readonly unknown[]) {
      const definition = asDefinition(candidate);
      if (definition !== undefined)
        merged.set(definitionKey(definition.in, definition.name), definition);
    }
  }
  return [...merged.values()];
}

/** The definition for a step parameter, matching header names case-insensitively (RFC 9110). */
export function findDefinition(
  definitions: readonly ParameterDefinition[],
  location: string,
  name: string,
): ParameterDefinition | undefined {
  const key = definitionKey(location, name);
  return definitions.find((definition) => definitionKey(definition.in, definition.name) === key);
}

/**
 * OAS 3.x §Parameter Object: a header parameter named Accept, Content-Type or Authorization
 * "SHALL be ignored" (those come from content negotiation, the body and security schemes).
 */
export function isIgnoredHeaderDefinition(
  definition: ParameterDefinition,
  document: OpenApiDocument,
): boolean {
  return (
    !isSwagger2(document) &&
    definition.in === 'header' &&
    ['accept', 'content-type', 'authorization'].includes(definition.name.toLowerCase())
  );
}

function definitionKey(location: string, name: string): string {
  return `${location}\u0000${location === 'header' ? name.toLowerCase() : name}`;
}

/**
 * The definition with only the fields that have the type OpenAPI gives them: the description is
 * someone else's document, and a field of another type (`content: null`, `style: 7`) is treated
 * as absent rather than reaching the serializers.
 */
function asDefinition(value: unknown): ParameterDefinition | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { name, in: location, required, style, explode, allowReserved, content, schema } = record;
  const { type, collectionFormat } = record;
  if (typeof name !== 'string' || typeof location !== 'string') return undefined;
  return {
    name,
    in: location,
    ...(typeof required === 'boolean' ? { required } : {}),
    ...(typeof style === 'string' ? { style } : {}),
    ...(typeof explode === 'boolean' ? { explode } : {}),
    ...(typeof allowReserved === 'boolean' ? { allowReserved } : {}),
    ...(isRecord(content) ? { content } : {}),
    ...(schema === undefined ? {} : { schema }),
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof collectionFormat === 'string' ? { collectionFormat } : {}),
  };
}
