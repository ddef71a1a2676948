import { isDict } from '../../model/guards.js';
import { mergeActions, resolveEntry } from '../../model/merge.js';
import { parseOperationPath } from '../../sources/operation-path.js';
import {
  isReusable,
  type Components,
  type Criterion,
  type FailureAction,
  type Reusable,
  type Step,
  type SuccessAction,
  type Workflow,
} from '../../document/types.js';
import type { CompiledWorkflow } from '../../runtime/compile.js';

/**
 * A workflow as the reports (`describe`, `graph`) read it: each step's target and its actions
 * merged the way `compileWorkflow` merges them (step actions first, then the workflow's
 * `successActions`/`failureActions` whose name the step does not override), built from the
 * raw document so it works when the sources cannot be loaded.
 */
export interface WorkflowView {
  readonly workflowId: string;
  readonly summary?: string;
  readonly description?: string;
  readonly dependsOn: readonly string[];
  readonly steps: readonly StepView[];
}

export interface StepView {
  readonly stepId: string;
  readonly description?: string;
  readonly target: TargetView;
  readonly successCriteria: readonly CriterionView[];
  readonly onSuccess: readonly ActionView[];
  readonly onFailure: readonly ActionView[];
  readonly outputs: Readonly<Record<string, string>>;
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
}

/** `components` of a document or of a `DocumentScope`: kind → name → object. */
export type ComponentsLike = Components | Readonly<Record<string, unknown>>;

/** Resolves a step's operation against loaded sources; undefined leaves it as written. */
export type OperationResolver = (step: Step) => OperationView | undefined;

export interface WorkflowViewOptions {
  readonly components?: ComponentsLike | undefined;
  readonly resolveOperation?: OperationResolver;
}

export function isCompiledWorkflow(value: CompiledWorkflow | Workflow): value is CompiledWorkflow {
  return 'stepIndex' in value && 'workflow' in value;
}

/**
 * The view of a compiled workflow (operations resolved by the compiler) or of a raw one
 * (operations as written; an `operationPath` still shows its method and path).
 */
export function workflowView(
  source: CompiledWorkflow | Workflow,
  options: WorkflowViewOptions = {},
): WorkflowView {
  if (isCompiledWorkflow(source)) {
    const resolved = new Map(
      source.steps.map((compiled) => [compiled.step, compiled.target] as const),
    );
    return buildView(source.workflow, {
      components: options.components ?? source.scope.components,
      resolveOperation: (step) => {
        const target = resolved.get(step);
        if (target?.kind !== 'operation') return options.resolveOperation?.(step);
        const { operation } = target;
        return {
          ...operationFields(step),
          method: operation.method.toUpperCase(),
          path: operation.path,
          sourceName: operation.sourceName,
        };
      },
    });
  }
  return buildView(source, options);
}

function buildView(workflow: Workflow, options: WorkflowViewOptions): WorkflowView {
  const components = options.components;
  const steps: readonly Step[] = Array.isArray(workflow.steps) ? workflow.steps : [];
  return {
    workflowId: String(workflow.workflowId),
    ...(typeof workflow.summary === 'string' ? { summary: workflow.summary } : {}),
    ...(typeof workflow.description === 'string' ? { description: workflow.description } : {}),
    dependsOn: Array.isArray(workflow.dependsOn) ? workflow.dependsOn.map(String) : [],
    steps: steps.map((step) => ({
      stepId: String(step.stepId),
      ...(typeof step.description === 'string' ? { description: step.description } : {}),
      target: targetView(step, options.resolveOperation),
      successCriteria: criteriaViews(step.successCriteria),
      onSuccess: mergeViews(
        actionViews(step.onSuccess, 'successActions', components, false),
        actionViews(workflow.successActions, 'successActions', components, true),
      ),
      onFailure: mergeViews(
        actionViews(step.onFailure, 'failureActions', components, false),
        actionViews(workflow.failureActions, 'failureActions', components, true),
      ),
      outputs: isDict(step.outputs) ? stringRecord(step.outputs) : {},
    })),
  };
}

function targetView(step: Step, resolve: OperationResolver | undefined): TargetView {
  if (step.operationId !== undefined || step.operationPath !== undefined) {
    return { kind: 'operation', operation: resolve?.(step) ?? writtenOperation(step) };
  }
  if (step.workflowId !== undefined)
    return { kind: 'workflow', workflowId: String(step.workflowId) };
  return { kind: 'none' };
}

function operationFields(step: Step): { operationId?: string; operationPath?: string } {
  return {
    ...(step.operationId === undefined ? {} : { operationId: String(step.operationId) }),
    ...(step.operationPath === undefined ? {} : { operationPath: String(step.operationPath) }),
  };
}

/**
 * The operation as the step writes it. An `operationPath` names its method and path in its
 * JSON pointer (`{$sourceDescriptions.api.url}#/paths/~1status~1{id}/get`), so they are shown
 * without loading the source.
 */
export function writtenOperation(step: Step): OperationView {
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

/** `GET /status/{kickoff_id}` when resolved, otherwise the operationId or operationPath. */
export function operationLabel(operation: OperationView): string {
  if (operation.method !== undefined && operation.path !== undefined)
    return `${operation.method} ${operation.path}`;
  return operation.operationId ?? operation.operationPath ?? '(no operation)';
}

export function criteriaViews(list: readonly Criterion[] | undefined): CriterionView[] {
  if (!Array.isArray(list)) return [];
  return list.map((criterion: Criterion) => {
    const type = criterion.type;
    let kind = 'simple';
    let version = criterion.version;
    if (typeof type === 'string') kind = type;
    else if (typeof type === 'object' && type !== null) {
      kind = String(type.type);
      version = type.version;
    }
    return {
      condition: String(criterion.condition),
      type: version === undefined ? kind : `${kind} ${String(version)}`,
      ...(criterion.context === undefined ? {} : { context: String(criterion.context) }),
    };
  });
}

function actionViews(
  list: readonly (SuccessAction | FailureAction | Reusable)[] | undefined,
  kind: 'successActions' | 'failureActions',
  components: ComponentsLike | undefined,
  inherited: boolean,
): ActionView[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry: SuccessAction | FailureAction | Reusable): ActionView => {
    let action: Partial<FailureAction> = entry as FailureAction;
    if (isDict(entry) && isReusable(entry)) {
      const resolved = resolveEntry(entry, kind, components);
      if (resolved.status === 'unresolved') {
        return {
          name: entry.reference,
          type: 'unresolved',
          criteria: [],
          inherited,
          reference: entry.reference,
        };
      }
      action = resolved.object;
    }
    const type =
      action.type === 'end' || action.type === 'goto' || action.type === 'retry'
        ? action.type
        : 'unresolved';
    return {
      name: String(action.name),
      type,
      ...(action.stepId === undefined ? {} : { stepId: String(action.stepId) }),
      ...(action.workflowId === undefined ? {} : { workflowId: String(action.workflowId) }),
      ...(typeof action.retryAfter === 'number' ? { retryAfter: action.retryAfter } : {}),
      ...(typeof action.retryLimit === 'number' ? { retryLimit: action.retryLimit } : {}),
      criteria: criteriaViews(action.criteria),
      inherited,
    };
  });
}

function stringRecord(value: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      typeof item === 'string' ? item : JSON.stringify(item),
    ]),
  );
}

/** model/merge.ts's rule, on views: an unresolved reference (no action name) overrides nothing. */
function mergeViews(step: ActionView[], workflow: ActionView[]): ActionView[] {
  const name = (view: ActionView) => ({
    view,
    name: view.reference === undefined ? view.name : undefined,
  });
  return mergeActions(step.map(name), workflow.map(name)).map(({ view }) => view);
}
