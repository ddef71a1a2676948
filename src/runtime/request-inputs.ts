import { isDeepStrictEqual } from 'node:util';
import type { SecurityAdditions } from '../http/auth/types.js';
import type { EvaluatedParameter, RequestPlan } from '../http/build-request.js';

/**
 * What a step's request is built from. `buildRequest` is pure, so equal inputs build the same
 * request: a poll (a step re-entered by goto) re-sends the request it built last time instead
 * of building it again.
 */
export interface RequestInputs {
  readonly serverUrl: string;
  readonly parameters: readonly EvaluatedParameter[];
  readonly body: RequestPlan['body'];
  readonly security: SecurityAdditions;
}

/**
 * Whether two evaluations of one step give the same inputs. The same step gives the same
 * parameter names and locations in the same order, so only values are compared: by identity
 * first (an input or a previous output is the same value again), structurally otherwise.
 */
export function sameRequestInputs(a: RequestInputs, b: RequestInputs): boolean {
  if (a.serverUrl !== b.serverUrl || a.parameters.length !== b.parameters.length) return false;
  for (let index = 0; index < a.parameters.length; index += 1) {
    const left = a.parameters[index];
    const right = b.parameters[index];
    if (left === undefined || right === undefined || left.name !== right.name) return false;
    if (left.in !== right.in || !sameValue(left.value, right.value)) return false;
  }
  return (
    sameValue(a.body, b.body) &&
    (a.security === b.security || isDeepStrictEqual(a.security, b.security))
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'object' && isDeepStrictEqual(a, b));
}
