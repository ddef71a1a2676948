import { ArazzoError } from '../errors.js';
import type { ParameterLocation } from '../document/types.js';
import type { ExchangeView } from '../expressions/context.js';
import type { OperationRef } from '../sources/operations.js';
import { isJsonMediaType } from './parse-body.js';
import type { HttpRequest } from './types.js';

export interface EvaluatedParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly value: unknown;
}

export interface RequestPlan {
  readonly operation: OperationRef;
  readonly serverUrl: string;
  readonly parameters: readonly EvaluatedParameter[];
  readonly body?: { readonly contentType: string | undefined; readonly value: unknown };
}

export interface BuiltRequest {
  readonly request: HttpRequest;
  /** What `$url`, `$method` and `$request.*` read (Arazzo §Runtime Expressions). */
  readonly view: Omit<ExchangeView, 'response'>;
}

/**
 * Turns an operation and evaluated parameters into an HTTP request (Arazzo §Parameter Object:
 * path, query, header, cookie). Pure: no I/O, no clock.
 */
export function buildRequest(plan: RequestPlan): BuiltRequest {
  const { operation } = plan;
  const pathValues: Record<string, string> = {};
  const query = new URLSearchParams();
  const queryView: Record<string, string> = {};
  const headers: Record<string, string> = {};
  const cookies: string[] = [];

  for (const parameter of plan.parameters) {
    switch (parameter.in) {
      case 'path':
        pathValues[parameter.name] = scalarText(parameter);
        break;
      case 'query':
        for (const item of Array.isArray(parameter.value) ? parameter.value : [parameter.value]) {
          query.append(parameter.name, scalarText({ ...parameter, value: item }));
        }
        queryView[parameter.name] = scalarText(parameter);
        break;
      case 'header':
        setHeader(headers, parameter.name, scalarText(parameter));
        break;
      case 'cookie':
        cookies.push(`${parameter.name}=${encodeURIComponent(scalarText(parameter))}`);
        break;
    }
  }
  if (cookies.length > 0) setHeader(headers, 'Cookie', cookies.join('; '));

  const path = operation.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const value = pathValues[name];
    if (value === undefined) {
      throw new ArazzoError('REQUEST_INVALID', `path parameter "${name}" of ${operation.method.toUpperCase()} ${operation.path} has no value`);
    }
    return encodeURIComponent(value);
  });
  const search = query.toString();
  const url = `${plan.serverUrl}${path}${search ? `?${search}` : ''}`;

  let body: string | undefined;
  let bodyView: unknown;
  if (plan.body !== undefined) {
    const contentType = plan.body.contentType ?? defaultContentType(operation);
    body = serializeBody(plan.body.value, contentType);
    bodyView = plan.body.value;
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = contentType;
    }
  }

  const method = operation.method.toUpperCase();
  const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    request: body === undefined ? { method, url, headers } : { method, url, headers, body },
    view: { url, method, request: { headers: lowerHeaders, query: queryView, path: pathValues, body: bodyView } },
  };
}

/** Header names are case-insensitive: a later value replaces an earlier one of any case. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers)) {
    if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  }
  headers[name] = value;
}

function scalarText(parameter: EvaluatedParameter): string {
  const { value } = parameter;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map((item) => scalarText({ ...parameter, value: item })).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  throw new ArazzoError('REQUEST_INVALID', `parameter "${parameter.name}" (in ${parameter.in}) has no value`);
}

/** §Request Body Object: without `contentType`, the operation's media type (JSON preferred). */
function defaultContentType(operation: OperationRef): string {
  const types = Object.keys(operation.operation.requestBody?.content ?? {});
  return types.find((type) => isJsonMediaType(type)) ?? types[0] ?? operation.operation.consumes?.[0] ?? 'application/json';
}

/**
 * SPEC-NOTES §7.3: JSON media types take structured values as JSON and strings as JSON text
 * (templates); forms take objects as key/value pairs; other types take strings as they are.
 */
function serializeBody(value: unknown, contentType: string): string {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (typeof value === 'string') return value;
  if (isJsonMediaType(type)) return JSON.stringify(value);
  if (type === 'application/x-www-form-urlencoded' && typeof value === 'object' && value !== null) {
    const form = new URLSearchParams();
    for (const [key, item] of Object.entries(value)) {
      form.append(key, typeof item === 'string' ? item : JSON.stringify(item));
    }
    return form.toString();
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ArazzoError('REQUEST_INVALID', `cannot send a structured payload as ${contentType}; give the body as a string`);
}
