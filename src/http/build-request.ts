import { ArazzoError } from '../errors.js';
import type { ParameterLocation } from '../document/types.js';
import type { ExchangeView } from '../expressions/context.js';
import { requestMethod, type OperationRef } from '../sources/operations.js';
import { unfetchedRefIn } from '../sources/unfetched-refs.js';
import type { SecurityAdditions } from './auth/types.js';
import { checkRequiredParameters, pathTemplateNames } from './check-required.js';
import { isJsonMediaType } from './media-type.js';
import {
  findDefinition,
  isIgnoredHeaderDefinition,
  isSwagger2,
  operationParameters,
  type ParameterDefinition,
} from './parameter-definitions.js';
import { encodeUnreserved } from './percent-encode.js';
import { applyReplacements, type Replacement } from './replacements.js';
import { declaredMediaTypes, encodingFor } from './request-body-fields.js';
import { asBytes, serializeBody, type EncodingObject } from './serialize-body.js';
import {
  isUndefinedValue,
  parameterViewText,
  serializationRule,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
} from './serialize-parameters.js';
import { serializeQuerystring } from './serialize-querystring.js';
import type { HttpRequest, RequestBody } from './types.js';

export interface EvaluatedParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly value: unknown;
}

export interface RequestPlan {
  readonly operation: OperationRef;
  readonly serverUrl: string;
  readonly parameters: readonly EvaluatedParameter[];
  readonly body?: {
    /** The step's `requestBody.contentType`; undefined → the operation's (see requestContentType). */
    readonly contentType: string | undefined;
    /** The evaluated payload; undefined when the step gives none. */
    readonly value: unknown;
    /**
     * Evaluated `replacements`, applied to `value` in order (JSON Pointer, or XPath for XML
     * bodies) before serializing. A caller that applied them itself leaves this out.
     */
    readonly replacements?: readonly Replacement[];
  };
  /** What authentication adds (applySecurity): step parameters of the same name win. */
  readonly security?: SecurityAdditions;
  /** Headers for every request (`--header`): authentication and step parameters win. */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /**
   * No description defines the operation (an `x-operation` URL, direct-operation.ts): its
   * parameters are all undefined by design, which is not worth a warning each.
   */
  readonly undescribed?: boolean;
}

export interface BuiltRequest {
  readonly request: HttpRequest;
  /** What `$url`, `$method` and `$request.*` read (Arazzo §Runtime Expressions). */
  readonly view: Omit<ExchangeView, 'response'>;
  /**
   * Things sent by a default rather than by the description: a parameter the operation does
   * not define, a style OpenAPI does not allow there. For the run's report; never fatal.
   */
  readonly warnings: readonly string[];
}

/**
 * Turns an operation and evaluated parameters into an HTTP request (Arazzo §Parameter Object;
 * OpenAPI parameter serialization and request bodies). Pure: no I/O, no clock.
 *
 * Header precedence, lowest first: `defaultHeaders`, authentication, step parameters, and the
 * body's Content-Type only where no header gives one. Throws `REQUEST_INVALID` for a required
 * parameter or body without a value, a header value with a line break, and a payload the media
 * type cannot carry.
 */
export function buildRequest(plan: RequestPlan): BuiltRequest {
  const { operation } = plan;
  const target = `${requestMethod(operation)} ${operation.path}`;
  refuseUnfetched(operation, target);
  const definitions = operationParameters(operation);
  const swagger2 = isSwagger2(operation.document);
  const warnings: string[] = [];
  const parameters = latestByKey(plan.parameters);

  let payload = plan.body?.value;
  const contentType =
    plan.body === undefined
      ? undefined
      : requestContentType(operation, plan.body.contentType, payload);
  if (plan.body?.replacements !== undefined && plan.body.replacements.length > 0) {
    payload = applyReplacements(payload, contentType, plan.body.replacements);
  }

  checkRequiredParameters({
    operation,
    parameters,
    definitions,
    body: payload,
    ...(plan.security === undefined ? {} : { security: plan.security }),
    ...(plan.defaultHeaders === undefined ? {} : { defaultHeaders: plan.defaultHeaders }),
  });

  // No prototype: a parameter named "__proto__" is a name like any other.
  const pathTexts: Record<string, string> = Object.create(null) as Record<string, string>;
  const pathView: Record<string, string> = {};
  const queryPairs: string[] = [];
  const queryNames = new Set<string>();
  let queryView: Record<string, string> = {};
  const stepHeaders: Record<string, string> = {};
  const cookiePairs: string[] = [];
  const cookieNames = new Set<string>();

  refuseQuerystringConflicts(parameters, target);

  for (const parameter of parameters) {
    const definition = usableDefinition(definitions, parameter, operation);
    const { name, value } = parameter;
    if (definition === undefined && parameter.in !== 'header' && plan.undescribed !== true) {
      warnings.push(
        `${target}: parameter "${name}" (in ${parameter.in}) is not defined by the operation; sent with the defaults for ${parameter.in}`,
      );
    }
    if (parameter.in === 'querystring') {
      // The whole query string (POSITIONS §11.6); refuseQuerystringConflicts left it alone.
      const serialized = serializeQuerystring(name, value, definition);
      if (serialized.text !== '') queryPairs.push(serialized.text);
      queryNames.add(name);
      queryView = { ...serialized.view };
      continue;
    }
    const { rule, warning } = serializationRule(parameter.in, definition, swagger2);
    if (warning !== undefined) warnings.push(`${target}: ${warning}`);
    switch (parameter.in) {
      case 'path':
        pathTexts[name] = serializePathParameter(name, value, rule);
        pathView[name] = parameterViewText(value);
        break;
      case 'query':
        queryPairs.push(...serializeQueryParameter(name, value, rule));
        queryNames.add(name);
        if (!isUndefinedValue(value)) queryView[name] = parameterViewText(value);
        break;
      case 'header':
        if (isUndefinedValue(value)) break;
        setHeader(stepHeaders, name, serializeHeaderParameter(value, rule));
        break;
      case 'cookie':
        cookiePairs.push(...serializeCookieParameter(name, value, rule));
        cookieNames.add(name);
        break;
    }
  }

  // Authentication adds what the step does not set itself.
  const security = plan.security;
  for (const [name, value] of security?.query ?? []) {
    if (queryNames.has(name)) continue;
    queryPairs.push(`${encodeUnreserved(name)}=${encodeUnreserved(value)}`);
    queryView[name] = value;
  }
  for (const [name, value] of security?.cookies ?? []) {
    if (!cookieNames.has(name)) cookiePairs.push(`${name}=${encodeUnreserved(value)}`);
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(plan.defaultHeaders ?? {}))
    setHeader(headers, name, value);
  for (const [name, value] of Object.entries(security?.headers ?? {}))
    setHeader(headers, name, value);
  for (const [name, value] of Object.entries(stepHeaders)) setHeader(headers, name, value);
  if (cookiePairs.length > 0) {
    const existing = headerName(headers, 'cookie');
    const written = existing === undefined ? undefined : headers[existing];
    setHeader(headers, existing ?? 'Cookie', [written, ...cookiePairs].filter(Boolean).join('; '));
  }

  const path = operation.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const text = pathTexts[name];
    if (text === undefined) {
      throw new ArazzoError(
        'REQUEST_INVALID',
        `required path parameter "${name}" of ${target} has no value`,
      );
    }
    return text;
  });
  // URL parsing removes "." and ".." segments (%2E included), which would send the request to
  // another path than the operation's: a value that makes one is refused.
  if (path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `a path parameter of ${target} makes a "." or ".." segment (${path}); refused, it would call another path`,
    );
  }
  for (const name of Object.keys(pathTexts)) {
    if (!pathTemplateNames(operation.path).includes(name)) {
      warnings.push(
        `${target}: path parameter "${name}" does not appear in the path template; not sent`,
      );
    }
  }
  // A path with a query of its own (an x-operation URL) gets the parameters after it.
  const joiner = path.includes('?') ? '&' : '?';
  const url = `${plan.serverUrl}${path}${queryPairs.length > 0 ? `${joiner}${queryPairs.join('&')}` : ''}`;

  let body: RequestBody | undefined;
  let bodyView: unknown;
  let viewContentType: string | undefined;
  if (payload !== undefined && contentType !== undefined) {
    const serialized = serializeBody(
      payload,
      contentType,
      bodyOptions(operation, contentType, definitions),
    );
    body = serialized.body;
    bodyView =
      isJsonMediaType(contentType) && typeof payload === 'string' ? JSON.parse(payload) : payload;
    const explicit = headerName(headers, 'content-type');
    if (serialized.contentType === undefined) {
      // FormData: undici writes `multipart/form-data; boundary=…`; a boundary-less header would break it.
      if (explicit !== undefined && !/boundary=/i.test(headers[explicit] ?? '')) {
        delete headers[explicit];
        warnings.push(
          `${target}: the Content-Type header was dropped: the multipart body sets its own boundary`,
        );
      }
      viewContentType = contentType;
    } else if (explicit === undefined) {
      headers['content-type'] = serialized.contentType;
    }
  }

  for (const [name, value] of Object.entries(headers)) checkHeader(name, value, target);

  const method = requestMethod(operation);
  const lowerHeaders: Record<string, string> = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  if (viewContentType !== undefined && lowerHeaders['content-type'] === undefined) {
    lowerHeaders['content-type'] = viewContentType;
  }
  return {
    request: body === undefined ? { method, url, headers } : { method, url, headers, body },
    view: {
      url,
      method,
      request: { headers: lowerHeaders, query: queryView, path: pathView, body: bodyView },
    },
    warnings,
  };
}

/**
 * The media type a body is sent as: the step's `contentType`, else the operation's
 * `requestBody.content` (Swagger 2.0: `consumes`) — one entry is used as is, among several the
 * JSON one, else the first (POSITIONS §7.3). A wildcard (`*\/*`, `application/*`) or no entry
 * at all: octet-stream for bytes, `text/plain` for a string that is not JSON text, else JSON.
 */
export function requestContentType(
  operation: OperationRef,
  explicit: string | undefined,
  value: unknown,
): string {
  if (explicit !== undefined && explicit !== '') return explicit;
  const chosen = declaredContentType(operation);
  if (chosen !== undefined) return chosen;
  if (asBytes(value) !== undefined) return 'application/octet-stream';
  if (typeof value === 'string' && !isJsonText(value)) return 'text/plain';
  return 'application/json';
}

/** The media type the operation declares for its body (a JSON one first); none for a wildcard. */
export function declaredContentType(operation: OperationRef): string | undefined {
  const declared = declaredMediaTypes(operation);
  const chosen = declared.find((type) => isJsonMediaType(type)) ?? declared[0];
  return chosen !== undefined && !chosen.includes('*') ? chosen : undefined;
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function bodyOptions(
  operation: OperationRef,
  contentType: string,
  definitions: readonly ParameterDefinition[],
): {
  encoding?: Readonly<Record<string, EncodingObject>>;
  formParameters?: readonly ParameterDefinition[];
} {
  const encoding = encodingFor(operation, contentType);
  const formParameters = definitions.filter((definition) => definition.in === 'formData');
  return {
    ...(encoding === undefined ? {} : { encoding }),
    ...(formParameters.length > 0 ? { formParameters } : {}),
  };
}

/**
 * "The `querystring` location cannot coexist with `query` parameters in the same operation"
 * (Arazzo 1.1 §Parameter Object), and there is one query string: validate reports both
 * (`parameter-querystring-conflict`); this refuses them for callers that did not validate.
 */
function refuseQuerystringConflicts(
  parameters: readonly EvaluatedParameter[],
  target: string,
): void {
  const whole = parameters.filter((parameter) => parameter.in === 'querystring');
  const [first, second] = whole;
  if (first === undefined) return;
  if (second !== undefined) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `${target}: querystring parameters "${first.name}" and "${second.name}" both give the whole query string; keep one`,
    );
  }
  const query = parameters.find((parameter) => parameter.in === 'query');
  if (query !== undefined) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `${target}: querystring parameter "${first.name}" is the whole query string, so query parameter "${query.name}" cannot be sent with it; put it inside the querystring value`,
    );
  }
}

/** The operation's definition for a step parameter, unless OpenAPI says to ignore it. */
function usableDefinition(
  definitions: readonly ParameterDefinition[],
  parameter: EvaluatedParameter,
  operation: OperationRef,
): ParameterDefinition | undefined {
  const definition = findDefinition(definitions, parameter.in, parameter.name);
  if (definition === undefined || isIgnoredHeaderDefinition(definition, operation.document))
    return undefined;
  return definition;
}

/** The last parameter for each (`in`, name) wins: the runtime's merge already says so. */
function latestByKey(parameters: readonly EvaluatedParameter[]): EvaluatedParameter[] {
  const byKey = new Map<string, EvaluatedParameter>();
  for (const parameter of parameters) {
    const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
    const key = `${parameter.in}\u0000${name}`;
    byKey.delete(key);
    byKey.set(key, parameter);
  }
  return [...byKey.values()];
}

/** Header names are case-insensitive: a later value replaces an earlier one of any case. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const existing = headerName(headers, name);
  if (existing !== undefined) delete headers[existing];
  headers[name] = value;
}

function headerName(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((existing) => existing.toLowerCase() === lower);
}

/** RFC 9110 §5.1 token (field names), §5.5 field values (no CR, LF or NUL). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function checkHeader(name: string, value: string, target: string): void {
  if (!TOKEN.test(name)) {
    throw new ArazzoError('REQUEST_INVALID', `${target}: "${name}" is not a valid header name`);
  }
  if (/[\r\n\0]/.test(value)) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `${target}: the value of header "${name}" contains a line break or NUL, which HTTP does not allow`,
    );
  }
}

/**
 * A description loaded with `remote: false` may hold `$ref`s it did not fetch
 * (unfetched-refs.ts): a parameter or body defined there is unknown, so no request is guessed.
 */
function refuseUnfetched(operation: OperationRef, target: string): void {
  const { pathItem, operation: op } = operation;
  const unfetched = unfetchedRefIn([pathItem.parameters, op.parameters, op.requestBody]);
  if (unfetched === undefined) return;
  throw new ArazzoError(
    'REQUEST_INVALID',
    `${target}: the description's $ref ${unfetched.ref} was not fetched (remote $refs are off), so the parameters or body it defines are unknown`,
  );
}
