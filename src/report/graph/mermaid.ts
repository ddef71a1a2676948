import { crossLinks, splitEdges } from './links.js';
import type { EdgeKind, GraphEdge, GraphNode, NodeKind, WorkflowGraph } from './model.js';

/** Node shapes: `[open, close]` around the quoted label. */
const SHAPES: Readonly<Record<NodeKind, readonly [string, string]>> = {
  start: ['([', '])'],
  operation: ['[', ']'],
  call: ['[[', ']]'],
  transfer: ['>', ']'],
  success: ['((', '))'],
  failure: ['{{', '}}'],
  external: ['[/', '/]'],
};

/** Class names carry a prefix so that none is a Mermaid keyword (`call`, `end`, `default`…). */
const CLASSES: readonly (readonly [NodeKind, string])[] = [
  ['start', 'fill:#eef2f7,stroke:#5b6b7f'],
  ['call', 'fill:#f3effa,stroke:#6a4c93'],
  ['transfer', 'fill:#fff6e0,stroke:#b7791f'],
  ['success', 'fill:#e6f4ea,stroke:#2e7d32,color:#1b5e20'],
  ['failure', 'fill:#fdecea,stroke:#c62828,color:#b71c1c'],
  ['external', 'fill:#f4f6f8,stroke:#8a94a6,color:#5b6b7f'],
];

/**
 * 1.1 dependency edges are not control flow: dotted like failure paths, but coloured and dashed
 * apart with `linkStyle` (which counts edges in the order they are written) and labelled.
 */
const DEPENDENCY_STYLES: readonly (readonly [EdgeKind, string])[] = [
  ['dependsOn', 'stroke:#6a4c93,color:#6a4c93,stroke-dasharray:6 4'],
  ['implicit', 'stroke:#8a94a6,color:#5b6b7f,stroke-dasharray:2 4'],
];

/** Failure paths (and dependencies) are dotted; everything else is a solid arrow. */
const FAILURE_ARROW = '-.->';
const ARROW = '-->';

/**
 * A Mermaid `flowchart TD` of one workflow, or of several (one subgraph each). Ids come from
 * the model (`[A-Za-z0-9_]`, prefixed per workflow when there are several) and every label is
 * quoted with its special characters as Mermaid entity codes, so any document renders.
 */
export function toMermaid(graphs: WorkflowGraph | readonly WorkflowGraph[]): string {
  const list: readonly WorkflowGraph[] = isGraphList(graphs) ? graphs : [graphs];
  const lines = ['flowchart TD'];
  const classes = new Map<NodeKind, string[]>();
  const links = crossLinks(list);
  const prefixOf = (index: number): string => (list.length > 1 ? `w${index + 1}_` : '');
  /** Edge positions per kind, for `linkStyle`. */
  const edgeIndexes = new Map<EdgeKind, number[]>();
  let edgeCount = 0;
  const edgeText = (edge: GraphEdge, from: string, to: string): string => {
    edgeIndexes.set(edge.kind, [...(edgeIndexes.get(edge.kind) ?? []), edgeCount]);
    edgeCount += 1;
    return edgeLine(edge, from, to);
  };
  const across: [GraphEdge, string, string][] = [];
  list.forEach((graph, index) => {
    const prefix = prefixOf(index);
    const indent = list.length > 1 ? '    ' : '  ';
    const graphLinks = links[index] ?? new Map();
    if (list.length > 1)
      lines.push(`  subgraph ${prefix}workflow ["${mermaidText(graph.workflowId)}"]`);
    for (const node of graph.nodes) {
      if (graphLinks.has(node.id)) continue; // drawn in its own workflow's subgraph
      lines.push(`${indent}${nodeLine(node, prefix)}`);
      if (node.kind !== 'operation')
        classes.set(node.kind, [...(classes.get(node.kind) ?? []), prefix + node.id]);
    }
    const edges = splitEdges(graph, graphLinks);
    for (const edge of edges.inside)
      lines.push(`${indent}${edgeText(edge, prefix + edge.from, prefix + edge.to)}`);
    for (const [edge, link] of edges.across)
      across.push([edge, prefix + edge.from, prefixOf(link.graph) + link.id]);
    if (list.length > 1) lines.push('  end');
  });
  // After the subgraphs: an edge between two workflows belongs to neither (as in toDot).
  for (const [edge, from, to] of across) lines.push(`  ${edgeText(edge, from, to)}`);
  for (const [kind, style] of CLASSES) {
    const members = classes.get(kind);
    if (members)
      lines.push(`  classDef kind_${kind} ${style}`, `  class ${members.join(',')} kind_${kind}`);
  }
  for (const [kind, style] of DEPENDENCY_STYLES) {
    const indexes = edgeIndexes.get(kind);
    if (indexes) lines.push(`  linkStyle ${indexes.join(',')} ${style}`);
  }
  return `${lines.join('\n')}\n`;
}

function edgeLine(edge: GraphEdge, from: string, to: string): string {
  const arrow = edge.outcome === 'failure' || edge.outcome === 'dependency' ? FAILURE_ARROW : ARROW;
  const label = edge.label.length > 0 ? `|"${edge.label.map(mermaidText).join('<br/>')}"|` : '';
  return `${from} ${arrow}${label} ${to}`;
}

function nodeLine(node: GraphNode, prefix: string): string {
  const [open, close] = SHAPES[node.kind];
  return `${prefix}${node.id}${open}"${node.label.map(mermaidText).join('<br/>')}"${close}`;
}

const ENTITIES: Readonly<Record<string, string>> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '|': '#124;',
  '`': '#96;',
};

/**
 * Label text for inside `"…"`: quotes, `#`, HTML and pipe characters as entity codes, control
 * characters as spaces. `style`/`classDef` get an encoded first letter, since Mermaid trims the
 * last `;` of any line where they appear before a `#…;` (it would break an entity code).
 */
export function mermaidText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced.
  const plain = text.replace(/[\u0000-\u001F\u007F]+/g, ' ');
  return plain.replace(/style|classDef|["#&<>|`]/g, (match) =>
    match.length > 1 ? `#${match.charCodeAt(0)};${match.slice(1)}` : (ENTITIES[match] ?? match),
  );
}

function isGraphList(
  value: WorkflowGraph | readonly WorkflowGraph[],
): value is readonly WorkflowGraph[] {
  return Array.isArray(value);
}
