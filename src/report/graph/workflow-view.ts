import { pointerTokens } from '../../document/source-text.js';
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
      onSuccess: mergeActions(
        actionViews(step.onSuccess, 'successActions', components, false),
        actionViews(workflow.successActions, 'successActions', components, true),
      ),
      onFailure: mergeActions(
        actionViews(step.onFailure, 'failureActions', components, false),
        actionViews(workflow.failureActions, 'failureActions', components, true),
      ),
      outputs: isRecord(step.outputs) ? stringRecord(step.outputs) : {},
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
  const source = /^\{\$sourceDescriptions\.([^.}]+)\.url\}/.exec(path)?.[1];
  const hash = path.indexOf('#');
  let tokens: string[] = [];
  try {
    tokens = hash < 0 ? [] : pointerTokens(decodeURIComponent(path.slice(hash + 1)));
  } catch {
    // A malformed %-escape: show the operationPath as written.
  }
  const [paths, template, method, ...rest] = tokens;
  const located =
    paths === 'paths' && template !== undefined && method !== undefined && rest.length === 0;
  return {
    ...fields,
    ...(located ? { method: method.toUpperCase(), path: template } : {}),
    ...(source === undefined ? {} : { sourceName: source }),
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
    if (typeof entry === 'object' && entry !== null && isReusable(entry)) {
      const found = reusable(components, kind, entry.reference);
      if (found === undefined) {
        return {
          name: entry.reference,
          type: 'unresolved',
          criteria: [],
          inherited,
          reference: entry.reference,
        };
      }
      action = found;
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

/** Arazzo §Reusable Object: `$components.<kind>.<name>`. */
function reusable(
  components: ComponentsLike | undefined,
  kind: string,
  reference: string,
): Partial<FailureAction> | undefined {
  const prefix = `$components.${kind}.`;
  if (typeof reference !== 'string' || !reference.startsWith(prefix)) return undefined;
  const group = (components as Readonly<Record<string, unknown>> | undefined)?.[kind];
  const found = isRecord(group) ? group[reference.slice(prefix.length)] : undefined;
  return isRecord(found) ? found : undefined;
}

/** SPEC-NOTES §6.4, as `compileWorkflow` does it: step actions, then workflow actions not overridden by name. */
function mergeActions(step: ActionView[], workflow: ActionView[]): ActionView[] {
  const names = new Set(step.map((action) => action.name));
  return [...step, ...workflow.filter((action) => !names.has(action.name))];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      typeof item === 'string' ? item : JSON.stringify(item),
    ]),
  );
}
