import { evaluateCriterion } from '../criteria/index.js';
import type { RuntimeContext } from '../expressions/context.js';
import type { CompiledAction } from './compile.js';

/**
 * Arazzo §Step Object onSuccess/onFailure: "the first sequential action matching the criteria
 * SHALL be the action executed"; an action without criteria always matches, and all of an
 * action's criteria must pass (§Success Action Object). `skip` lets exhausted retries fall
 * through to later actions (§Failure Action Object: "The retryLimit MUST be exhausted prior to
 * executing subsequent failure actions").
 */
export function selectAction(
  actions: readonly CompiledAction[],
  context: RuntimeContext,
  skip: (action: CompiledAction) => boolean = () => false,
): CompiledAction | undefined {
  return actions.find(
    (action) =>
      !skip(action) &&
      action.criteria.every((criterion) => evaluateCriterion(criterion, context).passed),
  );
}
