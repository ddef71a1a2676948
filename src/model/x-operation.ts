/**
 * Redocly Respect's `x-operation` extension, read into the model (POSITIONS §12.2): a step with
 * none of operationId, operationPath, workflowId and `x-operation: { url, method }` calls that
 * URL with that method, outside any OpenAPI description. `url` may embed runtime expressions
 * (`{$inputs.baseUrl}/things/{id}`; `{id}` is filled by a path parameter).
 */
import { childPointer } from '../errors.js';
import { HTTP_METHODS } from '../sources/openapi-types.js';
import { compileValueAt, type PartContext } from './compile-parts.js';
import { isDict } from './guards.js';
import type { StepModel, StepTarget } from './types.js';

export const X_OPERATION = 'x-operation';

/** RFC 9110 §9.1: a method is a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

type UrlTarget = Extract<StepTarget, { kind: 'url' }>;

/** The step's `x-operation` target, or a problem (reported) when it is not `{ url, method }`. */
export function compileXOperation(
  step: StepModel,
  label: string,
  parts: PartContext,
): UrlTarget | { readonly problem: string } {
  const pointer = childPointer(step.pointer, X_OPERATION);
  const raw = step.raw[X_OPERATION];
  const fail = (problem: string): { problem: string } => {
    parts.problems.report('DOCUMENT_INVALID', problem, pointer);
    return { problem };
  };
  if (!isDict(raw)) return fail(`the x-operation of ${label} must be an object { url, method }`);
  const { url, method } = raw;
  if (typeof url !== 'string' || url === '')
    return fail(`the x-operation of ${label} needs a url (a string)`);
  if (typeof method !== 'string' || !TOKEN.test(method))
    return fail(`the x-operation of ${label} needs a method (GET, POST, …)`);
  // A literal URL can be checked now; one with expressions when it is evaluated.
  if (!url.includes('$') && !/^https?:\/\/[^/?#]/i.test(url))
    return fail(`the x-operation url of ${label} must be an absolute http(s) URL`);
  const known = (HTTP_METHODS as readonly string[]).includes(method.toLowerCase());
  return {
    status: 'resolved',
    kind: 'url',
    field: X_OPERATION,
    method: known ? method.toUpperCase() : method,
    url: compileValueAt(parts, url, childPointer(pointer, 'url')),
  };
}
