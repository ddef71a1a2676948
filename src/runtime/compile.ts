import { ArazzoError, childPointer, type ErrorCode } from '../errors.js';
import {
  isReusable,
  type Criterion,
  type FailureAction,
  type Parameter,
  type ParameterLocation,
  type Reusable,
  type Step,
  type SuccessAction,
  type Workflow,
} from '../document/types.js';
import {
  compileValue,
  ExpressionError,
  parseExpression,
  type CompiledValue,
  type Expression,
} from '../expressions/index.js';
import { compileCriterion, CriterionError, type CompiledCriterion } from '../criteria/index.js';
import type { OperationRef } from '../sources/operations.js';
import { resolveOperationId, resolveOperationPath } from '../sources/resolve-operation.js';
import type { Dict } from '../model/guards.js';
import { mergeActions, mergeParameters, resolveEntry, type ReusableKind } from '../model/merge.js';
import type { DocumentScope } from './scope.js';

/**
 * A workflow prepared for execution: every expression and condition parsed once, every
 * operation resolved, every reusable object looked up. Running never parses again.
 */
export interface CompiledWorkflow {
  readonly workflow: Workflow;
  readonly scope: DocumentScope;
  readonly pointer: string;
  readonly steps: readonly CompiledStep[];
  readonly stepIndex: ReadonlyMap<string, number>;
  readonly outputs: readonly CompiledOutput[];
}

export interface CompiledOutput {
  readonly name: string;
  readonly expression: Expression;
}

export type StepTarget =
  | { readonly kind: 'operation'; readonly operation: OperationRef }
  | { readonly kind: 'workflow'; readonly workflowId: string };

export interface CompiledParameter {
  readonly name: string;
  readonly in: ParameterLocation | undefined;
  readonly value: CompiledValue;
}

export interface CompiledStep {
  readonly step: Step;
  readonly pointer: string;
  readonly target: StepTarget;
  readonly parameters: readonly CompiledParameter[];
  readonly body?: {
    readonly contentType: string | undefined;
    readonly payload: CompiledValue | undefined;
    readonly replacements: readonly { readonly target: string; readonly value: CompiledValue }[];
  };
  readonly successCriteria: readonly CompiledCriterion[];
  readonly outputs: readonly CompiledOutput[];
  readonly onSuccess: readonly CompiledAction[];
  readonly onFailure: readonly CompiledAction[];
}

export interface CompiledAction {
  readonly name: string;
  readonly type: 'end' | 'goto' | 'retry';
  readonly stepId?: string;
  readonly workflowId?: string;
  readonly retryAfter?: number;
  readonly retryLimit?: number;
  readonly criteria: readonly CompiledCriterion[];
}

export function compileWorkflow(scope: DocumentScope, workflowIndex: number): CompiledWorkflow {
  const workflow = scope.loaded.document.workflows[workflowIndex];
  if (!workflow) throw new Error(`no workflow at index ${workflowIndex}`);
  const pointer = childPointer('/workflows', workflowIndex);
  const at = (sub: string, ...tokens: (string | number)[]): Site => ({
    file: scope.loaded.file,
    pointer: tokens.reduce<string>((p, t) => childPointer(p, t), sub),
  });
  const steps = (workflow.steps ?? []).map((step, index) =>
    compileStep(scope, workflow, step, childPointer(childPointer(pointer, 'steps'), index), at),
  );
  const stepIndex = new Map(steps.map((compiled, index) => [compiled.step.stepId, index]));
  return {
    workflow,
    scope,
    pointer,
    steps,
    stepIndex,
    outputs: compileOutputs(workflow.outputs, {
      file: scope.loaded.file,
      pointer: childPointer(pointer, 'outputs'),
    }),
  };
}

interface Site {
  readonly file: string;
  readonly pointer: string;
}

function compileStep(
  scope: DocumentScope,
  workflow: Workflow,
  step: Step,
  pointer: string,
  at: (sub: string, ...tokens: (string | number)[]) => Site,
): CompiledStep {
  const here = (...tokens: (string | number)[]): Site => at(pointer, ...tokens);
  const target = compileTarget(scope, step, here);
  const parameters = mergeParameters(
    compileParameters(scope, step.parameters ?? [], here('parameters')),
    compileParameters(
      scope,
      workflow.parameters ?? [],
      at(pointer.replace(/\/steps\/\d+$/, ''), 'parameters'),
    ),
    target.kind === 'workflow',
  );
  const body = step.requestBody
    ? {
        contentType: step.requestBody.contentType,
        payload:
          step.requestBody.payload === undefined
            ? undefined
            : guard(
                () => compileValue(step.requestBody?.payload),
                here('requestBody', 'payload'),
                'EXPRESSION_INVALID',
              ),
        replacements: (step.requestBody.replacements ?? []).map((replacement, index) => ({
          target: replacement.target,
          value: guard(
            () => compileValue(replacement.value),
            here('requestBody', 'replacements', index, 'value'),
            'EXPRESSION_INVALID',
          ),
        })),
      }
    : undefined;
  const workflowPointer = pointer.replace(/\/steps\/\d+$/, '');
  return {
    step,
    pointer,
    target,
    parameters,
    ...(body === undefined ? {} : { body }),
    successCriteria: compileCriteria(step.successCriteria, here('successCriteria')),
    outputs: compileOutputs(step.outputs, here('outputs')),
    // SPEC-NOTES §6.4: step actions first, then workflow actions whose name the step does not override.
    onSuccess: mergeActions(
      compileActions(scope, step.onSuccess ?? [], 'successActions', here('onSuccess')),
      compileActions(
        scope,
        workflow.successActions ?? [],
        'successActions',
        at(workflowPointer, 'successActions'),
      ),
    ),
    onFailure: mergeActions(
      compileActions(scope, step.onFailure ?? [], 'failureActions', here('onFailure')),
      compileActions(
        scope,
        workflow.failureActions ?? [],
        'failureActions',
        at(workflowPointer, 'failureActions'),
      ),
    ),
  };
}

function compileTarget(
  scope: DocumentScope,
  step: Step,
  here: (...tokens: (string | number)[]) => Site,
): StepTarget {
  if (step.operationId !== undefined) {
    return {
      kind: 'operation',
      operation: guard(
        () => resolveOperationId(scope.sources, text(step.operationId, 'an operationId')),
        here('operationId'),
      ),
    };
  }
  if (step.operationPath !== undefined) {
    const operationPath = text(step.operationPath, 'an operationPath');
    return {
      kind: 'operation',
      operation: guard(
        () => resolveOperationPath(scope.sources, operationPath),
        here('operationPath'),
      ),
    };
  }
  if (step.workflowId !== undefined) return { kind: 'workflow', workflowId: step.workflowId };
  throw located(
    'DOCUMENT_INVALID',
    `step "${step.stepId}" has none of operationId, operationPath, workflowId`,
    here(),
  );
}

function compileParameters(
  scope: DocumentScope,
  list: readonly (Parameter | Reusable)[],
  site: Site,
): CompiledParameter[] {
  return list.map((entry, index) => {
    const entrySite = { file: site.file, pointer: childPointer(site.pointer, index) };
    const parameter = isReusable(entry)
      ? resolveReusable<Parameter>(scope, entry, 'parameters', entrySite)
      : entry;
    const raw = isReusable(entry) && entry.value !== undefined ? entry.value : parameter.value;
    return {
      name: text(parameter.name, 'a parameter name'),
      in: parameter.in,
      value: guard(
        () => compileValue(raw),
        { file: site.file, pointer: childPointer(entrySite.pointer, 'value') },
        'EXPRESSION_INVALID',
      ),
    };
  });
}

function compileActions(
  scope: DocumentScope,
  list: readonly (SuccessAction | FailureAction | Reusable)[],
  kind: 'successActions' | 'failureActions',
  site: Site,
): CompiledAction[] {
  return list.map((entry, index) => {
    const entrySite = { file: site.file, pointer: childPointer(site.pointer, index) };
    const action = isReusable(entry)
      ? resolveReusable<FailureAction>(scope, entry, kind, entrySite)
      : (entry as FailureAction);
    return {
      name: action.name,
      type: action.type,
      ...(action.stepId === undefined ? {} : { stepId: action.stepId }),
      ...(action.workflowId === undefined ? {} : { workflowId: action.workflowId }),
      ...(action.retryAfter === undefined ? {} : { retryAfter: action.retryAfter }),
      ...(action.retryLimit === undefined ? {} : { retryLimit: action.retryLimit }),
      criteria: compileCriteria(action.criteria, {
        file: site.file,
        pointer: childPointer(entrySite.pointer, 'criteria'),
      }),
    };
  });
}

/** Arazzo §Reusable Object: `$components.<kind>.<name>` in the current document (model/merge.ts). */
function resolveReusable<T>(
  scope: DocumentScope,
  reusable: Reusable,
  kind: ReusableKind,
  site: Site,
): T {
  const entry = resolveEntry(reusable as unknown as Dict, kind, scope.components);
  if (entry.status === 'unresolved') {
    throw located(
      'DOCUMENT_INVALID',
      `reference ${String(reusable.reference)} does not name a component in $components.${kind}`,
      {
        file: site.file,
        pointer: childPointer(site.pointer, 'reference'),
      },
    );
  }
  return entry.object as T;
}

function compileCriteria(list: readonly Criterion[] | undefined, site: Site): CompiledCriterion[] {
  return (list ?? []).map((criterion, index) =>
    guard(
      () => compileCriterion(criterion),
      { file: site.file, pointer: childPointer(childPointer(site.pointer, index), 'condition') },
      'CRITERION_INVALID',
    ),
  );
}

function compileOutputs(
  outputs: Readonly<Record<string, string>> | undefined,
  site: Site,
): CompiledOutput[] {
  return Object.entries(outputs ?? {}).map(([name, text]) => ({
    name,
    expression: guard(
      () => parseExpression(text),
      { file: site.file, pointer: childPointer(site.pointer, name) },
      'EXPRESSION_INVALID',
    ),
  }));
}

/**
 * A field the schema requires to be a string. Anything else is a document of the wrong shape:
 * the TypeError reaches Runner.compiled, which names the place from the schema.
 */
function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} is not a string`);
  return value;
}

/** Runs a compile step and turns whatever it throws into an `ArazzoError` located at `site`. */
function guard<T>(fn: () => T, site: Site, code?: ErrorCode): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ArazzoError) {
      throw error.location
        ? error
        : new ArazzoError(error.code, error.message, { location: site, cause: error });
    }
    // Anything but a grammar error is a document of the wrong shape (a number for a name, a
    // list that is not a list), which only the schema can name: Runner.compiled turns it into
    // a schema finding (compile-failure.ts).
    if (!(error instanceof ExpressionError || error instanceof CriterionError)) throw error;
    throw located(
      code ?? 'DOCUMENT_INVALID',
      error instanceof Error ? error.message : String(error),
      site,
      error,
    );
  }
}

function located(code: ErrorCode, message: string, site: Site, cause?: unknown): ArazzoError {
  return new ArazzoError(code, message, { location: site, cause });
}
