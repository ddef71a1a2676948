import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Parameter `in`: "When the step in context specifies a workflowId, then all parameters map to
 * workflow inputs. In all other scenarios (e.g., a step specifies an operationId), the in field
 * MUST be specified" (Arazzo 1.0.1 §Parameter Object). The schema checks the step's own inline
 * parameters; this also covers inherited workflow parameters and component parameters
 * (`parameter-in-missing`), and notes an `in` that a workflow step ignores (`parameter-in-ignored`).
 */
export const parameterIn = {
  codes: { 'parameter-in-missing': 'error', 'parameter-in-ignored': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        const kind = step.target.kind;
        if (kind === 'none') continue;
        for (const parameter of step.parameters) {
          if (!parameter.resolved || parameter.name === undefined) continue;
          if (kind === 'workflow') {
            if (parameter.in !== undefined && parameter.origin === 'step') {
              findings.push({
                code: 'parameter-in-ignored',
                message: `"in: ${parameter.in}" is ignored: step "${step.id ?? step.index}" calls a workflow, so "${parameter.name}" is a workflow input`,
                pointer:
                  parameter.reference === undefined
                    ? childPointer(parameter.pointer, 'in')
                    : parameter.pointer,
              });
            }
            continue;
          }
          // Inline step parameters without `in` are reported by the schema.
          if (
            parameter.in !== undefined ||
            (parameter.origin === 'step' && parameter.reference === undefined)
          )
            continue;
          if (reported.has(parameter.pointer)) continue;
          reported.add(parameter.pointer);
          const source = parameter.reference ?? 'this workflow parameter';
          // 1.1 adds the `querystring` location (§Parameter Object `in`).
          const locations =
            ctx.model.version === '1.0'
              ? 'path, query, header or cookie'
              : 'path, query, querystring, header or cookie';
          findings.push({
            code: 'parameter-in-missing',
            message: `parameter "${parameter.name}" (${source}) has no "in", but step "${step.id ?? step.index}" calls an operation, which needs ${locations}`,
            pointer: parameter.pointer,
          });
        }
      }
    }
    return findings;
  },
} satisfies Rule;
