import type { Workflow } from '../../document/types.js';
import type { CompiledWorkflow } from '../../runtime/compile.js';
import {
  operationLabel,
  workflowView,
  type ActionView,
  type DependencyView,
  type StepView,
  type WorkflowView,
  type WorkflowViewOptions,
} from './workflow-view.js';

/**
 * The control flow of one workflow as the runner executes it (README "How the runner reads a
 * workflow"): a renderer-neutral graph that `toMermaid` and `toDot` draw.
 */
export interface WorkflowGraph {
  readonly workflowId: string;
  readonly summary?: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export type NodeKind =
  /** Where the workflow begins. */
  | 'start'
  /** A step that calls an operation. */
  | 'operation'
  /** A step that runs another workflow and comes back (`step.workflowId`). */
  | 'call'
  /** A `goto` to another workflow: a one-way transfer, this workflow ends with its result. */
  | 'transfer'
  /** The workflow succeeds. */
  | 'success'
  /** The workflow fails. */
  | 'failure'
  /**
   * A step of another workflow that a step depends on (1.1 `dependsOn`). When that workflow is
   * drawn too, the renderers point at its own node instead (links.ts).
   */
  | 'external';

export interface GraphNode {
  /** `[A-Za-z0-9_]+`, unique in the graph, never a renderer keyword. */
  readonly id: string;
  readonly kind: NodeKind;
  /** Lines of text; the first is the name (stepId, workflowId…). */
  readonly label: readonly string[];
  readonly stepId?: string;
  readonly workflowId?: string;
  /** For an `external` step of an Arazzo source's workflow: the source's name. */
  readonly sourceName?: string;
}

export type EdgeKind =
  /** start → first step. */
  | 'start'
  /** Success without a matching action: the next step (or the workflow's success after the last). */
  | 'next'
  | 'goto'
  | 'end'
  /** Self-loop of a `retry` action (one that names a step or workflow runs it first). */
  | 'retry'
  /** `goto` a workflow. */
  | 'transfer'
  /** Failure without a matching action: the workflow fails. */
  | 'fail'
  /** 1.1 step `dependsOn`: from the step to the step it waits for. Not control flow. */
  | 'dependsOn'
  /**
   * An implicit dependency (1.1 §Step Dependencies and Execution Order): the step reads the
   * other's outputs. Drawn only in workflows that use `dependsOn`, where it decides the order.
   */
  | 'implicit';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /**
   * Whether the edge is taken after the step succeeded or failed (`start` for the entry edge);
   * `dependency` for a `dependsOn` or `implicit` edge, which is never taken.
   */
  readonly outcome: 'start' | 'success' | 'failure' | 'dependency';
  /** Lines of text: the action (name, retry limit) then its criteria conditions. */
  readonly label: readonly string[];
  readonly action?: string;
}

/** Longest condition (or list of parameter names) shown on an edge; the full text is in `arazzo describe`. */
const MAX_CONDITION = 60;

/**
 * The graph of a compiled workflow (operations resolved: `GET /status/{id}`) or of a raw one from
 * the document (no sources needed: operations shown by operationId).
 */
export function workflowGraph(
  source: CompiledWorkflow | Workflow,
  options: WorkflowViewOptions = {},
): WorkflowGraph {
  return graphOfView(workflowView(source, options));
}

export function graphOfView(view: WorkflowView): WorkflowGraph {
  const ids = new IdAllocator();
  const startId = ids.take('start');
  const okId = ids.take('exit_ok');
  const failId = ids.take('exit_fail');
  const stepIds = new Map<string, string>();
  for (const step of view.steps) {
    if (!stepIds.has(step.stepId)) stepIds.set(step.stepId, ids.take(`step_${step.stepId}`));
  }

  // A duplicated stepId (an invalid document; `validate` reports it) is drawn once.
  const unique = view.steps.filter(
    (step, index) => view.steps.findIndex((s) => s.stepId === step.stepId) === index,
  );
  const stepNodes: GraphNode[] = unique.map((step) => {
    const id = stepIds.get(step.stepId) ?? '';
    // 1.1 step `timeout` (each attempt, POSITIONS §11.3) under the target.
    const timeout = step.timeoutMs === undefined ? [] : [`timeout ${step.timeoutMs} ms`];
    if (step.target.kind === 'workflow') {
      return {
        id,
        kind: 'call',
        label: [step.stepId, `⤷ workflow ${step.target.workflowId}`, ...timeout],
        stepId: step.stepId,
        workflowId: step.target.workflowId,
      };
    }
    const detail =
      step.target.kind === 'operation' ? operationLabel(step.target.operation) : '(no operation)';
    return { id, kind: 'operation', label: [step.stepId, detail, ...timeout], stepId: step.stepId };
  });

  const transfers = new Map<string, GraphNode>();
  const transferNode = (workflowId: string): string => {
    let node = transfers.get(workflowId);
    if (!node) {
      node = {
        id: ids.take(`workflow_${workflowId}`),
        kind: 'transfer',
        label: [`→ workflow ${workflowId}`],
        workflowId,
      };
      transfers.set(workflowId, node);
    }
    return node.id;
  };

  const edges: GraphEdge[] = [];
  const firstStep = view.steps[0];
  edges.push({
    from: startId,
    to: firstStep ? (stepIds.get(firstStep.stepId) ?? okId) : okId,
    kind: 'start',
    outcome: 'start',
    label: [],
  });

  const targets: Targets = { stepIds, okId, failId, transferNode };
  view.steps.forEach((step, index) => {
    const from = stepIds.get(step.stepId) ?? '';
    const next = view.steps[index + 1];
    const nextId = next ? (stepIds.get(next.stepId) ?? okId) : okId;
    // Success: the first matching action wins; none → the next step.
    const success = reachable(step.onSuccess);
    for (const action of success.actions) {
      edges.push(...actionEdges(action, 'success', from, targets));
    }
    if (!success.closed) {
      const label = step.onSuccess.length > 0 ? ['otherwise'] : [];
      edges.push({ from, to: nextId, kind: 'next', outcome: 'success', label });
    }
    // Failure: a retry repeats the step, an exhausted one falls through; none matching → the workflow fails.
    const failure = reachable(step.onFailure);
    for (const action of failure.actions) {
      edges.push(...actionEdges(action, 'failure', from, targets));
    }
    if (!failure.closed) {
      const label = [failLabel(failure.actions)];
      edges.push({ from, to: failId, kind: 'fail', outcome: 'failure', label });
    }
  });

  const externals = new Map<string, GraphNode>();
  edges.push(...dependencyEdges(unique, view.workflowId, stepIds, externals, ids));

  const used = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
  const terminals: GraphNode[] = [
    { id: okId, kind: 'success', label: ['✔ success'] },
    { id: failId, kind: 'failure', label: ['✖ failure'] },
  ];
  const start: GraphNode = {
    id: startId,
    kind: 'start',
    label: [
      `▶ ${view.workflowId}`,
      ...(view.dependsOn.length > 0 ? [`after ${view.dependsOn.join(', ')}`] : []),
    ],
    workflowId: view.workflowId,
  };
  return {
    workflowId: view.workflowId,
    ...(view.summary === undefined ? {} : { summary: view.summary }),
    nodes: [
      start,
      ...stepNodes,
      ...transfers.values(),
      ...externals.values(),
      ...terminals.filter((node) => used.has(node.id)),
    ],
    edges,
  };
}

/**
 * 1.1 step dependencies, after the control flow: from each step to the step it waits for, the
 * UML way (a dashed arrow from the dependent). A step of another workflow gets an `external`
 * node; an entry that names no step gets no edge (validate reports it).
 */
function dependencyEdges(
  steps: readonly StepView[],
  workflowId: string,
  stepIds: ReadonlyMap<string, string>,
  externals: Map<string, GraphNode>,
  ids: IdAllocator,
): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  for (const step of steps) {
    const from = stepIds.get(step.stepId) ?? '';
    for (const dependency of step.dependsOn ?? []) {
      const to = dependencyNode(dependency, workflowId, stepIds, externals, ids);
      if (to === undefined || seen.has(`${from} ${to}`)) continue;
      seen.add(`${from} ${to}`);
      edges.push(
        dependency.implicit === true
          ? { from, to, kind: 'implicit', outcome: 'dependency', label: ['reads outputs'] }
          : { from, to, kind: 'dependsOn', outcome: 'dependency', label: ['dependsOn'] },
      );
    }
  }
  return edges;
}

function dependencyNode(
  dependency: DependencyView,
  workflowId: string,
  stepIds: ReadonlyMap<string, string>,
  externals: Map<string, GraphNode>,
  ids: IdAllocator,
): string | undefined {
  const { stepId, sourceName } = dependency;
  if (stepId === undefined) return undefined;
  const other = dependency.workflowId;
  if (other === undefined || (sourceName === undefined && other === workflowId))
    return stepIds.get(stepId);
  const key = JSON.stringify([sourceName, other, stepId]);
  let node = externals.get(key);
  if (!node) {
    const where = sourceName === undefined ? other : `${sourceName} ${other}`;
    node = {
      id: ids.take(`dep_${where}_${stepId}`),
      kind: 'external',
      label: [
        stepId,
        sourceName === undefined
          ? `in workflow ${other}`
          : `in workflow ${other} of source ${sourceName}`,
      ],
      stepId,
      workflowId: other,
      ...(sourceName === undefined ? {} : { sourceName }),
    };
    externals.set(key, node);
  }
  return node.id;
}

interface Targets {
  readonly stepIds: ReadonlyMap<string, string>;
  readonly okId: string;
  readonly failId: string;
  readonly transferNode: (workflowId: string) => string;
}

/**
 * The actions that can be selected, in order: everything up to the first one without criteria
 * that leaves the step (it always matches, so later ones never run). A retry without criteria
 * does not close the list: once exhausted, later actions are tried (§Failure Action Object).
 */
function reachable(actions: readonly ActionView[]): { actions: ActionView[]; closed: boolean } {
  const result: ActionView[] = [];
  for (const action of actions) {
    if (action.type === 'unresolved') continue;
    result.push(action);
    if (action.criteria.length === 0 && (action.type === 'end' || action.type === 'goto')) {
      return { actions: result, closed: true };
    }
  }
  return { actions: result, closed: false };
}

function actionEdges(
  action: ActionView,
  outcome: 'success' | 'failure',
  from: string,
  targets: Targets,
): GraphEdge[] {
  // All criteria must hold: one per line, the later ones prefixed with `and`.
  const conditions = action.criteria.map(
    (criterion, index) => `${index > 0 ? 'and ' : ''}${shorten(criterion.condition)}`,
  );
  const base = { outcome, action: action.name } as const;
  if (action.type === 'retry') {
    const limit = action.retryLimit ?? 1;
    const after = action.retryAfter ? ` after ${action.retryAfter}s` : '';
    const runs =
      action.stepId !== undefined
        ? [`runs step ${action.stepId} first`]
        : action.workflowId !== undefined
          ? [`runs workflow ${action.workflowId} first`]
          : [];
    const label = [
      `${action.name}: retry ×${limit}${after}`,
      ...runs,
      ...parameterLine(action),
      ...conditions,
    ];
    return [{ ...base, from, to: from, kind: 'retry', label }];
  }
  const label = [
    action.name,
    ...(action.type === 'end' ? [] : parameterLine(action)),
    ...conditions,
  ];
  if (action.type === 'end') {
    return [
      {
        ...base,
        from,
        to: outcome === 'success' ? targets.okId : targets.failId,
        kind: 'end',
        label,
      },
    ];
  }
  if (action.stepId !== undefined) {
    const to = targets.stepIds.get(action.stepId);
    // The runner fails the workflow on a goto to an unknown step.
    if (to === undefined)
      return [
        {
          ...base,
          from,
          to: targets.failId,
          kind: 'goto',
          label: [...label, `unknown step ${action.stepId}`],
        },
      ];
    return [{ ...base, from, to, kind: 'goto', label }];
  }
  if (action.workflowId !== undefined) {
    return [
      { ...base, from, to: targets.transferNode(action.workflowId), kind: 'transfer', label },
    ];
  }
  // A goto naming nothing: the document is invalid (validate says so); the step cannot go on.
  return [{ ...base, from, to: targets.failId, kind: 'goto', label: [...label, 'no target'] }];
}

/** 1.1 action `parameters` by name only (a graph shows no values): `with thingId, label`. */
function parameterLine(action: ActionView): string[] {
  const names = (action.parameters ?? []).map((parameter) => parameter.name);
  return names.length === 0 ? [] : [shorten(`with ${names.join(', ')}`)];
}

function failLabel(actions: readonly ActionView[]): string {
  if (actions.length === 0) return 'fail';
  if (actions.every((action) => action.type === 'retry' && action.criteria.length === 0))
    return 'retries exhausted';
  return 'otherwise';
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_CONDITION ? `${oneLine.slice(0, MAX_CONDITION - 1)}…` : oneLine;
}

/** Node ids safe for Mermaid and DOT: `[A-Za-z0-9_]`, unique, never a bare keyword. */
class IdAllocator {
  readonly #used = new Set<string>();

  take(wanted: string): string {
    const base = wanted.replace(/[^A-Za-z0-9_]/g, '_') || 'node';
    let id = base;
    for (let n = 2; this.#used.has(id); n += 1) id = `${base}_${n}`;
    this.#used.add(id);
    return id;
  }
}
