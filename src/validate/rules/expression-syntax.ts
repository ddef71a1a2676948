import { compiledSites } from '../model/compiled.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Every runtime expression and criterion parses with the engine's own parsers, so what validates
 * is exactly what runs: `expression-invalid` (any `{expression}` field, value, template or the
 * expressions inside a condition), `condition-invalid` (simple condition grammar),
 * `regex-invalid` (ECMAScript, `u` flag), `jsonpath-invalid` (RFC 9535, or the declared
 * Goessner dialect), `xpath-invalid` — for conditions and for the selectors of 1.1 Selector
 * Objects — and `selector-invalid` (a JSON Pointer selector, or a payload Selector Object
 * without `context`, `selector` or a valid `type`). Positions point at the offending character.
 */
export const expressionSyntax = {
  codes: {
    'expression-invalid': 'error',
    'condition-invalid': 'error',
    'regex-invalid': 'error',
    'jsonpath-invalid': 'error',
    'xpath-invalid': 'error',
    'selector-invalid': 'error',
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const compiled of compiledSites(ctx)) {
      // A component used through a Reusable Object is reported once, at the component.
      if (compiled.site.via !== undefined) continue;
      for (const finding of compiled.findings)
        if (finding.severity !== 'warning') findings.push(finding);
    }
    return findings;
  },
} satisfies Rule;
