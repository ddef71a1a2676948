import { childPointer } from '../../errors.js';
import type { OperationRef } from '../../sources/operations.js';
import { operationParameters } from '../../http/parameter-definitions.js';
import { declaredMediaTypes } from '../../http/request-body-fields.js';
import type { StepModel } from '../model/context.js';
import { operationOf, targetField } from '../model/resolve.js';
import type { Finding } from '../types.js';
import { dictAt, stringAt } from '../util.js';
import { operationLabel } from './operation-parameters.js';
import type { Rule } from './rule.js';

/**
 * The request body against the operation: a body the operation requires must be given
 * (`request-body-required-missing`); a body for an operation that takes none, or on a step that
 * calls a workflow, is `request-body-unexpected` (warning); a `contentType` the operation does not
 * accept is `request-body-content-type` (warning).
 */
export const requestBody = {
  codes: {
    'request-body-required-missing': 'error',
    'request-body-unexpected': 'warning',
    'request-body-content-type': 'warning',
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        const body = dictAt(step.raw, 'requestBody');
        if (step.target.kind === 'workflow') {
          if (body) {
            findings.push({
              code: 'request-body-unexpected',
              message: `requestBody is ignored: step "${step.id ?? step.index}" calls a workflow, not an operation`,
              pointer: childPointer(step.pointer, 'requestBody'),
            });
          }
          continue;
        }
        const contentType = stringAt(body, 'contentType');
        if (contentType !== undefined && mediaType(contentType) === undefined) {
          findings.push({
            code: 'request-body-content-type',
            message: `"${contentType}" is not a media type (type/subtype)`,
            pointer: childPointer(childPointer(step.pointer, 'requestBody'), 'contentType'),
          });
        }
        const resolution = operationOf(ctx, step);
        if (resolution.status === 'resolved') check(step, resolution.operation, findings);
      }
    }
    return findings;
  },
} satisfies Rule;

function check(step: StepModel, ref: OperationRef, out: Finding[]): void {
  const body = dictAt(step.raw, 'requestBody');
  const label = operationLabel(ref);
  const operation = ref.operation;
  // Read as the request builder reads them: fields of the wrong type are absent.
  const definitions = operationParameters(ref);
  const swaggerBody = definitions.find((p) => p.in === 'body' || p.in === 'formData');
  const accepts = operation.requestBody != null || swaggerBody !== undefined;
  const required =
    operation.requestBody?.required === true ||
    definitions.some((p) => p.in === 'body' && p.required === true);
  if (!body) {
    if (required) {
      out.push({
        code: 'request-body-required-missing',
        message: `${label} requires a request body, which step "${step.id ?? step.index}" does not provide`,
        pointer: childPointer(step.pointer, targetField(step)),
      });
    }
    return;
  }
  const pointer = childPointer(step.pointer, 'requestBody');
  if (!accepts) {
    out.push({
      code: 'request-body-unexpected',
      message: `${label} defines no request body`,
      pointer,
    });
    return;
  }
  const contentType = stringAt(body, 'contentType');
  if (contentType === undefined) return;
  const at = childPointer(pointer, 'contentType');
  const type = mediaType(contentType);
  if (type === undefined) return; // reported above
  const candidates = declaredMediaTypes(ref).map(
    (m) => m.split(';')[0]?.trim().toLowerCase() ?? '',
  );
  if (candidates.length === 0) return;
  const matches = candidates.some(
    (m) =>
      m === type.full || m === '*/*' || (m.endsWith('/*') && m.slice(0, -1) === `${type.type}/`),
  );
  if (!matches) {
    out.push({
      code: 'request-body-content-type',
      message: `${label} does not accept ${contentType} (it accepts ${candidates.join(', ')})`,
      pointer: at,
    });
  }
}

/** `type/subtype` (lower-cased, parameters dropped), or undefined when it is not one. */
function mediaType(
  contentType: string,
): { readonly full: string; readonly type: string } | undefined {
  const full = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const [type, subtype, ...extra] = full.split('/');
  if (!type || !subtype || extra.length > 0 || /\s/.test(full)) return undefined;
  return { full, type };
}
