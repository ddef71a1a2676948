import type { RuleContext } from '../model/context.js';
import type { Finding, Severity } from '../types.js';

/**
 * One check. `codes` lists every code the rule can report with its default severity (a finding
 * may override it); `check` is pure: it reads the context and returns findings.
 */
export interface Rule {
  readonly codes: Readonly<Record<string, Severity>>;
  readonly check: (ctx: RuleContext) => Finding[];
}
