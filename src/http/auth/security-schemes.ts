/**
 * Security schemes and requirements as the engine reads them, normalized across OAS 3.x
 * (`components.securitySchemes`, §Security Scheme Object) and Swagger 2.0
 * (`securityDefinitions`: `basic`, `apiKey`, `oauth2` with `flow: application`).
 */
import type { OperationRef } from '../../sources/operations.js';
import type { OpenApiDocument } from '../../sources/openapi-types.js';
import { isSwagger2 } from '../parameter-definitions.js';

export type SecurityScheme =
  | { readonly type: 'http'; readonly scheme: string }
  | { readonly type: 'apiKey'; readonly in: 'header' | 'query' | 'cookie'; readonly name: string }
  | {
      readonly type: 'oauth2';
      /** The client credentials flow's token URL (Swagger 2.0: `flow: application`), if any. */
      readonly tokenUrl?: string;
    }
  | { readonly type: 'openIdConnect' }
  | { readonly type: 'mutualTLS' }
  | { readonly type: 'unknown'; readonly description: string };

/** A Security Requirement Object: scheme name → scopes (all schemes together satisfy it). */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** The requirements for an operation: its own `security` overrides the document's; `[]` = none. */
export function securityRequirements(operation: OperationRef): readonly SecurityRequirement[] {
  const own = operation.operation.security;
  const list = Array.isArray(own) ? own : operation.document.security;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (requirement): requirement is SecurityRequirement =>
      typeof requirement === 'object' && requirement !== null && !Array.isArray(requirement),
  );
}

/** Every scheme the document defines, by name. */
export function securitySchemes(document: OpenApiDocument): Map<string, SecurityScheme> {
  const raw = isSwagger2(document)
    ? (document as { readonly securityDefinitions?: unknown }).securityDefinitions
    : document.components?.['securitySchemes'];
  const schemes = new Map<string, SecurityScheme>();
  if (typeof raw !== 'object' || raw === null) return schemes;
  for (const [name, definition] of Object.entries(raw as Record<string, unknown>)) {
    schemes.set(name, normalizeScheme(definition));
  }
  return schemes;
}

/** A Security Scheme Object as the engine reads it (also an inline `x-security` scheme). */
export function normalizeScheme(definition: unknown): SecurityScheme {
  if (typeof definition !== 'object' || definition === null) {
    return { type: 'unknown', description: 'not an object' };
  }
  const record = definition as Record<string, unknown>;
  const type = record['type'];
  switch (type) {
    case 'basic': // Swagger 2.0
      return { type: 'http', scheme: 'basic' };
    case 'http':
      return {
        type: 'http',
        scheme: typeof record['scheme'] === 'string' ? record['scheme'].toLowerCase() : '',
      };
    case 'apiKey': {
      const location = record['in'];
      const name = record['name'];
      if (
        (location === 'header' || location === 'query' || location === 'cookie') &&
        typeof name === 'string'
      ) {
        return { type: 'apiKey', in: location, name };
      }
      return { type: 'unknown', description: `apiKey in "${String(location)}"` };
    }
    case 'oauth2': {
      const flows = record['flows'] as Record<string, unknown> | undefined;
      const clientCredentials = flows?.['clientCredentials'] as Record<string, unknown> | undefined;
      const tokenUrl =
        clientCredentials?.['tokenUrl'] ??
        (record['flow'] === 'application' ? record['tokenUrl'] : undefined);
      return typeof tokenUrl === 'string' ? { type: 'oauth2', tokenUrl } : { type: 'oauth2' };
    }
    case 'openIdConnect':
      return { type: 'openIdConnect' };
    case 'mutualTLS':
      return { type: 'mutualTLS' };
    default:
      return { type: 'unknown', description: `type "${String(type)}"` };
  }
}

/** Scheme names and types, e.g. for `--help` or a "which credentials" hint. */
export function listSecuritySchemes(
  document: OpenApiDocument,
): { readonly name: string; readonly scheme: SecurityScheme }[] {
  return [...securitySchemes(document)].map(([name, scheme]) => ({ name, scheme }));
}
