/**
 * A request to a URL that no OpenAPI description describes (Respect's `x-operation`, POSITIONS
 * §12.2), in the form the request builder reads: an operation with no parameters, no body
 * definition and no security, in a description of its own. The builder then serializes the
 * step's parameters with the defaults for their location, as for any undescribed parameter.
 */
import { HTTP_METHODS, type OpenApiDocument } from '../sources/openapi-types.js';
import type { OperationRef } from '../sources/operations.js';

/** The described-by-nothing operation for `method url`, and the server URL to build it with. */
export function directOperation(
  url: string,
  method: string,
): { readonly operation: OperationRef; readonly serverUrl: string } {
  // The origin is the "server"; the rest (a `{name}` for a path parameter, a query) the path.
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)([^#]*)/i.exec(url);
  const serverUrl = match?.[1] ?? url;
  const rest = match?.[2] ?? '';
  const path = rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
  const lower = method.toLowerCase();
  const key =
    (HTTP_METHODS as readonly string[]).includes(lower) || lower === 'query' ? lower : method;
  const operation = { responses: {} };
  const pathItem = { [key]: operation };
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: 'x-operation', version: '0' },
    paths: { [path]: pathItem },
  } as unknown as OpenApiDocument;
  return {
    operation: { sourceName: '', sourceUrl: url, document, path, method: key, pathItem, operation },
    serverUrl,
  };
}
