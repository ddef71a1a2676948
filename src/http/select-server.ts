import { ArazzoError } from '../errors.js';
import type { OperationRef } from '../sources/operations.js';
import type { OpenApiServer } from '../sources/openapi-types.js';
import { isRecord } from '../document/guards.js';

/**
 * The base URL an operation is called at. A user override for the operation's source wins
 * (`--server`); otherwise OpenAPI's precedence: operation `servers`, then path item, then
 * the document (OAS 3.x §Server Object), variables from `--server-var` or at their defaults.
 * Swagger 2.0 uses `schemes`/`host`/`basePath`. Relative server URLs resolve against the
 * description's URL.
 */
export function selectServer(
  operation: OperationRef,
  override: string | undefined,
  variables: Readonly<Record<string, string>> = {},
): string {
  if (override !== undefined) return trimSlash(override);
  const server =
    operation.operation.servers?.[0] ??
    operation.pathItem.servers?.[0] ??
    operation.document.servers?.[0];
  if (server)
    return trimSlash(
      absolute(substituteVariables(server, variables), operation.sourceUrl, operation.sourceName),
    );
  const { host, basePath = '', schemes } = operation.document;
  if (host) return trimSlash(`${schemes?.[0] ?? 'https'}://${host}${basePath}`);
  throw new ArazzoError(
    'SERVER_UNRESOLVED',
    `source "${operation.sourceName}" declares no servers; pass --server ${operation.sourceName}=<url>`,
  );
}

/**
 * OAS §Server Variable Object: a given value (checked against `enum`), else the default. The
 * names come from the URL template: own properties only, so `{toString}` is not filled from
 * Object.prototype.
 */
function substituteVariables(
  server: OpenApiServer,
  given: Readonly<Record<string, string>>,
): string {
  return server.url.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const variables: unknown = server.variables;
    const definition =
      isRecord(variables) && Object.hasOwn(variables, name)
        ? (variables[name] as { readonly default?: string; readonly enum?: readonly string[] })
        : undefined;
    const value = (Object.hasOwn(given, name) ? given[name] : undefined) ?? definition?.default;
    if (value === undefined) {
      throw new ArazzoError(
        'SERVER_UNRESOLVED',
        `server ${server.url} needs a value for {${name}}; pass --server-var ${name}=<value>`,
      );
    }
    if (Object.hasOwn(given, name) && definition?.enum && !definition.enum.includes(value)) {
      throw new ArazzoError(
        'SERVER_UNRESOLVED',
        `--server-var ${name}=${value} is not one of ${definition.enum.join(', ')} (server ${server.url})`,
      );
    }
    return value;
  });
}

function absolute(url: string, base: string, sourceName: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  if (!/^https?:/.test(base)) {
    throw new ArazzoError(
      'SERVER_UNRESOLVED',
      `source "${sourceName}" has the relative server URL "${url}" and is not served over http(s); pass --server ${sourceName}=<url>`,
    );
  }
  return new URL(url, base).href;
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
