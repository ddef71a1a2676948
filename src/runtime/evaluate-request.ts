import type { ErrorCode } from '../errors.js';
import { isParameterLocation, type ParameterLocation } from '../document/types.js';
import type { RuntimeContext } from '../expressions/context.js';
import { evaluateValue, type Selections } from '../expressions/index.js';
import type { EvaluatedParameter, RequestPlan } from '../http/build-request.js';
import type { ExtensionCredential } from '../http/auth/x-security.js';
import type { CompiledParameter, CompiledStep, CompiledXSecurity } from './compile.js';
import { setOwn } from './own.js';

/** What an operation step's parameters and body evaluate to (server and security come later). */
export interface OperationValues {
  readonly kind: 'operation';
  readonly parameters: EvaluatedParameter[];
  readonly body: RequestPlan['body'];
  /** An `x-operation` step's URL, evaluated (POSITIONS §12.2). */
  readonly url?: string;
  /** The step's `x-security` entries with their values evaluated (POSITIONS §12.1). */
  readonly credentials: readonly ExtensionCredential[];
}

/** What a workflow step's parameters evaluate to: the callee's inputs, by name. */
export interface WorkflowValues {
  readonly kind: 'workflow';
  readonly inputs: Record<string, unknown>;
}

/** A value that could not be evaluated: the step fails with this, and sends nothing. */
export interface StepFailure {
  readonly kind: 'failure';
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * Evaluates a step's parameters (and an operation step's request body) in the context of the
 * steps before it. Pure. Both step kinds come here, so a parameter means the same in both:
 * one that is a single expression with no value (an optional input not given) is left out (the
 * request builder, or the callee's inputs check, still refuses a required one); any other
 * unresolved reference fails the step. A 1.1 Selector Object counts as a single expression;
 * `selections` holds what the step's selectors selected (RunResources.selections).
 */
export function evaluateRequest(
  step: CompiledStep,
  context: RuntimeContext,
  selections?: Selections,
): OperationValues | WorkflowValues | StepFailure {
  const { target } = step;
  if (target.kind === 'workflow') return workflowInputs(step.parameters, context, selections);
  const parameters = evaluateParameters(step.parameters, context, true, selections);
  if (!Array.isArray(parameters)) return parameters;
  const body = evaluateBody(step.body, context, selections);
  if (body !== undefined && 'kind' in body) return body;
  const credentials = evaluateCredentials(step.xSecurity ?? [], context, selections);
  if (!Array.isArray(credentials)) return credentials;
  const values = {
    kind: 'operation',
    parameters: parameters as EvaluatedParameter[],
    body,
    credentials,
  } as const;
  if (target.kind !== 'url') return values;
  const url = evaluateValue(target.url, context, selections);
  if (url.unresolved.length > 0)
    return failure(
      'VALUE_UNRESOLVED',
      `the x-operation url could not be evaluated: ${url.unresolved.join(', ')} has no value`,
    );
  if (typeof url.value !== 'string' || !/^https?:\/\/[^/?#]/i.test(url.value))
    return failure(
      'REQUEST_INVALID',
      'the x-operation url must evaluate to an absolute http(s) URL',
    );
  return { ...values, url: url.value };
}

/**
 * `x-security` values, evaluated as parameter values are; every one must have a value (a
 * credential that is not there is not sent as "undefined"). Numbers and booleans as text.
 */
function evaluateCredentials(
  entries: readonly CompiledXSecurity[],
  context: RuntimeContext,
  selections: Selections | undefined,
): ExtensionCredential[] | StepFailure {
  const credentials: ExtensionCredential[] = [];
  for (const { label, scheme, values } of entries) {
    const evaluated: Record<string, string> = {};
    for (const [name, compiled] of values) {
      const { value, unresolved } = evaluateValue(compiled, context, selections);
      if (
        unresolved.length > 0 ||
        value === undefined ||
        value === null ||
        typeof value === 'object'
      ) {
        const why =
          unresolved.length > 0
            ? `${unresolved.join(', ')} has no value`
            : value === undefined || value === null
              ? 'it has no value'
              : 'it is an object, not a string';
        return failure(
          'VALUE_UNRESOLVED',
          `x-security "${label}" value "${name}" could not be evaluated: ${why}`,
        );
      }
      setOwn(evaluated, name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    credentials.push({ label, scheme, values: evaluated });
  }
  return credentials;
}

/**
 * The inputs of a workflow that a step calls, or that a 1.1 `goto`/`retry` action with
 * `parameters` names (1.1 §Success Action Object: "A list of parameters that MUST be passed to a
 * workflow as referenced by `workflowId`"): every parameter maps to an input of the callee.
 */
export function workflowInputs(
  parameters: readonly CompiledParameter[],
  context: RuntimeContext,
  selections?: Selections,
): WorkflowValues | StepFailure {
  const values = evaluateParameters(parameters, context, false, selections);
  if (!Array.isArray(values)) return values;
  const inputs: Record<string, unknown> = {};
  for (const parameter of values) setOwn(inputs, parameter.name, parameter.value);
  return { kind: 'workflow', inputs };
}

function evaluateParameters(
  parameters: readonly CompiledParameter[],
  context: RuntimeContext,
  needsLocation: boolean,
  selections: Selections | undefined,
): { name: string; in: ParameterLocation | undefined; value: unknown }[] | StepFailure {
  const values = [];
  for (const parameter of parameters) {
    const { value, unresolved } = evaluateValue(parameter.value, context, selections);
    const { kind } = parameter.value;
    if (value === undefined && (kind === 'expression' || kind === 'selector')) continue;
    if (unresolved.length > 0) {
      return failure(
        'VALUE_UNRESOLVED',
        `parameter "${parameter.name}" could not be evaluated: ${unresolved.join(', ')} has no value`,
      );
    }
    // Arazzo §Parameter Object: `in` is required for operation steps (an unvalidated document
    // may have anything there).
    if (needsLocation && !isParameterLocation(parameter.in)) {
      return failure(
        'REQUEST_INVALID',
        `parameter "${parameter.name}" needs "in": path, query, querystring, header or cookie`,
      );
    }
    values.push({ name: parameter.name, in: parameter.in, value });
  }
  return values;
}

function evaluateBody(
  body: CompiledStep['body'],
  context: RuntimeContext,
  selections: Selections | undefined,
): RequestPlan['body'] | StepFailure {
  if (body === undefined) return undefined;
  let payload: unknown;
  if (body.payload !== undefined) {
    const evaluated = evaluateValue(body.payload, context, selections);
    if (evaluated.unresolved.length > 0) {
      return failure(
        'VALUE_UNRESOLVED',
        `request body could not be evaluated: ${evaluated.unresolved.join(', ')} has no value`,
      );
    }
    payload = evaluated.value;
  }
  const replacements = [];
  for (const replacement of body.replacements) {
    const evaluated = evaluateValue(replacement.value, context, selections);
    if (evaluated.unresolved.length > 0) {
      return failure(
        'VALUE_UNRESOLVED',
        `replacement ${replacement.target} could not be evaluated: ${evaluated.unresolved.join(', ')} has no value`,
      );
    }
    replacements.push({
      target: replacement.target,
      ...(replacement.targetType === undefined ? {} : { targetType: replacement.targetType }),
      value: evaluated.value,
    });
  }
  return { contentType: body.contentType, value: payload, replacements };
}

function failure(code: ErrorCode, message: string): StepFailure {
  return { kind: 'failure', code, message };
}
