import type { GraphEdge, GraphNode, WorkflowGraph } from './model.js';

/**
 * Several workflows drawn together: a step's 1.1 `dependsOn` entry
 * `$workflows.<workflowId>.steps.<stepId>` points at that workflow's own node when the workflow
 * is drawn too, instead of at the `external` stand-in its graph has on its own (model.ts).
 */
export interface CrossLink {
  /** The graph (position in the list) that holds the step depended on. */
  readonly graph: number;
  readonly id: string;
}

/** Per graph: `external` node id → the node of the drawn workflow it stands for. */
export function crossLinks(list: readonly WorkflowGraph[]): ReadonlyMap<string, CrossLink>[] {
  return list.map((graph) => {
    const links = new Map<string, CrossLink>();
    for (const node of graph.nodes) {
      const link = linkOf(node, list);
      if (link !== undefined) links.set(node.id, link);
    }
    return links;
  });
}

function linkOf(node: GraphNode, list: readonly WorkflowGraph[]): CrossLink | undefined {
  // A source's workflow is another document's: never one of these graphs.
  if (node.kind !== 'external' || node.sourceName !== undefined) return undefined;
  const index = list.findIndex((graph) => graph.workflowId === node.workflowId);
  const target = list[index]?.nodes.find(
    (candidate) =>
      candidate.stepId === node.stepId &&
      (candidate.kind === 'operation' || candidate.kind === 'call'),
  );
  return target === undefined ? undefined : { graph: index, id: target.id };
}

/** The edges of a graph that stay inside it, and those that go to another drawn workflow. */
export function splitEdges(
  graph: WorkflowGraph,
  links: ReadonlyMap<string, CrossLink>,
): { readonly inside: GraphEdge[]; readonly across: [GraphEdge, CrossLink][] } {
  const inside: GraphEdge[] = [];
  const across: [GraphEdge, CrossLink][] = [];
  for (const edge of graph.edges) {
    const link = links.get(edge.to);
    if (link === undefined) inside.push(edge);
    else across.push([edge, link]);
  }
  return { inside, across };
}
