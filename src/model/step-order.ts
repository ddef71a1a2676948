/**
 * Arazzo 1.1 §Step Object `dependsOn` and "Step Dependencies and Execution Order": "Tools MUST
 * respect all declared `dependsOn` relationships. Tools MUST also treat runtime expression output
 * references (e.g., `$steps.stepId.outputs.field`) as implicit dependencies", and "Tools
 * supporting only sequential execution MUST execute steps in an order that satisfies both".
 * This runner is sequential: a workflow in which some step declares `dependsOn` runs its steps in
 * the stable topological order of both kinds of dependency (document order among steps that are
 * free to go); a workflow without `dependsOn` keeps document order, where a forward output
 * reference is an error (`step-not-run-before`, "implementations SHOULD produce an error").
 * POSITIONS §11.4.
 */
import { expressionsIn, type Expression } from '../expressions/index.js';
import { childPointer } from '../errors.js';
import type { DependencyProblem, StepDependency, StepModel, WorkflowModel } from './types.js';

/** Where dependency problems go: the workflow's list and the model's errors (compile-document.ts). */
export type ReportDependency = (problem: DependencyProblem) => void;

const WORKFLOW_STEP = /^\$workflows\.([^.]+)\.steps\.([^.]+)$/;
const SOURCE_STEP = /^\$sourceDescriptions\.([^.]+)\.([^.]+)\.steps\.([^.]+)$/;

/** A step's `dependsOn` entries, resolved where this document can say (unknown ones reported). */
export function compileDependsOn(
  step: StepModel,
  workflowById: ReadonlyMap<string, WorkflowModel>,
  report: ReportDependency,
): StepDependency[] {
  const list = step.raw['dependsOn'];
  if (!Array.isArray(list)) return [];
  const out: StepDependency[] = [];
  for (const [index, entry] of list.entries()) {
    const pointer = childPointer(childPointer(step.pointer, 'dependsOn'), index);
    if (typeof entry !== 'string') continue; // the schema says so
    const label = `step "${step.id ?? step.index}"`;
    const workflowStep = WORKFLOW_STEP.exec(entry);
    const sourceStep = SOURCE_STEP.exec(entry);
    if (sourceStep) {
      const [, sourceName = '', workflowId = '', stepId = ''] = sourceStep;
      out.push({ pointer, raw: entry, kind: 'source', sourceName, workflowId, stepId });
      continue;
    }
    const [workflowId, stepId] = workflowStep
      ? [workflowStep[1] ?? '', workflowStep[2] ?? '']
      : [step.workflow.id, entry];
    const workflow = workflowStep ? workflowById.get(workflowId ?? '') : step.workflow;
    const target = workflow?.stepById.get(stepId);
    if (!workflow || !target) {
      const where = workflow
        ? `workflow "${workflowId}" has no step "${stepId}"`
        : `there is no workflow "${workflowId}"`;
      const message = `${label} depends on "${entry}", but ${where}`;
      report({ code: 'step-dependency-not-found', message, pointer });
      continue;
    }
    if (target === step) {
      report({ code: 'step-dependency-cycle', message: `${label} depends on itself`, pointer });
      continue;
    }
    out.push({ pointer, raw: entry, kind: workflowStep ? 'workflow' : 'local', step: target });
  }
  return out;
}

/**
 * The order a workflow's steps run in: document order, unless some step has `dependsOn`; then
 * the stable topological order of explicit and implicit (output reference) dependencies inside
 * the workflow. A cycle is reported once, at the entry or step that closes it, and leaves
 * document order (the workflow does not run: it has a problem).
 */
export function executionOrder(
  workflow: WorkflowModel,
  report: ReportDependency,
): readonly StepModel[] {
  const { steps } = workflow;
  if (!steps.some((step) => step.dependsOn.length > 0)) return steps;
  const position = new Map(steps.map((step, index) => [step, index]));
  /** Per step: the positions it waits for, with the pointer that says so. */
  const waitsFor = steps.map((step) => prerequisites(step, position));
  const dependents: number[][] = steps.map(() => []);
  const pending = waitsFor.map((list) => list.length);
  waitsFor.forEach((list, index) => {
    for (const [before] of list) dependents[before]?.push(index);
  });
  const ready = new MinHeap();
  pending.forEach((count, index) => {
    if (count === 0) ready.push(index);
  });
  const order: StepModel[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(steps[next] as StepModel);
    for (const after of dependents[next] ?? []) {
      pending[after] = (pending[after] ?? 0) - 1;
      if (pending[after] === 0) ready.push(after);
    }
  }
  if (order.length === steps.length) return order;
  reportCycle(steps, waitsFor, pending, report);
  return steps;
}

/** Positions `step` must follow: its local `dependsOn` entries and the steps whose outputs it reads. */
function prerequisites(
  step: StepModel,
  position: ReadonlyMap<StepModel, number>,
): [number, string][] {
  const out = new Map<number, string>();
  for (const dependency of step.dependsOn) {
    if (dependency.kind !== 'local') continue;
    const at = position.get(dependency.step);
    if (at !== undefined && !out.has(at)) out.set(at, dependency.pointer);
  }
  for (const target of outputDependencies(step)) {
    const at = position.get(target);
    if (at !== undefined && !out.has(at)) out.set(at, step.pointer);
  }
  return [...out];
}

/**
 * The implicit dependencies of `step` ("runtime expression output references … as implicit
 * dependencies", 1.1 §Step Dependencies and Execution Order): the other steps of its workflow
 * whose outputs it reads, first reference first. `describe` and `graph` show them too.
 */
export function outputDependencies(step: StepModel): StepModel[] {
  const out = new Set<StepModel>();
  for (const expression of outputReferences(step)) {
    if (expression.kind !== 'steps' || expression.stepId === step.id) continue;
    const target = step.workflow.stepById.get(expression.stepId);
    if (target !== undefined) out.add(target);
  }
  return [...out];
}

/** The expressions evaluated when the step runs (parameters, body, criteria, outputs, actions). */
function outputReferences(step: StepModel): Expression[] {
  const values = [
    ...step.parameters.filter((p) => p.origin === 'step').map((p) => p.value?.compiled),
    step.requestBody?.payload?.compiled,
    ...(step.requestBody?.replacements ?? []).map((r) => r.value.compiled),
  ];
  const criteria = [
    ...step.successCriteria,
    ...[...step.onSuccess, ...step.onFailure]
      .filter((action) => action.origin === 'step')
      .flatMap((action) => action.criteria),
  ];
  return [
    ...values.flatMap((value) => (value === undefined ? [] : expressionsIn(value))),
    ...criteria.flatMap((criterion) => criterion.compiled?.expressions ?? []),
    ...step.outputs.flatMap((output) =>
      output.expression ? [output.expression] : output.selector ? [output.selector.context] : [],
    ),
  ];
}

function reportCycle(
  steps: readonly StepModel[],
  waitsFor: readonly (readonly [number, string][])[],
  pending: readonly number[],
  report: ReportDependency,
): void {
  // Every step left waits for another step left: walking back from one must meet itself.
  const start = pending.findIndex((count) => count > 0);
  const seen = new Map<number, number>();
  const path: [number, string][] = [];
  let at = start;
  while (!seen.has(at)) {
    seen.set(at, path.length);
    const edge = (waitsFor[at] ?? []).find(([before]) => (pending[before] ?? 0) > 0);
    if (!edge) return;
    path.push([at, edge[1]]);
    at = edge[0];
  }
  const cycle = path.slice(seen.get(at));
  const indexes = cycle.map(([index]) => index);
  const names = [...indexes, indexes[0] ?? start]
    .map((index) => steps[index]?.id ?? String(index))
    .reverse();
  const pointer = cycle[0]?.[1] ?? steps[start]?.pointer ?? '';
  const message = `steps depend on each other in a cycle: ${names.join(' → ')}`;
  report({ code: 'step-dependency-cycle', message, pointer });
}

/** The smallest waiting position first: document order among the steps free to run. */
class MinHeap {
  readonly #items: number[] = [];

  push(value: number): void {
    const items = this.#items;
    items.push(value);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if ((items[parent] ?? 0) <= value) break;
      items[i] = items[parent] ?? 0;
      items[parent] = value;
      i = parent;
    }
  }

  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && (items[left] ?? 0) < (items[smallest] ?? 0)) smallest = left;
      if (right < items.length && (items[right] ?? 0) < (items[smallest] ?? 0)) smallest = right;
      if (smallest === i) break;
      [items[i], items[smallest]] = [items[smallest] ?? 0, items[i] ?? 0];
      i = smallest;
    }
    return top;
  }
}
