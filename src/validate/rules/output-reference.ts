import { didYouMean } from '../../sources/did-you-mean.js';
import {
  declaresName,
  sourceKind,
  resolveWorkflow,
  workflowOutputNames,
} from '../model/resolve.js';
import type { Finding } from '../types.js';
import { uses, viaSuffix } from './references.js';
import type { Rule } from './rule.js';

const AFTER_CALL = new Set(['step-outputs', 'step-criteria', 'action-criteria']);

/**
 * Workflow outputs and workflows referenced by expressions:
 * - `$workflows.<id>.…` names a workflow of this document (`workflow-not-found`);
 * - `$workflows.<id>.outputs.<name>` an output it declares (`workflow-output-not-found`);
 * - `$outputs.<name>` — after a step that calls a workflow (its outputs and criteria), an output
 *   of the called workflow; elsewhere an output of the current workflow (POSITIONS §4.2).
 */
export const outputReference = {
  codes: { 'workflow-not-found': 'error', 'workflow-output-not-found': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    const hasArazzoSources = ctx.model.sources.some(
      (source) => sourceKind(ctx, source) === 'arazzo' || sourceKind(ctx, source) === undefined,
    );
    for (const { expression, occurrence, site } of uses(ctx)) {
      const at = { pointer: occurrence.pointer, offset: occurrence.offset };
      const via = viaSuffix(site);
      if (expression.kind === 'workflows') {
        const workflow = ctx.model.workflowById.get(expression.workflowId);
        if (!workflow) {
          if (hasArazzoSources) continue; // may be a workflow run from another document
          const hint = didYouMean(expression.workflowId, [...ctx.model.workflowById.keys()]);
          findings.push({
            code: 'workflow-not-found',
            message: `${expression.text}: no workflow "${expression.workflowId}" in this document${hint}${via}`,
            ...at,
          });
          continue;
        }
        if (
          expression.field === 'outputs' &&
          !declaresName(workflow.outputNames, expression.name)
        ) {
          const hint = didYouMean(expression.name, [...workflow.outputNames]);
          findings.push({
            code: 'workflow-output-not-found',
            message: `${expression.text}: workflow "${expression.workflowId}" declares no output "${expression.name}"${hint}${via}`,
            ...at,
          });
        }
        continue;
      }
      if (
        expression.kind !== 'outputs' ||
        site.role === 'component' ||
        site.role === 'target' ||
        site.role === 'reference'
      )
        continue;
      const step = site.step;
      let names: ReadonlySet<string> | undefined;
      let owner: string;
      if (step?.target.kind === 'workflow' && AFTER_CALL.has(site.role)) {
        names = workflowOutputNames(resolveWorkflow(ctx, step.target.value));
        owner = `the called workflow "${step.target.value}"`;
      } else {
        names = site.workflow?.outputNames;
        owner = `workflow "${site.workflow?.id ?? site.workflow?.index ?? '?'}"`;
      }
      if (names === undefined || declaresName(names, expression.name)) continue;
      findings.push({
        code: 'workflow-output-not-found',
        message: `${expression.text}: ${owner} declares no output "${expression.name}"${didYouMean(expression.name, [...names])}${via}`,
        ...at,
      });
    }
    return findings;
  },
} satisfies Rule;
