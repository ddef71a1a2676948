import {
  evaluateCriterion,
  type CompiledCriterion,
  type CriterionResult,
} from '../criteria/index.js';
import type { RuntimeContext } from '../expressions/context.js';
import type { CompiledAction } from './compile.js';

/** How the run evaluates a criterion (within its bounds and the run's signal). */
export type CriterionEvaluator = (
  criterion: CompiledCriterion,
  context: RuntimeContext,
) => Promise<CriterionResult>;

const withDefaultBounds: CriterionEvaluator = (criterion, context) =>
  evaluateCriterion(criterion, context);

/**
 * Arazzo §Step Object onSuccess/onFailure: "the first sequential action matching the criteria
 * SHALL be the action executed"; an action without criteria always matches, and all of an
 * action's criteria must pass (§Success Action Object). A retry whose `retryLimit` (default 1)
 * is used up in `retriesUsed` is passed over, so exhausted retries fall through to later
 * actions (§Failure Action Object: "The retryLimit MUST be exhausted prior to executing
 * subsequent failure actions"). Criteria are evaluated by `evaluate`: the run's, within its
 * bounds and signal (issue 21: conditions are bounded, most in a worker).
 */
export async function selectAction(
  actions: readonly CompiledAction[],
  context: RuntimeContext,
  retriesUsed?: ReadonlyMap<string, number>,
  evaluate: CriterionEvaluator = withDefaultBounds,
): Promise<CompiledAction | undefined> {
  for (const action of actions) {
    if (action.type === 'retry' && (retriesUsed?.get(action.name) ?? 0) >= (action.retryLimit ?? 1))
      continue;
    if (await matches(action, context, evaluate)) return action;
  }
  return undefined;
}

async function matches(
  action: CompiledAction,
  context: RuntimeContext,
  evaluate: CriterionEvaluator,
): Promise<boolean> {
  for (const criterion of action.criteria)
    if (!(await evaluate(criterion, context)).passed) return false;
  return true;
}
