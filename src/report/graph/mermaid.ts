import type { GraphNode, NodeKind, WorkflowGraph } from './model.js';

/** Node shapes: `[open, close]` around the quoted label. */
const SHAPES: Readonly<Record<NodeKind, readonly [string, string]>> = {
  start: ['([', '])'],
  operation: ['[', ']'],
  call: ['[[', ']]'],
  transfer: ['>', ']'],
  success: ['((', '))'],
  failure: ['{{', '}}'],
};

/** Class names carry a prefix so that none is a Mermaid keyword (`call`, `end`, `default`…). */
const CLASSES: readonly (readonly [NodeKind, string])[] = [
  ['start', 'fill:#eef2f7,stroke:#5b6b7f'],
  ['call', 'fill:#f3effa,stroke:#6a4c93'],
  ['transfer', 'fill:#fff6e0,stroke:#b7791f'],
  ['success', 'fill:#e6f4ea,stroke:#2e7d32,color:#1b5e20'],
  ['failure', 'fill:#fdecea,stroke:#c62828,color:#b71c1c'],
];

/** Failure paths are dotted; everything else is a solid arrow. */
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
  list.forEach((graph, index) => {
    const prefix = list.length > 1 ? `w${index + 1}_` : '';
    const indent = list.length > 1 ? '    ' : '  ';
    if (list.length > 1)
      lines.push(`  subgraph ${prefix}workflow ["${mermaidText(graph.workflowId)}"]`);
    for (const node of graph.nodes) {
      lines.push(`${indent}${nodeLine(node, prefix)}`);
      if (node.kind !== 'operation')
        classes.set(node.kind, [...(classes.get(node.kind) ?? []), prefix + node.id]);
    }
    for (const edge of graph.edges) {
      const arrow = edge.outcome === 'failure' ? FAILURE_ARROW : ARROW;
      const label = edge.label.length > 0 ? `|"${edge.label.map(mermaidText).join('<br/>')}"|` : '';
      lines.push(`${indent}${prefix}${edge.from} ${arrow}${label} ${prefix}${edge.to}`);
    }
    if (list.length > 1) lines.push('  end');
  });
  for (const [kind, style] of CLASSES) {
    const members = classes.get(kind);
    if (members)
      lines.push(`  classDef kind_${kind} ${style}`, `  class ${members.join(',')} kind_${kind}`);
  }
  return `${lines.join('\n')}\n`;
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
