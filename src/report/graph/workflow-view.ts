import type { Components, Workflow } from '../../document/types.js';
import { compileDocument } from '../../model/compile-document.js';
import { arrayAt, isDict, stringAt, type Dict } from '../../model/guards.js';
import type {
  ActionModel,
  ParameterModel,
  StepModel,
  StepTarget,
  TargetProblem,
  WorkflowModel,
} from '../../model/types.js';
import { outputDependencies } from '../../model/step-order.js';
import { expressionsIn } from '../../expressions/index.js';
import type { CompiledWorkflow } from '../../runtime/compile.js';
import { isSecretInput } from '../redact.js';
import { parseOperationPath } from '../../sources/operation-path.js';
import { requestMethod } from '../../sources/operations.js';

/**
 * A workflow as the reports (`describe`, `graph`) show it, read from the compiled model
 * (src/model): each step's target, and its actions merged as the runner merges them (step
 * actions first, then the workflow's `successActions`/`failureActions` whose name the step does
 * not use: model/merge.ts). Works without sources: operations are then shown as written.
 */
export interface WorkflowView {
  readonly workflowId: string;
  readonly summary?: string;
  readonly description?: string;
  readonly dependsOn: readonly string[];
  /**
   * In the order they run: document order, unless 1.1 step `dependsOn` reorders them (1.1
   * §Step Dependencies and Execution Order; model/step-order.ts, POSITIONS §11.4).
   */
  readonly steps: readonly StepView[];
  /** The stepIds as the document lists them, when that is not the order they run in. */
  readonly documentOrder?: readonly string[];
}

export interface StepView {
  readonly stepId: string;
  readonly description?: string;
  readonly target: TargetView;
  readonly successCriteria: readonly CriterionView[];
  readonly onSuccess: readonly ActionView[];
  readonly onFailure: readonly ActionView[];
  readonly outputs: Readonly<Record<string, string>>;
  /** 1.1 step `timeout`, in milliseconds: it bounds each attempt (POSITIONS §11.3). */
  readonly timeoutMs?: number;
  /**
   * 1.1 step `dependsOn` entries as written, then, in a workflow that uses `dependsOn` (where
   * they decide the order too), the implicit ones: the steps whose outputs it reads.
   */
  readonly dependsOn?: readonly DependencyView[];
}

/** A step that must have completed before this one runs (1.1 §Step Object `dependsOn`). */
export interface DependencyView {
  /** The `dependsOn` entry as written; absent for an implicit (output reference) dependency. */
  readonly entry?: string;
  /** The step depended on; absent when the entry names none (validate says why). */
  readonly stepId?: string;
  /** Set when the step is another workflow's (`$workflows.<id>.steps.<stepId>`). */
  readonly workflowId?: string;
  /** Set when that workflow is an Arazzo source's (`$sourceDescriptions.<name>.<id>.steps.<stepId>`). */
  readonly sourceName?: string;
  /** An output reference (`$steps.<id>.outputs…`), not a `dependsOn` entry. */
  readonly implicit?: true;
}

export type TargetView =
  | { readonly kind: 'operation'; readonly operation: OperationView }
  | { readonly kind: 'workflow'; readonly workflowId: string }
  | { readonly kind: 'none' };

export interface OperationView {
  readonly operationId?: string;
  readonly operationPath?: string;
  /** Upper case, e.g. `GET`; absent when the operation could not be resolved. */
  readonly method?: string;
  /** The path template, e.g. `/status/{kickoff_id}`. */
  readonly path?: string;
  readonly sourceName?: string;
  /** 1.1 AsyncAPI steps: what the step does with a message on the channel (§Step Object `action`). */
  readonly action?: 'send' | 'receive';
  /** AsyncAPI steps: the channel's address with its `{parameter}` placeholders. */
  readonly channel?: string;
  /** AsyncAPI steps: the step's `correlationId` as written. */
  readonly correlationId?: string;
  /** Why the operation is not resolved (sources not loaded, unknown operationId…). */
  readonly problem?: string;
}

export interface CriterionView {
  readonly condition: string;
  /** `simple` (default), `regex`, `jsonpath`, `xpath`, with a version when one is given. */
  readonly type: string;
  readonly context?: string;
}

export interface ActionView {
  readonly name: string;
  /** `unresolved`: a `reference` that names no component. */
  readonly type: 'end' | 'goto' | 'retry' | 'unresolved';
  readonly stepId?: string;
  readonly workflowId?: string;
  readonly retryAfter?: number;
  readonly retryLimit?: number;
  readonly criteria: readonly CriterionView[];
  /** Declared in the workflow's `successActions`/`failureActions`, not on the step. */
  readonly inherited: boolean;
  readonly reference?: string;
  /** 1.1 action `parameters`: the inputs passed to the workflow it names. */
  readonly parameters?: readonly ActionParameterView[];
}

export interface ActionParameterView {
  readonly name: string;
  /** The value as written: a string as is (expressions included), anything else as JSON. */
  readonly value: string;
  /**
   * A literal (no runtime expression) for an input the runner treats as a secret: `describe`
   * masks it as it masks secret defaults.
   */
  readonly masked: boolean;
}

/** `components` of a document or of a `DocumentScope`: kind → name → object. */
export type ComponentsLike = Components | Readonly<Record<string, unknown>>;

/**
 * Says why an operation is not resolved; `decided` when it is known not to exist (see
 * model/types.ts `StepTarget`). Without one, unresolved operations are shown as written.
 */
export type UnresolvedText = (problem: TargetProblem, decided: boolean) => string;

export interface WorkflowViewOptions {
  /** For a raw `Workflow`: the document's components, for its Reusable Objects. */
  readonly components?: ComponentsLike | undefined;
  readonly unresolved?: UnresolvedText;
  /**
   * Whether input `name` of workflow `workflowId` (as an action names it) is a secret; by
   * default, by its name alone (report/redact.ts `isSecretInput`).
   */
  readonly secretInput?: (workflowId: string | undefined, name: string) => boolean;
}

export function isCompiledWorkflow(
  value: CompiledWorkflow | Workflow | WorkflowModel,
): value is CompiledWorkflow {
  return 'stepIndex' in value && 'scope' in value;
}

function isWorkflowModel(
  value: CompiledWorkflow | Workflow | WorkflowModel,
): value is WorkflowModel {
  return 'stepById' in value && 'raw' in value;
}

/**
 * The view of a workflow of the model; also of a compiled workflow (operations resolved against
 * its scope's sources) or of a raw one (compiled here on its own, operations as written).
 */
export function workflowView(
  source: WorkflowModel | CompiledWorkflow | Workflow,
  options: WorkflowViewOptions = {},
): WorkflowView {
  return viewOf(modelOf(source, options), options);
}

function modelOf(
  source: WorkflowModel | CompiledWorkflow | Workflow,
  options: WorkflowViewOptions,
): WorkflowModel {
  if (isWorkflowModel(source)) return source;
  if (isCompiledWorkflow(source)) {
    const model = compileDocument(source.scope.loaded, source.scope.sources);
    const found = model.workflows.find((workflow) => workflow.pointer === source.pointer);
    if (found) return found;
    return only(
      compileDocument({
        file: '',
        document: { workflows: [source.workflow] } as never,
        version: source.scope.loaded.version,
      }),
    );
  }
  const document = { workflows: [source], components: options.components };
  // A bare Workflow object carries no `arazzo` field: it is read as 1.0.
  return only(compileDocument({ file: '', document: document as never, version: '1.0' }));
}

function only(model: ReturnType<typeof compileDocument>): WorkflowModel {
  const [workflow] = model.workflows;
  // A workflow that is not an object: an empty view (validate says why).
  return workflow ?? EMPTY;
}

const EMPTY: WorkflowModel = {
  index: 0,
  pointer: '/workflows/0',
  raw: {},
  id: undefined,
  steps: [],
  order: [],
  dependencyProblems: [],
  stepById: new Map(),
  outputNames: new Set(),
  parameters: [],
  successActions: [],
  failureActions: [],
  outputs: [],
  errors: [],
};

function viewOf(workflow: WorkflowModel, options: WorkflowViewOptions): WorkflowView {
  const { raw } = workflow;
  const summary = stringAt(raw, 'summary');
  const description = stringAt(raw, 'description');
  // The runner's order (model `order`): what "next" means, and what runs first.
  const reordered = workflow.order.some((step, index) => step !== workflow.steps[index]);
  const usesDependsOn = workflow.steps.some((step) => step.dependsOn.length > 0);
  return {
    workflowId: workflow.id ?? shown(raw['workflowId']),
    ...(summary === undefined ? {} : { summary }),
    ...(description === undefined ? {} : { description }),
    dependsOn: arrayAt(raw, 'dependsOn').map(shown),
    steps: workflow.order.map((step) => stepView(step, usesDependsOn, options)),
    ...(reordered ? { documentOrder: workflow.steps.map(stepIdOf) } : {}),
  };
}

function stepView(step: StepModel, usesDependsOn: boolean, options: WorkflowViewOptions): StepView {
  const description = stringAt(step.raw, 'description');
  const outputs = step.raw['outputs'];
  const dependencies = dependencyViews(step, usesDependsOn);
  const secretInput = options.secretInput ?? secretByName;
  const action = (model: ActionModel): ActionView => actionView(model, secretInput);
  return {
    stepId: stepIdOf(step),
    ...(description === undefined ? {} : { description }),
    target: targetView(step, options.unresolved),
    successCriteria: criteriaViews(arrayAt(step.raw, 'successCriteria')),
    onSuccess: step.onSuccess.map(action),
    onFailure: step.onFailure.map(action),
    outputs: isDict(outputs) ? stringRecord(outputs) : {},
    ...(step.timeoutMs === undefined ? {} : { timeoutMs: step.timeoutMs }),
    ...(dependencies.length === 0 ? {} : { dependsOn: dependencies }),
  };
}

/** Without the target's inputs schema: secret by the name alone, as the redactor would say. */
function secretByName(_workflowId: string | undefined, name: string): boolean {
  return isSecretInput(name, undefined);
}

function stepIdOf(step: StepModel): string {
  return step.id ?? shown(step.raw['stepId']);
}

/**
 * The step's `dependsOn` entries in the order written, resolved as the model resolved them (an
 * entry it could not resolve has no `stepId`); then the steps whose outputs it reads that no
 * entry names, only where `dependsOn` is used: elsewhere document order decides and a forward
 * reference is an error (1.1 §Step Dependencies and Execution Order).
 */
function dependencyViews(step: StepModel, usesDependsOn: boolean): DependencyView[] {
  const resolved = new Map(step.dependsOn.map((dependency) => [dependency.raw, dependency]));
  const out: DependencyView[] = arrayAt(step.raw, 'dependsOn').map((item): DependencyView => {
    const entry = shown(item);
    const dependency = resolved.get(entry);
    if (dependency === undefined) return { entry };
    if (dependency.kind === 'source') {
      const { sourceName, workflowId, stepId } = dependency;
      return { entry, stepId, workflowId, sourceName };
    }
    const stepId = stepIdOf(dependency.step);
    if (dependency.kind === 'local') return { entry, stepId };
    return { entry, stepId, workflowId: dependency.step.workflow.id ?? '' };
  });
  if (!usesDependsOn) return out;
  const explicit = new Set(
    step.dependsOn.flatMap((dependency) => (dependency.kind === 'local' ? [dependency.step] : [])),
  );
  for (const target of outputDependencies(step)) {
    if (!explicit.has(target)) out.push({ stepId: stepIdOf(target), implicit: true });
  }
  return out;
}

function targetView(step: StepModel, unresolved: UnresolvedText | undefined): TargetView {
  const { target } = step;
  const written = writtenOperation(step.raw);
  if (target.kind === 'message') return messageTargetView(step, target, written);
  if (target.status === 'resolved') {
    if (target.kind === 'workflow') return { kind: 'workflow', workflowId: target.workflowId };
    // x-operation (POSITIONS §12.2): the URL as written stands for the path.
    if (target.kind === 'url')
      return {
        kind: 'operation',
        operation: { method: target.method, path: shown(target.url.raw) },
      };
    const { operation } = target;
    return {
      kind: 'operation',
      operation: {
        ...written,
        method: requestMethod(operation),
        path: operation.path,
        sourceName: operation.sourceName,
      },
    };
  }
  if (target.status === 'unknown') {
    if (target.kind === 'workflow') return { kind: 'workflow', workflowId: target.value };
    const problem = unresolved?.(target.problem, target.decided);
    return {
      kind: 'operation',
      operation: problem === undefined ? written : { ...written, problem },
    };
  }
  // No single usable target (validate reports it): show what is written.
  const raw = step.raw;
  if (raw['operationId'] !== undefined || raw['operationPath'] !== undefined)
    return { kind: 'operation', operation: written };
  if (raw['workflowId'] !== undefined)
    return { kind: 'workflow', workflowId: shown(raw['workflowId']) };
  return { kind: 'none' };
}

/**
 * A 1.1 AsyncAPI step: its action and the channel's address when the operation or channel
 * resolved (POSITIONS §11.11), else what is written with the reason it could not run.
 */
function messageTargetView(
  step: StepModel,
  target: Extract<StepTarget, { kind: 'message' }>,
  written: OperationView,
): TargetView {
  const channelPath = stringAt(step.raw, 'channelPath');
  const correlationId = step.raw['correlationId'];
  const base: OperationView = {
    ...written,
    ...(written.operationId === undefined && channelPath !== undefined
      ? { operationId: channelPath }
      : {}),
    ...(target.action === undefined ? {} : { action: target.action }),
    ...(correlationId === undefined ? {} : { correlationId: shown(correlationId) }),
  };
  if (target.status === 'unresolved')
    return { kind: 'operation', operation: { ...base, problem: target.why } };
  const { operation } = target;
  return {
    kind: 'operation',
    operation: {
      ...base,
      sourceName: operation.sourceName,
      ...(operation.address === undefined ? {} : { channel: operation.address }),
    },
  };
}

/** The target fields of a step, read as written. */
type TargetFields = { readonly operationId?: unknown; readonly operationPath?: unknown };

function operationFields(step: TargetFields): { operationId?: string; operationPath?: string } {
  return {
    ...(step.operationId === undefined ? {} : { operationId: shown(step.operationId) }),
    ...(step.operationPath === undefined ? {} : { operationPath: shown(step.operationPath) }),
  };
}

/**
 * The operation as the step writes it. An `operationPath` names its method and path in its
 * JSON pointer (`{$sourceDescriptions.api.url}#/paths/~1status~1{id}/get`), so they are shown
 * without loading the source (sources/operation-path.ts reads it).
 */
export function writtenOperation(step: TargetFields): OperationView {
  const fields = operationFields(step);
  const path = fields.operationPath;
  if (path === undefined) return fields;
  const parsed = parseOperationPath(path);
  return {
    ...fields,
    ...(parsed.method === undefined || parsed.path === undefined
      ? {}
      : { method: parsed.method.toUpperCase(), path: parsed.path }),
    ...(parsed.sourceName === undefined ? {} : { sourceName: parsed.sourceName }),
  };
}

/** `GET /status/{kickoff_id}` (`receive confirmations` for an AsyncAPI step) when resolved, otherwise the operationId or operationPath. */
export function operationLabel(operation: OperationView): string {
  if (operation.action !== undefined && operation.channel !== undefined)
    return `${operation.action} ${operation.channel}`;
  if (operation.method !== undefined && operation.path !== undefined)
    return `${operation.method} ${operation.path}`;
  return operation.operationId ?? operation.operationPath ?? '(no operation)';
}

export function criteriaViews(list: readonly unknown[]): CriterionView[] {
  return list.filter(isDict).map((criterion: Dict) => {
    const type = criterion['type'];
    let kind = 'simple';
    let version = criterion['version'];
    if (typeof type === 'string') kind = type;
    else if (isDict(type)) {
      kind = shown(type['type']);
      version = type['version'];
    }
    return {
      condition: shown(criterion['condition']),
      type: version === undefined ? kind : `${kind} ${shown(version)}`,
      ...(criterion['context'] === undefined ? {} : { context: shown(criterion['context']) }),
    };
  });
}

function actionView(
  action: ActionModel,
  secretInput: (workflowId: string | undefined, name: string) => boolean,
): ActionView {
  const inherited = action.origin === 'workflow';
  const { object } = action;
  if (object === undefined) {
    const reference = action.reference ?? '';
    return { name: reference, type: 'unresolved', criteria: [], inherited, reference };
  }
  const type =
    action.type === 'end' || action.type === 'goto' || action.type === 'retry'
      ? action.type
      : 'unresolved';
  return {
    name: shown(object['name']),
    type,
    ...(object['stepId'] === undefined ? {} : { stepId: shown(object['stepId']) }),
    ...(object['workflowId'] === undefined ? {} : { workflowId: shown(object['workflowId']) }),
    ...(action.retryAfter === undefined ? {} : { retryAfter: action.retryAfter }),
    ...(action.retryLimit === undefined ? {} : { retryLimit: action.retryLimit }),
    criteria: criteriaViews(arrayAt(object, 'criteria')),
    inherited,
    ...(action.parameters.length === 0
      ? {}
      : {
          parameters: action.parameters.map((parameter) =>
            parameterView(parameter, (name) => secretInput(action.workflowId, name)),
          ),
        }),
  };
}

/** A 1.1 action parameter as written; a Reusable Object that names nothing says so. */
function parameterView(
  parameter: ParameterModel,
  isSecret: (name: string) => boolean,
): ActionParameterView {
  const name = parameter.name ?? parameter.reference ?? '';
  if (!parameter.resolved) return { name, value: '(unresolved reference)', masked: false };
  const { value } = parameter;
  const compiled = value?.compiled;
  const literal = compiled === undefined || expressionsIn(compiled).length === 0;
  const text = value === undefined ? '(no value)' : shown(value.raw);
  return { name, value: text, masked: literal && isSecret(name) };
}

function stringRecord(value: Dict): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      typeof item === 'string' ? item : JSON.stringify(item),
    ]),
  );
}

/** A value of a field the schema types as a string, shown as text whatever it is. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}
