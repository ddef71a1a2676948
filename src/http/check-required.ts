/**
 * "A required operation parameter left unset is an error before sending." Required means: every
 * `{name}` of the path template; every parameter the operation (or its path item) marks
 * `required: true`; the request body when `requestBody.required` (Swagger 2.0: a required `in:
 * body` parameter, or required `in: formData` fields). A parameter counts as set when the step
 * gives it a value other than null/undefined, or when authentication (an apiKey) or a default
 * header (`--header`) supplies it. Header definitions OpenAPI says to ignore (Accept,
 * Content-Type, Authorization) are not checked.
 */
import { ArazzoError } from '../errors.js';
import { isParameterLocation } from '../document/types.js';
import { requestMethod, type OperationRef } from '../sources/operations.js';
import type { SecurityAdditions } from './auth/types.js';
import {
  isIgnoredHeaderDefinition,
  isSwagger2,
  operationParameters,
  type ParameterDefinition,
} from './parameter-definitions.js';

export interface RequiredCheckInput {
  readonly operation: OperationRef;
  readonly parameters: readonly {
    readonly name: string;
    readonly in: string;
    readonly value: unknown;
  }[];
  /** The payload after evaluation and replacements; undefined when the step gives none. */
  readonly body?: unknown;
  readonly security?: SecurityAdditions;
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /** The operation's parameters, when the caller already has them. */
  readonly definitions?: readonly ParameterDefinition[];
}

/** Throws `REQUEST_INVALID` naming the first required parameter or body that has no value. */
export function checkRequiredParameters(input: RequiredCheckInput): void {
  const { operation } = input;
  const target = `${requestMethod(operation)} ${operation.path}`;
  const definitions = input.definitions ?? operationParameters(operation);
  const supplied = suppliedKeys(input);

  const missing = (location: string, name: string): ArazzoError =>
    new ArazzoError(
      'REQUEST_INVALID',
      `required ${location} parameter "${name}" of ${target} has no value`,
    );

  for (const name of pathTemplateNames(operation.path)) {
    if (!supplied.has(key('path', name))) throw missing('path', name);
  }
  for (const definition of definitions) {
    if (definition.required !== true) continue;
    if (!isParameterLocation(definition.in)) continue;
    if (isIgnoredHeaderDefinition(definition, operation.document)) continue;
    if (!supplied.has(key(definition.in, definition.name)))
      throw missing(definition.in, definition.name);
  }

  const hasBody = input.body !== undefined;
  if (isSwagger2(operation.document)) {
    const bodyParameter = definitions.find((definition) => definition.in === 'body');
    if (bodyParameter?.required === true && !hasBody) {
      throw new ArazzoError(
        'REQUEST_INVALID',
        `the request body of ${target} is required, but the step gives no payload`,
      );
    }
    for (const field of definitions) {
      if (field.in !== 'formData' || field.required !== true) continue;
      const present =
        typeof input.body === 'object' &&
        input.body !== null &&
        (input.body as Record<string, unknown>)[field.name] !== undefined &&
        (input.body as Record<string, unknown>)[field.name] !== null;
      // A string body is already encoded: the step has taken the form into its own hands.
      if (!present && typeof input.body !== 'string' && !(input.body instanceof Uint8Array)) {
        throw new ArazzoError(
          'REQUEST_INVALID',
          `required form field "${field.name}" of ${target} has no value`,
        );
      }
    }
  } else if (operation.operation.requestBody?.required === true && !hasBody) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `the request body of ${target} is required, but the step gives no payload`,
    );
  }
}

/** The `{name}` expressions of a path template, in order. */
export function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

function suppliedKeys(input: RequiredCheckInput): Set<string> {
  const keys = new Set<string>();
  for (const parameter of input.parameters) {
    if (parameter.value !== undefined && parameter.value !== null)
      keys.add(key(parameter.in, parameter.name));
  }
  for (const name of Object.keys(input.security?.headers ?? {})) keys.add(key('header', name));
  for (const [name] of input.security?.query ?? []) keys.add(key('query', name));
  for (const [name] of input.security?.cookies ?? []) keys.add(key('cookie', name));
  for (const name of Object.keys(input.defaultHeaders ?? {})) keys.add(key('header', name));
  return keys;
}

function key(location: string, name: string): string {
  return `${location}\u0000${location === 'header' ? name.toLowerCase() : name}`;
}
