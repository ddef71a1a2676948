/**
 * The parts of an OpenAPI 3.x / Swagger 2.0 description the engine reads, after
 * swagger-parser has dereferenced it (no `$ref` left). Loosely typed on purpose: these are
 * other people's documents, and every field is checked where it is used.
 */

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
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

export interface OpenApiServer {
  readonly url: string;
  readonly variables?: Readonly<
    Record<string, { readonly default?: string; readonly enum?: readonly string[] }>
  >;
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie' | 'body' | 'formData';
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
