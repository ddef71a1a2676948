import { crossLinks, splitEdges } from './links.js';
import type { GraphEdge, GraphNode, NodeKind, WorkflowGraph } from './model.js';

const NODE_STYLE: Readonly<Record<NodeKind, string>> = {
  start: 'shape=oval, style=filled, fillcolor="#eef2f7", color="#5b6b7f"',
  operation: 'shape=box, style=rounded',
  call: 'shape=box, peripheries=2, style=filled, fillcolor="#f3effa", color="#6a4c93"',
  transfer: 'shape=cds, style=filled, fillcolor="#fff6e0", color="#b7791f"',
  success:
    'shape=doublecircle, style=filled, fillcolor="#e6f4ea", color="#2e7d32", fontcolor="#1b5e20"',
  failure: 'shape=octagon, style=filled, fillcolor="#fdecea", color="#c62828", fontcolor="#b71c1c"',
  external: 'shape=box, style="rounded,dashed", color="#8a94a6", fontcolor="#5b6b7f"',
};

/**
 * 1.1 dependencies are not control flow: an open arrowhead (UML's dependency), coloured, and
 * no say in the ranks (`constraint=false`), since they point back at earlier steps.
 */
const DEPENDENCY_STYLE: Readonly<Record<string, string>> = {
  dependsOn: 'style=dashed, color="#6a4c93", fontcolor="#6a4c93", arrowhead=vee, constraint=false',
  implicit: 'style=dotted, color="#8a94a6", fontcolor="#5b6b7f", arrowhead=vee, constraint=false',
};

/**
 * The same graph as `toMermaid`, for Graphviz (`dot -Tsvg`): one digraph, a cluster per
 * workflow when there are several, failure paths dashed and red.
 */
export function toDot(graphs: WorkflowGraph | readonly WorkflowGraph[]): string {
  const list: readonly WorkflowGraph[] = isGraphList(graphs) ? graphs : [graphs];
  const name = list.length === 1 && list[0] ? list[0].workflowId : 'arazzo';
  const lines = [
    `digraph ${dotString(name)} {`,
    '  rankdir=TB;',
    '  node [fontname="Helvetica,Arial,sans-serif", fontsize=11];',
    '  edge [fontname="Helvetica,Arial,sans-serif", fontsize=10];',
  ];
  const links = crossLinks(list);
  const prefixOf = (index: number): string => (list.length > 1 ? `w${index + 1}_` : '');
  const across: string[] = [];
  list.forEach((graph, index) => {
    const prefix = prefixOf(index);
    const indent = list.length > 1 ? '    ' : '  ';
    const graphLinks = links[index] ?? new Map();
    if (list.length > 1)
      lines.push(`  subgraph cluster_${index + 1} {`, `    label=${dotString(graph.workflowId)};`);
    for (const node of graph.nodes) {
      // A step of another drawn workflow is drawn in that workflow's cluster.
      if (!graphLinks.has(node.id)) lines.push(`${indent}${nodeLine(node, prefix)}`);
    }
    const edges = splitEdges(graph, graphLinks);
    for (const edge of edges.inside)
      lines.push(`${indent}${edgeLine(edge, prefix + edge.from, prefix + edge.to)}`);
    for (const [edge, link] of edges.across)
      across.push(`  ${edgeLine(edge, prefix + edge.from, prefixOf(link.graph) + link.id)}`);
    if (list.length > 1) lines.push('  }');
  });
  // Outside the clusters: a node named in a cluster's statement becomes a member of it.
  lines.push(...across, '}');
  return `${lines.join('\n')}\n`;
}

function nodeLine(node: GraphNode, prefix: string): string {
  return `${prefix}${node.id} [label=${dotLabel(node.label)}, ${NODE_STYLE[node.kind]}];`;
}

function edgeLine(edge: GraphEdge, from: string, to: string): string {
  const dependency = DEPENDENCY_STYLE[edge.kind];
  const attributes = [
    ...(edge.label.length > 0 ? [`label=${dotLabel(edge.label)}`] : []),
    ...(edge.outcome === 'failure'
      ? ['style=dashed', 'color="#c62828"', 'fontcolor="#c62828"']
      : []),
    ...(dependency === undefined ? [] : [dependency]),
  ];
  const suffix = attributes.length > 0 ? ` [${attributes.join(', ')}]` : '';
  return `${from} -> ${to}${suffix};`;
}

function dotLabel(lines: readonly string[]): string {
  return `"${lines.map(dotText).join('\\n')}"`;
}

/** A DOT quoted string. */
export function dotString(text: string): string {
  return `"${dotText(text)}"`;
}

/** Text inside `"…"`: backslashes and quotes escaped (so `\N`, `\l` stay literal), controls as spaces. */
function dotText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced.
  return text.replace(/[\u0000-\u001F\u007F]+/g, ' ').replace(/[\\"]/g, (match) => `\\${match}`);
}

function isGraphList(
  value: WorkflowGraph | readonly WorkflowGraph[],
): value is readonly WorkflowGraph[] {
  return Array.isArray(value);
}
