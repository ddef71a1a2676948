import { didYouMean } from '../../sources/did-you-mean.js';
import { canHaveRunBefore } from '../model/flow.js';
import { declaresName } from '../model/resolve.js';
import type { Finding } from '../types.js';
import { uses, viaSuffix } from './references.js';
import type { Rule } from './rule.js';

/**
 * `$steps.<stepId>.outputs.<name>` (Arazzo 1.0.1 §Runtime Expressions): the step must exist in
 * the same workflow — "Step outputs are not accessible outside the scope of a workflow"
 * (`step-not-found`); it must declare that output (`step-output-not-found`); and it must be able
 * to have run before the expression is evaluated (`step-not-run-before`): before a step's
 * parameters, body, successCriteria and outputs, a step that can precede it in some run (goto
 * and retry loops included); in a step's own action criteria, also that step itself. Workflow
 * outputs and workflow-level parameters/actions may read any step of the workflow.
 */
export const stepReference = {
  codes: {
    'step-not-found': 'error',
    'step-output-not-found': 'error',
    'step-not-run-before': 'error',
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { expression, occurrence, site } of uses(ctx)) {
      if (
        expression.kind !== 'steps' ||
        site.role === 'component' ||
        site.role === 'target' ||
        site.role === 'reference'
      )
        continue;
      const workflow = site.workflow;
      if (!workflow) continue;
      const at = { pointer: occurrence.pointer, offset: occurrence.offset };
      const via = viaSuffix(site);
      const label = `workflow "${workflow.id ?? workflow.index}"`;
      const target = workflow.stepById.get(expression.stepId);
      if (!target) {
        const elsewhere = ctx.model.workflows.find(
          (w) => w !== workflow && w.stepById.has(expression.stepId),
        );
        const hint = elsewhere
          ? ` (it is a step of workflow "${elsewhere.id ?? elsewhere.index}"; step outputs are only visible inside their workflow — map it to a workflow output and read $workflows.${elsewhere.id ?? '<id>'}.outputs.<name>)`
          : didYouMean(expression.stepId, [...workflow.stepById.keys()]);
        findings.push({
          code: 'step-not-found',
          message: `${expression.text}: ${label} has no step "${expression.stepId}"${hint}${via}`,
          ...at,
        });
        continue;
      }
      if (!declaresName(target.outputNames, expression.name)) {
        const declared = [...target.outputNames];
        const list =
          declared.length === 0
            ? 'it declares no outputs'
            : `it declares ${declared.map((n) => `"${n}"`).join(', ')}`;
        const hint = didYouMean(expression.name, declared);
        findings.push({
          code: 'step-output-not-found',
          message: `${expression.text}: step "${expression.stepId}" has no output "${expression.name}"${hint} (${list})${via}`,
          ...at,
        });
        continue;
      }
      const user = site.step;
      if (!user) continue; // workflow outputs, parameters and actions: any step of the workflow
      const inclusive = site.role === 'action-criteria';
      if (
        site.role === 'workflow-parameter' ||
        site.role === 'workflow-action-criteria' ||
        site.role === 'workflow-outputs'
      )
        continue;
      if (canHaveRunBefore(ctx, target, user, inclusive)) continue;
      const why =
        target === user
          ? `step "${user.id ?? user.index}" reads its own output before it has produced it`
          : `step "${expression.stepId}" cannot have run before step "${user.id ?? user.index}" (it comes later and no goto/retry leads back)`;
      findings.push({
        code: 'step-not-run-before',
        message: `${expression.text}: ${why}${via}`,
        ...at,
      });
    }
    return findings;
  },
} satisfies Rule;
