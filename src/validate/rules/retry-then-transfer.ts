import type { ActionModel, StepModel } from '../../model/types.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `retry-then-transfer` (warning): "The `retryLimit` MUST be exhausted prior to executing
 * subsequent failure actions", and a `goto` is "A one-way transfer of workflow control"
 * (§Failure Action Object). So when a step's failure actions hold a `retry` and, after it, a
 * `goto` to a workflow, the retries used up fall through to the transfer, and the run's result
 * is that workflow's: the step's failure no longer fails the run (POSITIONS §6.7). Runners that
 * end the workflow once the retries are used up (Respect) fail there; the reader is told.
 * Reported once per `goto`, where it is written (a workflow's failure action serves every step).
 */
export const retryThenTransfer = {
  codes: { 'retry-then-transfer': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        const found = retryThenGoto(step.onFailure);
        if (found === undefined || reported.has(found.transfer.pointer)) continue;
        reported.add(found.transfer.pointer);
        findings.push(finding(step, found.retry, found.transfer));
      }
    }
    return findings;
  },
} satisfies Rule;

/** The first `retry` that can retry (limit above 0) followed by a `goto` to a workflow. */
function retryThenGoto(
  actions: readonly ActionModel[],
): { readonly retry: ActionModel; readonly transfer: ActionModel } | undefined {
  let retry: ActionModel | undefined;
  for (const action of actions) {
    if (action.type === 'retry' && action.retryLimit !== 0) retry ??= action;
    else if (retry && action.type === 'goto' && action.workflowId !== undefined)
      return { retry, transfer: action };
  }
  return undefined;
}

function finding(step: StepModel, retry: ActionModel, transfer: ActionModel): Finding {
  const whose =
    transfer.origin === 'workflow'
      ? `a step of workflow "${step.workflow.id ?? step.workflow.index}"`
      : `step "${step.id ?? step.index}"`;
  return {
    code: 'retry-then-transfer',
    message: `when the retries of "${retry.name ?? retry.index}" are used up, "${transfer.name ?? transfer.index}" transfers to workflow "${transfer.workflowId ?? ''}": the run's result becomes that workflow's, so ${whose} failing does not fail the run (some runners fail there)`,
    pointer: transfer.pointer,
  };
}
