import { evaluateCriterion } from '../criteria/index.js';
import type { RuntimeContext } from '../expressions/context.js';
import type { CompiledAction } from './compile.js';

/**
 * Arazzo §Step Object onSuccess/onFailure: "the first sequential action matching the criteria
 * SHALL be the action executed"; an action without criteria always matches, and all of an
 * action's criteria must pass (§Success Action Object). A retry whose `retryLimit` (default 1)
 * is used up in `retriesUsed` is passed over, so exhausted retries fall through to later
 * actions (§Failure Action Object: "The retryLimit MUST be exhausted prior to executing
 * subsequent failure actions"). A promise, so that criteria evaluation may become asynchronous
 * (issue 21: bounded, in a worker) without touching its callers.
 */
export function selectAction(
  actions: readonly CompiledAction[],
  context: RuntimeContext,
  retriesUsed?: ReadonlyMap<string, number>,
): Promise<CompiledAction | undefined> {
  for (const action of actions) {
    if (action.type === 'retry' && (retriesUsed?.get(action.name) ?? 0) >= (action.retryLimit ?? 1))
      continue;
    if (matches(action, context)) return Promise.resolve(action);
  }
  return Promise.resolve(undefined);
}

function matches(action: CompiledAction, context: RuntimeContext): boolean {
  for (const criterion of action.criteria)
    if (!evaluateCriterion(criterion, context).passed) return false;
  return true;
}
