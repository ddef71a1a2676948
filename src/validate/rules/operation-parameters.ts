import { childPointer } from '../../errors.js';
import type { OpenApiDocument, OpenApiOperation } from '../../sources/openapi-types.js';
import {
  operationParameters as definedParameters,
  type ParameterDefinition,
} from '../../http/parameter-definitions.js';
import { requestMethod, type OperationRef } from '../../sources/operations.js';
import type { RuleContext, StepModel } from '../model/context.js';
import { parameterKey } from '../../model/merge.js';
import type { ParameterModel } from '../../model/types.js';
import { declaredInputs, operationOf, resolveWorkflow, targetField } from '../model/resolve.js';
import type { Finding } from '../types.js';
import { listWords, type Dict } from '../util.js';
import type { Rule } from './rule.js';

/** OpenAPI 3: header parameters with these names "SHALL be ignored"; they are set otherwise. */
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * Parameters against what the step calls. For an operation: every required parameter (and every
 * path parameter) of the OpenAPI operation or its path item must be given
 * (`parameter-required-missing`), and a step parameter the operation does not define is
 * `parameter-unknown` (warning; headers the security schemes or HTTP set are exempt). For a
 * workflow step the parameters are the callee's inputs: its `required` inputs must be given and
 * undeclared ones are `parameter-unknown`.
 */
export const operationParameters = {
  codes: { 'parameter-required-missing': 'error', 'parameter-unknown': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        if (step.target.kind === 'none') continue;
        if (step.target.kind === 'workflow') {
          checkWorkflowStep(ctx, step, step.target.value, findings);
          continue;
        }
        const resolution = operationOf(ctx, step);
        if (resolution.status === 'resolved')
          checkOperationStep(step, resolution.operation, findings);
      }
    }
    return findings;
  },
} satisfies Rule;

function checkOperationStep(step: StepModel, ref: OperationRef, out: Finding[]): void {
  const defined = operationParametersOf(ref);
  const given = step.parameters;
  const givenKeys = new Set(given.filter((p) => p.resolved).map((p) => parameterKey(p)));
  const label = operationLabel(ref);
  const targetPointer = childPointer(step.pointer, targetField(step));
  for (const parameter of defined.values()) {
    const required = parameter.required === true || parameter.in === 'path';
    if (
      !required ||
      (parameter.in === 'header' && RESERVED_HEADERS.has(parameter.name.toLowerCase()))
    )
      continue;
    if (givenKeys.has(parameterKey(parameter))) continue;
    out.push({
      code: 'parameter-required-missing',
      message: `${label} requires the ${parameter.in} parameter "${parameter.name}", which step "${step.id ?? step.index}" does not provide`,
      pointer: targetPointer,
    });
  }
  const exempt = securityParameterKeys(ref.document, ref.operation);
  for (const parameter of given) {
    if (
      parameter.origin !== 'step' ||
      !parameter.resolved ||
      parameter.name === undefined ||
      parameter.in === undefined
    )
      continue;
    const key = parameterKey(parameter);
    if (defined.has(key) || exempt.has(key)) continue;
    if (parameter.in === 'header' && RESERVED_HEADERS.has(parameter.name.toLowerCase())) continue;
    const elsewhere = [...defined.values()].find((p) => p.name === parameter.name);
    const hint =
      elsewhere === undefined ? '' : ` (it defines "${parameter.name}" in ${elsewhere.in})`;
    out.push({
      code: 'parameter-unknown',
      message: `${label} defines no ${parameter.in} parameter "${parameter.name}"${hint}`,
      pointer: parameter.pointer,
    });
  }
}

function checkWorkflowStep(
  ctx: RuleContext,
  step: StepModel,
  target: string,
  out: Finding[],
): void {
  const resolution = resolveWorkflow(ctx, target);
  let inputs;
  if (resolution.status === 'local')
    inputs = declaredInputs(ctx.model.data, resolution.workflow.raw);
  else if (resolution.status === 'external')
    inputs = declaredInputs(resolution.document, resolution.workflow);
  else return;
  const given = step.parameters;
  const names = new Set(given.flatMap((p: ParameterModel) => p.name ?? []));
  const missing = [...new Set(inputs.required)].filter((name) => !names.has(name));
  if (missing.length > 0) {
    out.push({
      code: 'parameter-required-missing',
      message: `workflow "${target}" requires the input${missing.length > 1 ? 's' : ''} ${listWords(missing.map((n) => `"${n}"`))}, which step "${step.id ?? step.index}" does not provide as parameters`,
      pointer: childPointer(step.pointer, 'workflowId'),
    });
  }
  const declared = inputs.names;
  if (declared === undefined) return;
  for (const parameter of given) {
    if (parameter.origin !== 'step' || parameter.name === undefined || declared.has(parameter.name))
      continue;
    out.push({
      code: 'parameter-unknown',
      message: `workflow "${target}" declares no input "${parameter.name}"`,
      pointer: parameter.pointer,
    });
  }
}

/**
 * Path-item parameters overridden by operation parameters (OpenAPI), keyed like Arazzo
 * parameters: read as the request builder reads them (entries of the wrong type skipped), so
 * that validate and run agree on what the operation defines.
 */
function operationParametersOf(ref: OperationRef): Map<string, ParameterDefinition> {
  const out = new Map<string, ParameterDefinition>();
  for (const parameter of definedParameters(ref)) {
    if (parameter.in === 'body' || parameter.in === 'formData') continue;
    out.set(parameterKey(parameter), parameter);
  }
  return out;
}

/** apiKey security schemes that apply to the operation: their header/query/cookie is set by the caller. */
function securityParameterKeys(
  document: OpenApiDocument,
  operation: OpenApiOperation,
): Set<string> {
  const keys = new Set<string>();
  const requirements = operation.security ?? document.security ?? [];
  const schemes = {
    ...(((document.components as Dict | undefined)?.['securitySchemes'] ?? {}) as Dict),
    ...(((document as Dict)['securityDefinitions'] ?? {}) as Dict),
  };
  for (const requirement of requirements) {
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name] as { type?: unknown; in?: unknown; name?: unknown } | undefined;
      if (
        scheme?.type === 'apiKey' &&
        typeof scheme.in === 'string' &&
        typeof scheme.name === 'string'
      ) {
        keys.add(parameterKey({ name: scheme.name, in: scheme.in }));
      }
    }
  }
  return keys;
}

export function operationLabel(ref: OperationRef): string {
  const id = ref.operation.operationId;
  const route = `${requestMethod(ref)} ${ref.path}`;
  return id === undefined ? `operation ${route}` : `operation ${id} (${route})`;
}
