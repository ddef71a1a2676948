import {
  HTTP_METHODS,
  type HttpMethod,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiPathItem,
} from './openapi-types.js';

/** One operation of an OpenAPI source, with everything needed to call it. */
export interface OperationRef {
  readonly sourceName: string;
  readonly sourceUrl: string;
  readonly document: OpenApiDocument;
  /** The path template, e.g. `/status/{kickoff_id}`. */
  readonly path: string;
  readonly method: HttpMethod;
  readonly pathItem: OpenApiPathItem;
  readonly operation: OpenApiOperation;
}

/** Every operation of a description keyed by `operationId` (operations without one are reachable by operationPath only). */
export function indexOperations(
  sourceName: string,
  sourceUrl: string,
  document: OpenApiDocument,
): Map<string, OperationRef> {
  const index = new Map<string, OperationRef>();
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as OpenApiOperation | undefined;
      // An operationId that is not a string cannot be named by a step (and is not valid OpenAPI).
      if (typeof operation?.operationId !== 'string') continue;
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

/** The operation at `/paths/<path>/<method>`, or undefined if the pointer lands elsewhere. */
export function operationAt(
  sourceName: string,
  sourceUrl: string,
  document: OpenApiDocument,
  tokens: readonly string[],
): OperationRef | undefined {
  const [paths, path, method, ...rest] = tokens;
  if (paths !== 'paths' || path === undefined || method === undefined || rest.length > 0)
    return undefined;
  const pathItem = document.paths?.[path];
  if (!pathItem || !(HTTP_METHODS as readonly string[]).includes(method)) return undefined;
  const operation = pathItem[method] as OpenApiOperation | undefined;
  if (!operation) return undefined;
  return {
    sourceName,
    sourceUrl,
    document,
    path,
    method: method as HttpMethod,
    pathItem,
    operation,
  };
}
