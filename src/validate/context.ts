/**
 * What every rule reads: the document as an index of workflows and steps (built defensively —
 * rules also run on documents the schema rejected), the loaded sources, and lazily computed,
 * shared analyses (expression sites, control flow, operation resolution) so that no rule parses
 * or resolves anything twice.
 */
import { childPointer } from '../errors.js';
import type { LoadedDocument } from '../document/load-document.js';
import type { LoadedSource } from '../sources/load-sources.js';
import type { Finding } from './types.js';
import { arrayAt, dictAt, isDict, stringAt, type Dict } from './util.js';

export interface SourceModel {
  readonly index: number;
  readonly pointer: string;
  readonly name: string | undefined;
  readonly url: string | undefined;
  readonly type: string | undefined;
}

export type StepTarget =
  | { readonly kind: 'operationId' | 'operationPath' | 'workflowId'; readonly value: string }
  | undefined;

export interface StepModel {
  readonly index: number;
  readonly pointer: string;
  readonly raw: Dict;
  readonly id: string | undefined;
  readonly workflow: WorkflowModel;
  /** The single target, when exactly one of operationId/operationPath/workflowId is a string. */
  readonly target: StepTarget;
  /** Names declared in `outputs`. */
  readonly outputNames: ReadonlySet<string>;
}

export interface WorkflowModel {
  readonly index: number;
  readonly pointer: string;
  readonly raw: Dict;
  readonly id: string | undefined;
  readonly steps: readonly StepModel[];
  /** First step with each stepId. */
  readonly stepById: ReadonlyMap<string, StepModel>;
  readonly outputNames: ReadonlySet<string>;
}

export interface ComponentsModel {
  readonly inputs: Dict;
  readonly parameters: Dict;
  readonly successActions: Dict;
  readonly failureActions: Dict;
}

export interface DocumentModel {
  readonly data: Dict;
  readonly sources: readonly SourceModel[];
  readonly sourceByName: ReadonlyMap<string, SourceModel>;
  readonly workflows: readonly WorkflowModel[];
  readonly workflowById: ReadonlyMap<string, WorkflowModel>;
  readonly components: ComponentsModel;
}

export interface SourcesState {
  /** Whether sources were loaded at all (`resolveSources`). */
  readonly resolved: boolean;
  /** The sources that loaded, by name; a declared source missing here did not load. */
  readonly loaded: ReadonlyMap<string, LoadedSource>;
  /** `source-load-failed` / `source-remote-skipped`, reported by rules/source-load.ts. */
  readonly findings: readonly Finding[];
}

export interface RuleContext {
  readonly loaded: LoadedDocument;
  readonly model: DocumentModel;
  readonly sources: SourcesState;
  /** Memoised analyses shared between rules (see sites.ts, flow.ts, resolve.ts). */
  readonly cache: Map<string, unknown>;
}

export function memo<T>(ctx: RuleContext, key: string, compute: () => T): T {
  if (ctx.cache.has(key)) return ctx.cache.get(key) as T;
  const value = compute();
  ctx.cache.set(key, value);
  return value;
}

export function buildModel(data: Dict): DocumentModel {
  const sources = arrayAt(data, 'sourceDescriptions').map((raw, index): SourceModel => ({
    index,
    pointer: childPointer('/sourceDescriptions', index),
    name: stringAt(raw, 'name'),
    url: stringAt(raw, 'url'),
    type: stringAt(raw, 'type'),
  }));
  const sourceByName = new Map<string, SourceModel>();
  for (const source of sources) {
    if (source.name !== undefined && !sourceByName.has(source.name))
      sourceByName.set(source.name, source);
  }
  const workflows: WorkflowModel[] = [];
  for (const [index, raw] of arrayAt(data, 'workflows').entries()) {
    if (!isDict(raw)) continue;
    workflows.push(buildWorkflow(raw, index));
  }
  const workflowById = new Map<string, WorkflowModel>();
  for (const workflow of workflows) {
    if (workflow.id !== undefined && !workflowById.has(workflow.id))
      workflowById.set(workflow.id, workflow);
  }
  const components = dictAt(data, 'components');
  return {
    data,
    sources,
    sourceByName,
    workflows,
    workflowById,
    components: {
      inputs: dictAt(components, 'inputs') ?? {},
      parameters: dictAt(components, 'parameters') ?? {},
      successActions: dictAt(components, 'successActions') ?? {},
      failureActions: dictAt(components, 'failureActions') ?? {},
    },
  };
}

function buildWorkflow(raw: Dict, index: number): WorkflowModel {
  const pointer = childPointer('/workflows', index);
  const steps: StepModel[] = [];
  const stepById = new Map<string, StepModel>();
  const workflow: WorkflowModel = {
    index,
    pointer,
    raw,
    id: stringAt(raw, 'workflowId'),
    steps,
    stepById,
    outputNames: new Set(Object.keys(dictAt(raw, 'outputs') ?? {})),
  };
  for (const [stepIndex, stepRaw] of arrayAt(raw, 'steps').entries()) {
    if (!isDict(stepRaw)) continue;
    const step: StepModel = {
      index: stepIndex,
      pointer: childPointer(childPointer(pointer, 'steps'), stepIndex),
      raw: stepRaw,
      id: stringAt(stepRaw, 'stepId'),
      workflow,
      target: targetOf(stepRaw),
      outputNames: new Set(Object.keys(dictAt(stepRaw, 'outputs') ?? {})),
    };
    steps.push(step);
    if (step.id !== undefined && !stepById.has(step.id)) stepById.set(step.id, step);
  }
  return workflow;
}

function targetOf(step: Dict): StepTarget {
  const present = (['operationId', 'operationPath', 'workflowId'] as const).filter(
    (key) => step[key] !== undefined,
  );
  const [kind] = present;
  if (present.length !== 1 || kind === undefined) return undefined;
  const value = step[kind];
  return typeof value === 'string' ? { kind, value } : undefined;
}
