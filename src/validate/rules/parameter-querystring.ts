import type { ParameterModel } from '../../model/types.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `parameter-querystring-conflict`: "The `querystring` location cannot coexist with `query`
 * parameters in the same operation per OpenAPI constraints" (Arazzo 1.1 §Parameter Object), and
 * a `querystring` value is "the complete query string", so a step has at most one. Checked on
 * the step's effective parameters (its own, Reusable Objects resolved, and the workflow's it
 * inherits), which are what the request is built from. Located at the parameter that makes the
 * conflict, the step's own where it has one; a workflow parameter is reported once.
 */
export const parameterQuerystring = {
  codes: { 'parameter-querystring-conflict': 'error' },
  check(ctx) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    const report = (parameter: ParameterModel, message: string): void => {
      if (reported.has(parameter.pointer)) return;
      reported.add(parameter.pointer);
      findings.push({
        code: 'parameter-querystring-conflict',
        message,
        pointer: parameter.pointer,
      });
    };
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        if (step.target.kind !== 'operation') continue;
        const given = step.parameters.filter((p) => p.resolved && p.name !== undefined);
        const whole = given.filter((p) => p.in === 'querystring');
        const [first, ...others] = whole;
        if (first === undefined) continue;
        const label = `step "${step.id ?? step.index}"`;
        for (const other of others) {
          report(
            other,
            `${label} has two querystring parameters ("${first.name}" and "${other.name}"), but a request has one query string; keep one`,
          );
        }
        for (const query of given.filter((p) => p.in === 'query')) {
          // The step's own parameter is where the fix goes; an inherited one is the workflow's.
          const at = query.origin === 'step' || first.origin !== 'step' ? query : first;
          report(
            at,
            `${label}: querystring parameter "${first.name}" is the whole query string, so it cannot coexist with query parameter "${query.name}" (Arazzo 1.1 §Parameter Object); put "${query.name}" inside the querystring value`,
          );
        }
      }
    }
    return findings;
  },
} satisfies Rule;
