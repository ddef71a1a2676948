import type { Finding } from '../types.js';
import { uses, viaSuffix } from './references.js';
import type { Rule } from './rule.js';

const EXCHANGE = new Set(['url', 'method', 'statusCode', 'request', 'response']);
const BEFORE_REQUEST = new Set(['step-parameter', 'step-body', 'workflow-parameter']);

/**
 * `exchange-unavailable` (warning): `$url`, `$method`, `$statusCode`, `$request.*` and
 * `$response.*` describe the current step's HTTP exchange. Parameter values and the request body
 * are evaluated before that request exists, and workflow outputs after the workflow, where they
 * would read whichever exchange happened last (POSITIONS §4.2, §9 item 38).
 */
export const exchangeReference = {
  codes: { 'exchange-unavailable': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const { expression, occurrence, site } of uses(ctx)) {
      if (!EXCHANGE.has(expression.kind)) continue;
      let why: string | undefined;
      if (BEFORE_REQUEST.has(site.role))
        why = 'is evaluated before the step sends its request, so there is no exchange to read yet';
      else if (site.role === 'workflow-outputs')
        why =
          'in a workflow output reads whichever HTTP exchange happened last; map it through a step output instead';
      if (why === undefined) continue;
      findings.push({
        code: 'exchange-unavailable',
        message: `${expression.text} ${why}${viaSuffix(site)}`,
        pointer: occurrence.pointer,
        offset: occurrence.offset,
      });
    }
    return findings;
  },
} satisfies Rule;
