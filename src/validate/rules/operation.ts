import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import { sourceKind, operationOf } from '../model/resolve.js';
import type { Rule } from './rule.js';

/**
 * Every `operationId` / `operationPath` designates an operation of an OpenAPI source (Arazzo
 * 1.0.1 §Step Object): `operation-not-found` (case-sensitive, with a "did you mean"),
 * `operation-id-ambiguous`, `source-not-found`, `operation-path-invalid` (checked without loading
 * anything), `operation-id-unqualified` ("If multiple (non arazzo type) sourceDescriptions are
 * defined, then the operationId MUST be specified using a Runtime Expression"), and
 * `operation-path-prefer-id` ("If the referenced operation has an operationId defined then the
 * operationId SHOULD be preferred over the operationPath").
 */
export const operation = {
  codes: {
    'operation-not-found': 'error',
    'operation-id-ambiguous': 'error',
    'source-not-found': 'error',
    'operation-path-invalid': 'error',
    'operation-id-unqualified': 'error',
    'operation-path-prefer-id': 'warning',
  },
  check(ctx) {
    const findings: Finding[] = [];
    const openapiSources = ctx.model.sources.filter(
      (source) => sourceKind(ctx, source) !== 'arazzo',
    );
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        const target = step.target;
        if (target.kind !== 'operation') continue;
        const resolution = operationOf(ctx, step);
        if (resolution.status === 'missing')
          findings.push({ ...resolution.problem, pointer: resolution.pointer });
        if (
          target.field === 'operationId' &&
          !target.value.startsWith('$') &&
          openapiSources.length > 1
        ) {
          const owner =
            resolution.status === 'resolved' ? resolution.operation.sourceName : undefined;
          const suggestion = owner === undefined ? '<name>' : owner;
          findings.push({
            code: 'operation-id-unqualified',
            message: `${openapiSources.length} OpenAPI sources are declared, so the operationId must name its source: $sourceDescriptions.${suggestion}.${target.value}`,
            pointer: childPointer(step.pointer, 'operationId'),
          });
        }
        if (target.field === 'operationPath' && resolution.status === 'resolved') {
          const id = resolution.operation.operation.operationId;
          if (id !== undefined) {
            findings.push({
              code: 'operation-path-prefer-id',
              message: `the operation has operationId "${id}"; prefer operationId: ${openapiSources.length > 1 ? `$sourceDescriptions.${resolution.operation.sourceName}.${id}` : id}`,
              pointer: childPointer(step.pointer, 'operationPath'),
            });
          }
        }
      }
    }
    return findings;
  },
} satisfies Rule;
