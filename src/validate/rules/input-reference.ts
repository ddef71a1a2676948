import { didYouMean } from '../../sources/did-you-mean.js';
import { memo, type RuleContext, type WorkflowModel } from '../model/context.js';
import { declaredInputs, declaresName, type DeclaredInputs } from '../model/resolve.js';
import type { Finding } from '../types.js';
import { uses, viaSuffix } from './references.js';
import type { Rule } from './rule.js';

/**
 * `input-not-declared`: `$inputs.<name>` must name an input the current workflow declares in its
 * `inputs` schema (`properties`, following `$ref` and `allOf`), and `$workflows.<id>.inputs.<name>`
 * one that workflow declares. A name with dots is declared when it or a dot-prefix is (`customer`
 * declares `$inputs.customer.firstName`). Schemas whose property names cannot be known
 * statically (`anyOf`, `oneOf`, `patternProperties`, no `properties`) are not checked.
 */
export const inputReference = {
  codes: { 'input-not-declared': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { expression, occurrence, site } of uses(ctx)) {
      let workflow: WorkflowModel | undefined;
      let name: string;
      if (expression.kind === 'inputs') {
        if (site.role === 'component' || site.role === 'target' || site.role === 'reference')
          continue;
        workflow = site.workflow;
        name = expression.name;
      } else if (expression.kind === 'workflows' && expression.field === 'inputs') {
        workflow = ctx.model.workflowById.get(expression.workflowId);
        name = expression.name;
      } else {
        continue;
      }
      if (!workflow) continue;
      const declared = inputsOf(ctx, workflow);
      if (declared.names === undefined || declaresName(declared.names, name)) continue;
      const label = `workflow "${workflow.id ?? workflow.index}"`;
      const message =
        workflow.raw['inputs'] === undefined
          ? `${expression.text}: ${label} declares no inputs`
          : `${expression.text}: ${label} declares no input "${name}"${didYouMean(name, [...declared.names])}`;
      findings.push({
        code: 'input-not-declared',
        message: `${message}${respectEnvHint(expression.kind, name)}${viaSuffix(site)}`,
        pointer: occurrence.pointer,
        offset: occurrence.offset,
      });
    }
    return findings;
  },
} satisfies Rule;

function inputsOf(ctx: RuleContext, workflow: WorkflowModel): DeclaredInputs {
  return memo(ctx, `inputs:${workflow.index}`, () => declaredInputs(ctx.model.data, workflow.raw));
}

/**
 * Redocly Respect reads `$inputs.env.NAME` from the environment (POSITIONS §12.3); in Arazzo it
 * is the input `env`, which the workflow does not declare.
 */
function respectEnvHint(kind: string, name: string): string {
  if (kind !== 'inputs' || !/^env\.[^.]+/.test(name)) return '';
  return `; Redocly Respect reads $inputs.env.* from the environment, arazzo run does not: declare an input and pass the variable to it (arazzo run --input name="$${name.slice(4)}")`;
}
