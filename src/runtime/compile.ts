import { childPointer } from '../errors.js';
import {
  isParameterLocation,
  type ParameterLocation,
  type Step,
  type Workflow,
} from '../document/types.js';
import {
  compileValue,
  selectorsIn,
  type CompiledSelector,
  type CompiledValue,
  type ExpressionType,
} from '../expressions/index.js';
import type { CompiledCriterion } from '../criteria/index.js';
import type { AsyncOperationRef } from '../sources/asyncapi-operation.js';
import type { OperationRef } from '../sources/operations.js';
import { compileDocument } from '../model/compile-document.js';
import type {
  ActionModel,
  CriterionModel,
  DocumentModel,
  OutputModel,
  ParameterModel,
  StepDependency,
  StepModel,
  ValueModel,
  XSecurityModel,
} from '../model/types.js';
import type { SecurityScheme } from '../http/auth/security-schemes.js';
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
  /** 1.1 Selector Objects among `outputs` (evaluated before them; absent when none). */
  readonly outputSelectors?: readonly CompiledSelector[];
}

export interface CompiledOutput {
  readonly name: string;
  /** A whole expression, or (1.1) a Selector Object. */
  readonly value: CompiledValue;
}

/** What the runner calls: a workflow is looked up when the step runs (it may be another document's). */
export type RunTarget =
  | { readonly kind: 'operation'; readonly operation: OperationRef }
  /** Respect's `x-operation` (POSITIONS §12.2): `url` evaluates to an absolute URL. */
  | { readonly kind: 'url'; readonly method: string; readonly url: CompiledValue }
  | { readonly kind: 'workflow'; readonly workflowId: string }
  /** 1.1 AsyncAPI step (POSITIONS §11.11): sends or receives on the operation's channel. */
  | {
      readonly kind: 'message';
      readonly action: 'send' | 'receive';
      readonly operation: AsyncOperationRef;
      readonly correlationId?: CompiledValue;
    };

/** An `x-security` entry (POSITIONS §12.1): its scheme, and its values to evaluate. */
export interface CompiledXSecurity {
  readonly label: string;
  readonly scheme: SecurityScheme;
  readonly values: readonly (readonly [name: string, value: CompiledValue])[];
}

export interface CompiledParameter {
  readonly name: string;
  readonly in: ParameterLocation | undefined;
  readonly value: CompiledValue;
}

export interface CompiledStep {
  readonly step: Step;
  readonly pointer: string;
  /** Its identity in a run (`RunState.succeeded`, 1.1 dependsOn): `stepKey` of it. */
  readonly key: string;
  readonly target: RunTarget;
  readonly parameters: readonly CompiledParameter[];
  readonly body?: {
    readonly contentType: string | undefined;
    readonly payload: CompiledValue | undefined;
    readonly replacements: readonly CompiledReplacement[];
  };
  readonly successCriteria: readonly CompiledCriterion[];
  readonly outputs: readonly CompiledOutput[];
  /** 1.1 Selector Objects in the parameters and body, and in the outputs (absent when none). */
  readonly selectors?: {
    readonly request: readonly CompiledSelector[];
    readonly outputs: readonly CompiledSelector[];
  };
  readonly onSuccess: readonly CompiledAction[];
  readonly onFailure: readonly CompiledAction[];
  /** 1.1 step `timeout` (ms): bounds each execution of the step (POSITIONS §11.3). */
  readonly timeoutMs?: number;
  /** 1.1 step `dependsOn`: steps that must have completed first (POSITIONS §11.4). */
  readonly dependsOn?: readonly CompiledDependency[];
  /** Respect's `x-security` entries for the step's request (absent when none). */
  readonly xSecurity?: readonly CompiledXSecurity[];
}

/** A Payload Replacement: `targetType` is the 1.1 `targetSelectorType` (POSITIONS §11.8). */
export interface CompiledReplacement {
  readonly target: string;
  readonly targetType?: ExpressionType;
  readonly value: CompiledValue;
}

/** A step that must have completed: `workflowId` undefined for the step's own workflow. */
export interface CompiledDependency {
  readonly raw: string;
  readonly workflowId?: string;
  readonly sourceName?: string;
  readonly stepId: string;
}

export interface CompiledAction {
  readonly name: string;
  readonly type: 'end' | 'goto' | 'retry';
  readonly stepId?: string;
  readonly workflowId?: string;
  readonly retryAfter?: number;
  readonly retryLimit?: number;
  readonly criteria: readonly CompiledCriterion[];
  /** 1.1: the inputs of the workflow a `goto`/`retry` names (none: its schema defaults). */
  readonly parameters?: readonly CompiledParameter[];
}

const NO_VALUE: CompiledValue = compileValue(undefined);

/** One model per document scope (its components and sources), compiled on first use. */
const models = new WeakMap<DocumentScope, DocumentModel>();

/** The compiled model of a scope's document (model/compile-document.ts), built once. */
export function documentModel(scope: DocumentScope): DocumentModel {
  let model = models.get(scope);
  if (!model) models.set(scope, (model = compileDocument(scope.loaded, scope.sources)));
  return model;
}

/**
 * The throwing wrapper over the model (as yaml's `parse` is over `parseDocument`): the
 * workflow at `workflowIndex` in the form the runner reads, or the first problem that keeps it
 * from running (its own or a component's it uses), as a located `ArazzoError`.
 */
export function compileWorkflow(scope: DocumentScope, workflowIndex: number): CompiledWorkflow {
  const model = documentModel(scope);
  const node = model.workflows.find((workflow) => workflow.index === workflowIndex);
  if (!node) {
    const problem = model.errors.find(
      (error) => error.location?.pointer === childPointer('/workflows', workflowIndex),
    );
    if (problem) throw problem;
    throw new Error(`no workflow at index ${workflowIndex}`);
  }
  const [first] = node.errors;
  if (first) throw first;
  // 1.1: the order that satisfies `dependsOn` and output references (model/step-order.ts).
  const steps = node.order.map((step) => compileStep(step, scope.loaded.url));
  return {
    workflow: node.raw as unknown as Workflow,
    scope,
    pointer: node.pointer,
    steps,
    // As before the model: a repeated stepId (validate refuses it) names its last step.
    stepIndex: new Map(steps.map((compiled, index) => [compiled.step.stepId, index])),
    ...withOutputs(node.outputs.map(compileOutput)),
  };
}

function withOutputs(
  outputs: CompiledOutput[],
): Pick<CompiledWorkflow, 'outputs' | 'outputSelectors'> {
  const selectors = outputs.flatMap((output) => selectorsIn(output.value));
  return selectors.length === 0 ? { outputs } : { outputs, outputSelectors: selectors };
}

/** The Selector Objects of a list of parameters, in order. */
export function parameterSelectors(parameters: readonly CompiledParameter[]): CompiledSelector[] {
  return parameters.flatMap((parameter) => selectorsIn(parameter.value));
}

function compileStep(step: StepModel, url: string): CompiledStep {
  const { target, requestBody } = step;
  let runTarget: RunTarget;
  if (target.status === 'resolved' && target.kind === 'operation')
    runTarget = { kind: 'operation', operation: target.operation };
  else if (target.kind === 'url')
    runTarget = {
      kind: 'url',
      method: target.method,
      url: compiledValue(target.url, step.pointer),
    };
  else if (target.status === 'resolved' && target.kind === 'message')
    runTarget = {
      kind: 'message',
      action: target.action,
      operation: target.operation,
      ...(target.correlationId === undefined
        ? {}
        : { correlationId: compiledValue(target.correlationId, step.pointer) }),
    };
  else if (target.kind === 'workflow') runTarget = { kind: 'workflow', workflowId: target.value };
  else throw unreachable(step.pointer);
  const compiled: CompiledStep = {
    step: step.raw as unknown as Step,
    pointer: step.pointer,
    key: stepKey(
      url,
      defined(step.workflow.id, step.workflow.pointer),
      defined(step.id, step.pointer),
    ),
    target: runTarget,
    parameters: step.parameters.map(compileParameter),
    ...(requestBody === undefined
      ? {}
      : {
          body: {
            contentType: requestBody.contentType,
            payload:
              requestBody.payload === undefined
                ? undefined
                : compiledValue(requestBody.payload, requestBody.pointer),
            replacements: requestBody.replacements.map((replacement) => ({
              target: defined(replacement.target, replacement.pointer),
              ...(replacement.targetType === undefined
                ? {}
                : { targetType: replacement.targetType }),
              value: compiledValue(replacement.value, replacement.pointer),
            })),
          },
        }),
    successCriteria: step.successCriteria.map(compiledCriterion),
    outputs: step.outputs.map(compileOutput),
    onSuccess: step.onSuccess.map(compileAction),
    onFailure: step.onFailure.map(compileAction),
    ...(step.timeoutMs === undefined ? {} : { timeoutMs: step.timeoutMs }),
    ...(step.dependsOn.length === 0 ? {} : { dependsOn: step.dependsOn.map(compileDependency) }),
    ...(step.xSecurity.length === 0 ? {} : { xSecurity: step.xSecurity.map(compileXSecurity) }),
  };
  const request = [
    ...parameterSelectors(compiled.parameters),
    ...(compiled.body?.payload === undefined ? [] : selectorsIn(compiled.body.payload)),
    ...(compiled.body?.replacements ?? []).flatMap((replacement) => selectorsIn(replacement.value)),
  ];
  const outputs = compiled.outputs.flatMap((output) => selectorsIn(output.value));
  return request.length === 0 && outputs.length === 0
    ? compiled
    : { ...compiled, selectors: { request, outputs } };
}

/** A step's identity across the documents of a run: `<document url>#<workflowId>/<stepId>`. */
export function stepKey(url: string, workflowId: string, stepId: string): string {
  return `${url}#${workflowId}/${stepId}`;
}

function compileDependency(dependency: StepDependency): CompiledDependency {
  const { raw } = dependency;
  if (dependency.kind === 'source') {
    const { sourceName, workflowId, stepId } = dependency;
    return { raw, sourceName, workflowId, stepId };
  }
  const stepId = defined(dependency.step.id, dependency.pointer);
  if (dependency.kind === 'local') return { raw, stepId };
  return { raw, workflowId: defined(dependency.step.workflow.id, dependency.pointer), stepId };
}

function compileAction(action: ActionModel): CompiledAction {
  const { type } = action;
  if (type !== 'end' && type !== 'goto' && type !== 'retry') throw unreachable(action.pointer);
  return {
    name: defined(action.name, action.pointer),
    type,
    ...(action.stepId === undefined ? {} : { stepId: action.stepId }),
    ...(action.workflowId === undefined ? {} : { workflowId: action.workflowId }),
    ...(action.retryAfter === undefined ? {} : { retryAfter: action.retryAfter }),
    ...(action.retryLimit === undefined ? {} : { retryLimit: action.retryLimit }),
    criteria: action.criteria.map(compiledCriterion),
    ...(action.parameters.length === 0
      ? {}
      : { parameters: action.parameters.map(compileParameter) }),
  };
}

function compileXSecurity(entry: XSecurityModel): CompiledXSecurity {
  return {
    label: entry.label,
    scheme: defined(entry.scheme, entry.pointer),
    values: entry.values.map(({ name, value }) => [name, compiledValue(value, value.pointer)]),
  };
}

function compileParameter(parameter: ParameterModel): CompiledParameter {
  return {
    name: defined(parameter.name, parameter.pointer),
    in: isParameterLocation(parameter.in) ? parameter.in : undefined,
    // A parameter without a value (the schema requires one) sends nothing, as before the model.
    value:
      parameter.value === undefined ? NO_VALUE : compiledValue(parameter.value, parameter.pointer),
  };
}

function compileOutput(output: OutputModel): CompiledOutput {
  const value: CompiledValue =
    output.selector ??
    ({
      kind: 'expression',
      expression: defined(output.expression, output.pointer),
      notes: [],
    } as const);
  return { name: output.name, value };
}

function compiledValue(value: ValueModel | undefined, pointer: string): CompiledValue {
  return defined(defined(value, pointer).compiled, pointer);
}

function compiledCriterion(criterion: CriterionModel): CompiledCriterion {
  return defined(criterion.compiled, criterion.pointer);
}

/** A workflow without errors has every part compiled; a gap here is a bug of the model. */
function defined<T>(value: T | undefined, pointer: string): T {
  if (value === undefined) throw unreachable(pointer);
  return value;
}

function unreachable(pointer: string): Error {
  return new Error(`the compiled model has a gap at ${pointer} although it reported no error`);
}
