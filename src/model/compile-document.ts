/**
 * The collecting compiler: a document (and the sources that loaded) in, its model out
 * (types.ts). Like yaml's `parseDocument`, it never throws: every problem goes to `onError` and
 * into `errors` (and the workflow's own `errors`), with its position, and the model still holds
 * everything that could be read. The runner's `compileWorkflow` is the throwing wrapper.
 */
import type { ArazzoError } from '../errors.js';
import { childPointer } from '../errors.js';
import type { LoadedDocument } from '../document/load-document.js';
import type { LoadedSource } from '../sources/load-sources.js';
import { parseChannelPath } from '../sources/asyncapi.js';
import { resolveAsyncOperation, type AsyncLookup } from '../sources/asyncapi-operation.js';
import {
  compileActions,
  compileValueAt,
  compileCriteria,
  compileOutputs,
  compileParameters,
  compileRequestBody,
  type PartContext,
} from './compile-parts.js';
import { arrayAt, dictAt, isDict, stringAt, type Dict } from './guards.js';
import { mergeActions, mergeParameters } from './merge.js';
import { Problems } from './problems.js';
import { compileDependsOn, executionOrder } from './step-order.js';
import { resolveOperation, resolveWorkflowId, type TargetScope } from './targets.js';
import { compileXOperation, X_OPERATION } from './x-operation.js';
import { compileXSecurity } from './x-security.js';
import type {
  ComponentsModel,
  DependencyProblem,
  DocumentModel,
  SourceModel,
  StepModel,
  StepTarget,
  TargetField,
  WorkflowModel,
} from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MessageTarget = Extract<StepTarget, { kind: 'message' }>;

const NO_SOURCES: ReadonlyMap<string, LoadedSource> = new Map();

/**
 * `sources`: the source descriptions that loaded, by name. Without them, an operation that
 * only a source could decide is `unknown` and undecided, and not reported as a problem.
 */
export function compileDocument(
  loaded: Pick<LoadedDocument, 'file' | 'document' | 'version'>,
  sources?: ReadonlyMap<string, LoadedSource>,
  onError?: (error: ArazzoError) => void,
): DocumentModel {
  const problems = new Problems(loaded.file, onError);
  const document: unknown = loaded.document;
  const data: Dict = isDict(document) ? document : {};
  const declared = sourceModels(data);
  const components = componentsOf(data);
  const entries = arrayAt(data, 'workflows');
  const workflows = entries.flatMap((raw, index) => (isDict(raw) ? [outline(raw, index)] : []));
  const scope: TargetScope = {
    sources: declared,
    sourceByName: firstBy(declared, (source) => source.name),
    workflowById: firstBy(workflows, (workflow) => workflow.id),
    loaded: sources ?? NO_SOURCES,
  };
  const parts: PartContext = {
    components,
    problems,
    lookUp: sources !== undefined,
    version: loaded.version,
  };
  // In document order, so that `errors` is too; entries that are not objects are reported here.
  const byIndex = new Map(workflows.map((workflow) => [workflow.index, workflow]));
  for (let index = 0; index < entries.length; index++) {
    const workflow = byIndex.get(index);
    if (workflow) {
      compileWorkflowParts(workflow, scope, parts);
      continue;
    }
    problems.fileUnder(undefined);
    problems.report(
      'DOCUMENT_INVALID',
      `workflow ${index} must be an object`,
      childPointer('/workflows', index),
    );
  }
  problems.fileUnder(undefined);
  return {
    file: loaded.file,
    version: loaded.version,
    data,
    sources: declared,
    sourceByName: scope.sourceByName,
    workflows,
    workflowById: scope.workflowById,
    components,
    errors: problems.all,
  };
}

/** The Source Description Objects as written (fields that are not strings read as undefined). */
export function sourceModels(data: Dict): SourceModel[] {
  return arrayAt(data, 'sourceDescriptions').map((raw, index) => ({
    index,
    pointer: childPointer('/sourceDescriptions', index),
    name: stringAt(raw, 'name'),
    url: stringAt(raw, 'url'),
    type: stringAt(raw, 'type'),
  }));
}

function componentsOf(data: Dict): ComponentsModel {
  const components = dictAt(data, 'components');
  return {
    inputs: dictAt(components, 'inputs') ?? {},
    parameters: dictAt(components, 'parameters') ?? {},
    successActions: dictAt(components, 'successActions') ?? {},
    failureActions: dictAt(components, 'failureActions') ?? {},
  };
}

/** A workflow and its steps with ids and names only: targets need every workflowId first. */
function outline(raw: Dict, index: number): Mutable<WorkflowModel> {
  const pointer = childPointer('/workflows', index);
  const steps: Mutable<StepModel>[] = [];
  const errors: ArazzoError[] = [];
  const workflow: Mutable<WorkflowModel> = {
    index,
    pointer,
    raw,
    id: stringAt(raw, 'workflowId'),
    steps,
    order: steps,
    dependencyProblems: [],
    stepById: new Map(),
    outputNames: new Set(Object.keys(dictAt(raw, 'outputs') ?? {})),
    parameters: [],
    successActions: [],
    failureActions: [],
    outputs: [],
    errors,
  };
  for (const [stepIndex, stepRaw] of arrayAt(raw, 'steps').entries()) {
    if (!isDict(stepRaw)) continue;
    const stepPointer = childPointer(childPointer(pointer, 'steps'), stepIndex);
    const id = stringAt(stepRaw, 'stepId');
    steps.push({
      index: stepIndex,
      pointer: stepPointer,
      raw: stepRaw,
      id,
      workflow,
      target: { status: 'missing', kind: 'none', message: '' },
      outputNames: new Set(Object.keys(dictAt(stepRaw, 'outputs') ?? {})),
      parameters: [],
      requestBody: undefined,
      successCriteria: [],
      onSuccess: [],
      onFailure: [],
      outputs: [],
      timeoutMs: undefined,
      dependsOn: [],
      xSecurity: [],
    });
  }
  workflow.stepById = firstBy(steps, (step) => step.id);
  return workflow;
}

/**
 * Everything else of a workflow, in the order the runner meets it: the workflow's parameters
 * and actions, then each step (target, parameters, body, criteria, outputs, actions), then the
 * workflow's outputs.
 */
function compileWorkflowParts(
  workflow: Mutable<WorkflowModel>,
  scope: TargetScope,
  parts: PartContext,
): void {
  const { raw, pointer } = workflow;
  const { problems } = parts;
  problems.fileUnder(workflow.errors as ArazzoError[]);
  if (workflow.id === undefined)
    problems.report(
      'DOCUMENT_INVALID',
      `workflow ${workflow.index} needs a workflowId (a string)`,
      childPointer(pointer, 'workflowId'),
    );
  workflow.parameters = compileParameters(parts, raw, pointer, 'workflow');
  workflow.successActions = compileActions(parts, raw, pointer, 'successActions', 'workflow');
  workflow.failureActions = compileActions(parts, raw, pointer, 'failureActions', 'workflow');
  const steps = new Map((workflow.steps as Mutable<StepModel>[]).map((step) => [step.index, step]));
  const count = arrayAt(raw, 'steps').length;
  for (let index = 0; index < count; index++) {
    const step = steps.get(index);
    const stepPointer = childPointer(childPointer(pointer, 'steps'), index);
    if (!step) {
      problems.report('DOCUMENT_INVALID', `step ${index} must be an object`, stepPointer);
      continue;
    }
    if (step.id === undefined)
      problems.report(
        'DOCUMENT_INVALID',
        `step ${index} needs a stepId (a string)`,
        childPointer(stepPointer, 'stepId'),
      );
    step.target = compileTarget(step, scope, parts);
    step.xSecurity = compileXSecurity(step, workflow, parts);
    step.timeoutMs = compileTimeout(step, parts);
    step.parameters = mergeParameters(
      compileParameters(parts, step.raw, step.pointer, 'step'),
      workflow.parameters,
      step.target.kind === 'workflow',
    );
    step.requestBody = compileRequestBody(parts, step.raw, step.pointer);
    step.successCriteria = compileCriteria(parts, step.raw, step.pointer, 'successCriteria');
    step.outputs = compileOutputs(parts, step.raw, step.pointer);
    step.onSuccess = mergeActions(
      compileActions(parts, step.raw, step.pointer, 'onSuccess', 'step'),
      workflow.successActions,
    );
    step.onFailure = mergeActions(
      compileActions(parts, step.raw, step.pointer, 'onFailure', 'step'),
      workflow.failureActions,
    );
  }
  workflow.outputs = compileOutputs(parts, raw, pointer);
  if (parts.version === '1.1') {
    const found: DependencyProblem[] = [];
    const report = (problem: DependencyProblem): void => {
      found.push(problem);
      problems.report('DOCUMENT_INVALID', problem.message, problem.pointer);
    };
    for (const step of steps.values())
      step.dependsOn = compileDependsOn(step, scope.workflowById, report);
    workflow.order = executionOrder(workflow, report);
    workflow.dependencyProblems = found;
  }
}

/**
 * 1.1 §Step Object `timeout`: "The maximum number of milli-seconds to wait for the step to
 * complete before aborting and failing the step" (an integer). A 1.0 document has no such field:
 * its schema refuses it (validate), and the runner leaves it alone.
 */
function compileTimeout(step: StepModel, parts: PartContext): number | undefined {
  const raw = step.raw['timeout'];
  if (parts.version === '1.0' || raw === undefined) return undefined;
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
  parts.problems.report(
    'DOCUMENT_INVALID',
    `the timeout of step "${step.id ?? step.index}" must be a whole number of milliseconds`,
    childPointer(step.pointer, 'timeout'),
  );
  return undefined;
}

const TARGET_FIELDS: readonly TargetField[] = ['operationId', 'operationPath', 'workflowId'];

/**
 * Arazzo 1.0.1 §Step Object: exactly one of operationId, operationPath, workflowId. An
 * operation that does not resolve is a problem (the runner cannot build the request); a
 * workflow is looked up when the step runs, so an unknown one is only said in the target.
 */
function compileTarget(step: StepModel, scope: TargetScope, parts: PartContext): StepTarget {
  const label = step.id === undefined ? `step ${step.index}` : `step "${step.id}"`;
  const message = parts.version === '1.1' ? messageTarget(step, scope, parts) : undefined;
  if (message) {
    if (message.status === 'unresolved')
      parts.problems.report(
        'STEP_UNSUPPORTED',
        `${label} ${messageVerb(message.action)}, which cannot run: ${message.why}`,
        step.pointer,
      );
    return message;
  }
  const present = TARGET_FIELDS.filter((field) => step.raw[field] !== undefined);
  const [field] = present;
  // Respect's x-operation (POSITIONS §12.2) only where no Arazzo field names a target.
  if (field === undefined && step.raw[X_OPERATION] !== undefined) {
    const url = compileXOperation(step, label, parts);
    return 'problem' in url ? { status: 'missing', kind: 'none', message: url.problem } : url;
  }
  if (field === undefined || present.length > 1) {
    const message =
      field === undefined
        ? `${label} has none of operationId, operationPath, workflowId`
        : `${label} has ${present.join(' and ')}; a step calls exactly one operation or workflow`;
    parts.problems.report('DOCUMENT_INVALID', message, step.pointer);
    return { status: 'missing', kind: 'none', message };
  }
  const pointer = childPointer(step.pointer, field);
  const value = step.raw[field];
  if (typeof value !== 'string') {
    const message = `the ${field} of ${label} must be a string`;
    parts.problems.report('DOCUMENT_INVALID', message, pointer);
    return { status: 'missing', kind: 'none', message };
  }
  if (field === 'workflowId') {
    const resolution = resolveWorkflowId(scope, value);
    if (resolution.status === 'local' || resolution.status === 'external')
      return {
        status: 'resolved',
        kind: 'workflow',
        field,
        value,
        workflowId: value,
        workflow: resolution,
      };
    return {
      status: 'unknown',
      kind: 'workflow',
      field,
      value,
      decided: resolution.status === 'missing',
      problem: resolution.problem,
    };
  }
  const resolution = resolveOperation(scope, field, value);
  if (resolution.status === 'resolved')
    return { status: 'resolved', kind: 'operation', field, value, operation: resolution.operation };
  const { problem } = resolution;
  if (parts.lookUp || resolution.status === 'missing')
    parts.problems.report(
      RUNTIME_CODES[problem.code] ?? 'OPERATION_NOT_FOUND',
      problem.message,
      pointer,
    );
  return {
    status: 'unknown',
    kind: 'operation',
    field,
    value,
    decided: resolution.status === 'missing',
    problem,
  };
}

/**
 * An AsyncAPI step of a 1.1 document (POSITIONS §11.9): not a workflow step, and it has `action`
 * or `channelPath` (the fields the 1.1 schema's asyncapi-step-object alone has), or its
 * operationId / operationPath names a source of type `asyncapi`.
 */
function messageTarget(
  step: StepModel,
  scope: TargetScope,
  parts: PartContext,
): MessageTarget | undefined {
  const raw = step.raw;
  if (raw['workflowId'] !== undefined) return undefined;
  const fields = (['operationId', 'channelPath', 'operationPath'] as const).filter(
    (field) => raw[field] !== undefined,
  );
  const [field] = fields;
  const value = field === undefined ? undefined : raw[field];
  const named = typeof value === 'string' ? namedSource(value) : undefined;
  const source = named === undefined ? undefined : scope.sourceByName.get(named);
  const asyncSource =
    source !== undefined &&
    (source.type === 'asyncapi' || scope.loaded.get(named ?? '')?.kind === 'asyncapi');
  if (raw['action'] === undefined && raw['channelPath'] === undefined && !asyncSource)
    return undefined;
  const written = raw['action'];
  const action = written === 'send' || written === 'receive' ? written : undefined;
  const text = typeof value === 'string' ? value : undefined;
  const unresolved = (why: string): MessageTarget => ({
    status: 'unresolved',
    kind: 'message',
    field,
    value: text,
    action,
    why,
  });
  if (action === undefined) return unresolved('it has no action (send or receive)');
  if (field === undefined || field === 'operationPath' || text === undefined)
    return unresolved('it names no operation with operationId or channelPath');
  const reference = asyncReference(field, text, scope);
  if ('why' in reference) return unresolved(reference.why);
  // From here on, validate can still read what the step names (validate/model/async-messages.ts).
  const located = (why: string): MessageTarget => ({
    status: 'unresolved',
    kind: 'message',
    field,
    value: text,
    action,
    why,
    lookup: reference,
  });
  const loaded = scope.loaded.get(reference.sourceName);
  if (loaded !== undefined && loaded.kind !== 'asyncapi')
    return unresolved(
      `source "${reference.sourceName}" is ${article(loaded.kind)} description, not AsyncAPI`,
    );
  if (loaded === undefined)
    return located(`AsyncAPI source "${reference.sourceName}" did not load`);
  if (typeof loaded.dereferenced === 'string')
    return located(
      `AsyncAPI source "${reference.sourceName}" could not be dereferenced: ${loaded.dereferenced}`,
    );
  const resolution = resolveAsyncOperation(reference.sourceName, loaded.dereferenced, reference.by);
  if (!resolution.ok) return located(resolution.message);
  if (resolution.operation.address === undefined)
    return located(
      `channel "${resolution.operation.channelKey}" has no address (a dynamic channel)`,
    );
  const correlation = raw['correlationId'];
  return {
    status: 'resolved',
    kind: 'message',
    field,
    value: text,
    action,
    operation: resolution.operation,
    ...(correlation === undefined
      ? {}
      : {
          correlationId: compileValueAt(
            parts,
            correlation,
            childPointer(step.pointer, 'correlationId'),
          ),
        }),
  };
}

/** The source and what to look up in it: `$sourceDescriptions.<name>.<id>`, a bare id, a channelPath. */
function asyncReference(
  field: 'operationId' | 'channelPath',
  value: string,
  scope: TargetScope,
): { readonly sourceName: string; readonly by: AsyncLookup } | { readonly why: string } {
  if (field === 'channelPath') {
    const parsed = parseChannelPath(value);
    if (!parsed.ok) return { why: parsed.message };
    return { sourceName: parsed.sourceName, by: { channelKey: parsed.tokens[1] ?? '' } };
  }
  const qualified = /^\$sourceDescriptions\.([A-Za-z0-9_-]+)\.(.+)$/s.exec(value);
  if (qualified?.[1] !== undefined && qualified[2] !== undefined)
    return { sourceName: qualified[1], by: { operationId: qualified[2] } };
  const candidates = scope.sources.filter(
    (source) =>
      source.name !== undefined &&
      (scope.loaded.get(source.name)?.kind ?? source.type) !== 'arazzo',
  );
  const [only] = candidates;
  if (candidates.length !== 1 || only?.name === undefined)
    return { why: `the operationId must name its source: $sourceDescriptions.<name>.${value}` };
  return { sourceName: only.name, by: { operationId: value } };
}

function article(kind: 'openapi' | 'arazzo'): string {
  return kind === 'openapi' ? 'an OpenAPI' : 'an Arazzo';
}

/** `<name>` of `$sourceDescriptions.<name>.…` or `{$sourceDescriptions.<name>.url}#…`. */
function namedSource(value: string): string | undefined {
  return /^\{?\$sourceDescriptions\.([A-Za-z0-9_-]+)\./.exec(value)?.[1];
}

function messageVerb(action: 'send' | 'receive' | undefined): string {
  if (action === 'send') return 'sends an AsyncAPI message';
  if (action === 'receive') return 'receives an AsyncAPI message';
  return 'names an AsyncAPI operation';
}

/** The runner's codes for the validator's (errors.ts `ErrorCode`). */
const RUNTIME_CODES: Readonly<Record<string, ArazzoError['code']>> = {
  'source-not-found': 'SOURCE_NOT_FOUND',
  'source-not-loaded': 'SOURCE_NOT_FOUND',
  'operation-id-ambiguous': 'OPERATION_AMBIGUOUS',
  'operation-not-found': 'OPERATION_NOT_FOUND',
  'operation-path-invalid': 'OPERATION_NOT_FOUND',
  'expression-invalid': 'EXPRESSION_INVALID',
};

function firstBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const name = key(item);
    if (name !== undefined && !map.has(name)) map.set(name, item);
  }
  return map;
}
