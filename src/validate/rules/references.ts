/** Shared by the reference rules: the expressions of every site, with their scope. */
import type { Expression } from '../../expressions/index.js';
import { memo, type RuleContext } from '../model/context.js';
import { compiledSites, type Occurrence } from '../model/compiled.js';
import type { Site } from '../model/sites.js';

export interface Use {
  readonly expression: Expression;
  readonly occurrence: Occurrence;
  readonly site: Site;
}

export function uses(ctx: RuleContext): readonly Use[] {
  return memo(ctx, 'uses', () => collectUses(ctx));
}

function collectUses(ctx: RuleContext): Use[] {
  const out: Use[] = [];
  for (const compiled of compiledSites(ctx)) {
    for (const occurrence of compiled.occurrences)
      out.push({ expression: occurrence.expression, occurrence, site: compiled.site });
  }
  return out;
}

/** ` (via $components.parameters.x in step "s")` for component sites checked in a user's scope. */
export function viaSuffix(site: Site): string {
  if (site.via === undefined) return '';
  const user = site.step
    ? `step "${site.step.id ?? site.step.index}"`
    : `workflow "${site.workflow?.id ?? site.workflow?.index ?? '?'}"`;
  return ` (used through ${site.via} by ${user})`;
}

export function workflowLabel(site: Site): string {
  return `workflow "${site.workflow?.id ?? site.workflow?.index ?? '?'}"`;
}
