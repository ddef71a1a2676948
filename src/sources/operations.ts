import {
  ADDITIONAL_OPERATIONS,
  fixedMethods,
  HTTP_METHODS,
  isOpenApi32,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiPathItem,
} from './openapi-types.js';
import { isRecord } from '../document/guards.js';

/** One operation of an OpenAPI source, with everything needed to call it. */
export interface OperationRef {
  readonly sourceName: string;
  readonly sourceUrl: string;
  readonly document: OpenApiDocument;
  /** The path template, e.g. `/status/{kickoff_id}`. */
  readonly path: string;
  /**
   * The Path Item field (`get`, …, 3.2 `query`), or the key of an OAS 3.2 `additionalOperations`
   * entry as written (`LINK`); `requestMethod` gives the method to send.
   */
  readonly method: string;
  readonly pathItem: OpenApiPathItem;
  readonly operation: OpenApiOperation;
}

/**
 * The request method of an operation: a fixed field upper-cased (`get` → `GET`); an OAS 3.2
 * `additionalOperations` key as written ("with the same capitalization that is to be sent in
 * the request", OAS 3.2 §Path Item Object).
 */
export function requestMethod(ref: Pick<OperationRef, 'method'>): string {
  return (HTTP_METHODS as readonly string[]).includes(ref.method) || ref.method === 'query'
    ? ref.method.toUpperCase()
    : ref.method;
}

/** Every operation of a description keyed by `operationId` (operations without one are reachable by operationPath only). */
export function indexOperations(
  sourceName: string,
  sourceUrl: string,
  document: OpenApiDocument,
): Map<string, OperationRef> {
  const index = new Map<string, OperationRef>();
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    if (!isRecord(pathItem)) continue;
    for (const [method, operation] of pathOperations(document, pathItem)) {
      // An operationId that is not a string cannot be named by a step (and is not valid OpenAPI).
      if (typeof operation.operationId !== 'string') continue;
      index.set(operation.operationId, {
        sourceName,
        sourceUrl,
        document,
        path,
        method,
        pathItem,
        operation,
      });
    }
  }
  return index;
}

/** The operations of a path item, `[method, operation]`: fixed fields, then 3.2 `additionalOperations`. */
export function pathOperations(
  document: OpenApiDocument,
  pathItem: OpenApiPathItem,
): [string, OpenApiOperation][] {
  const found: [string, OpenApiOperation][] = [];
  for (const method of fixedMethods(document)) {
    const operation = pathItem[method];
    if (isRecord(operation)) found.push([method, operation]);
  }
  const additional = isOpenApi32(document) ? pathItem[ADDITIONAL_OPERATIONS] : undefined;
  if (isRecord(additional)) {
    for (const [method, operation] of Object.entries(additional)) {
      if (isRecord(operation)) found.push([method, operation]);
    }
  }
  return found;
}

/**
 * The operation at `/paths/<path>/<method>` (3.2 also `/paths/<path>/additionalOperations/<method>`),
 * or undefined if the pointer lands elsewhere.
 */
export function operationAt(
  sourceName: string,
  sourceUrl: string,
  document: OpenApiDocument,
  tokens: readonly string[],
): OperationRef | undefined {
  const [paths, path, field, ...rest] = tokens;
  if (paths !== 'paths' || path === undefined || field === undefined) return undefined;
  const pathItem = document.paths?.[path];
  if (!isRecord(pathItem)) return undefined;
  let method: string | undefined;
  let operation: unknown;
  if (rest.length === 0 && (fixedMethods(document) as readonly string[]).includes(field)) {
    method = field;
    operation = pathItem[field];
  } else if (field === ADDITIONAL_OPERATIONS && rest.length === 1 && isOpenApi32(document)) {
    method = rest[0];
    const additional = pathItem[ADDITIONAL_OPERATIONS];
    if (method !== undefined && isRecord(additional) && Object.hasOwn(additional, method))
      operation = additional[method];
  }
  if (method === undefined || !isRecord(operation)) return undefined;
  return {
    sourceName,
    sourceUrl,
    document,
    path,
    method,
    pathItem,
    operation,
  };
}
