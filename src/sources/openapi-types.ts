/**
 * The parts of an OpenAPI 3.x / Swagger 2.0 description the engine reads, after
 * swagger-parser has dereferenced it (no `$ref` left). Loosely typed on purpose: these are
 * other people's documents, and every field is checked where it is used.
 */

export type HttpMethod =
  'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace' | 'query';
/** The Path Item fields that hold an Operation Object in every OpenAPI version. */
export const HTTP_METHODS: readonly HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/**
 * OAS 3.2 §Path Item Object adds the `query` field (the QUERY method) and `additionalOperations`,
 * "A map of additional operations on this path. The map key is the HTTP method with the same
 * capitalization that is to be sent in the request." Read only in 3.2 documents: an earlier
 * version has no such fields, and a `query` key there is not an operation.
 */
export const HTTP_METHODS_32: readonly HttpMethod[] = [...HTTP_METHODS, 'query'];
export const ADDITIONAL_OPERATIONS = 'additionalOperations';

/** `openapi: 3.2.x` (the version field decides, as for every OpenAPI version). */
export function isOpenApi32(document: { readonly openapi?: unknown }): boolean {
  return typeof document.openapi === 'string' && /^3\.2\.\d+/.test(document.openapi);
}

/** The Path Item fields that are operations in this document. */
export function fixedMethods(document: OpenApiDocument): readonly HttpMethod[] {
  return isOpenApi32(document) ? HTTP_METHODS_32 : HTTP_METHODS;
}

export interface OpenApiServer {
  readonly url: string;
  readonly variables?: Readonly<
    Record<string, { readonly default?: string; readonly enum?: readonly string[] }>
  >;
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'querystring' | 'header' | 'cookie' | 'body' | 'formData';
  readonly required?: boolean;
  readonly style?: string;
  readonly explode?: boolean;
  readonly schema?: unknown;
}

export interface OpenApiOperation {
  readonly operationId?: string;
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content?: Readonly<Record<string, unknown>>;
  };
  readonly responses?: Readonly<Record<string, unknown>>;
  readonly servers?: readonly OpenApiServer[];
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly consumes?: readonly string[];
}

export interface OpenApiPathItem {
  readonly parameters?: readonly OpenApiParameter[];
  readonly servers?: readonly OpenApiServer[];
  readonly [method: string]: unknown;
}

export interface OpenApiDocument {
  readonly openapi?: string;
  readonly swagger?: string;
  readonly servers?: readonly OpenApiServer[];
  readonly host?: string;
  readonly basePath?: string;
  readonly schemes?: readonly string[];
  readonly paths?: Readonly<Record<string, OpenApiPathItem>>;
  readonly components?: Readonly<Record<string, unknown>>;
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
}
