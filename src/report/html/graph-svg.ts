import type { GraphEdge, GraphNode, WorkflowGraph } from '../graph/model.js';
import { xmlAttribute, xmlText } from '../xml.js';

/**
 * A workflow's graph (report/graph/model.ts) as inline SVG for the HTML report, drawn here so
 * the report needs no script and no network (a Mermaid renderer would be megabytes). Layout:
 * the start, the steps in run order and the success exit in one column; the failure exit,
 * transfers and other workflows' steps in a second. An edge to the next node in the column is
 * a straight line, any other a curve on the right; a retry or goto to the same step, a loop.
 * `taken`: the edges of the path the run took (from → to node ids), drawn highlighted, and
 * `visited`: the nodes it reached.
 */
export interface TakenPath {
  readonly visited: ReadonlySet<string>;
  readonly taken: ReadonlySet<string>;
}

const WIDTH = 250;
const LINE = 16;
const PAD = 8;
const GAP = 26;
const SECOND_COLUMN = WIDTH + 150;
/** Characters per label line before it is cut (the full text is in the node's title). */
const LABEL_CHARS = 34;

interface Box {
  readonly node: GraphNode;
  readonly x: number;
  readonly y: number;
  readonly height: number;
  readonly column: 0 | 1;
  readonly row: number;
}

export function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

export function graphSvg(graph: WorkflowGraph, path: TakenPath): string {
  const boxes = layout(graph.nodes);
  const byId = new Map(boxes.map((box) => [box.node.id, box]));
  const height = Math.max(...boxes.map((box) => box.y + box.height), 0) + GAP;
  const flow = graph.edges.filter((edge) => edge.outcome !== 'dependency');
  const spread = new Map<string, number>();
  const edges = flow.map((edge) => {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (!from || !to) return '';
    // Curves between the same rows get wider, one after another, so they do not overlap.
    const lane = (spread.get(`${from.row}:${to.row}`) ?? 0) + 1;
    spread.set(`${from.row}:${to.row}`, lane);
    return edgeSvg(edge, from, to, lane, path.taken.has(edgeKey(edge.from, edge.to)));
  });
  const nodes = boxes.map((box) => nodeSvg(box, path.visited.has(box.node.id)));
  const width = SECOND_COLUMN + WIDTH + PAD;
  return [
    `<svg class="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${xmlAttribute(`graph of workflow ${graph.workflowId}`)}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>',
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
}

function layout(nodes: readonly GraphNode[]): Box[] {
  const main = nodes.filter((node) => MAIN_KINDS.has(node.kind));
  const side = nodes.filter((node) => !MAIN_KINDS.has(node.kind));
  // The success exit last in its column, whatever order the model lists it in.
  main.sort((a, b) => Number(a.kind === 'success') - Number(b.kind === 'success'));
  const boxes: Box[] = [];
  let y = GAP;
  main.forEach((node, row) => {
    const height = node.label.length * LINE + 2 * PAD;
    boxes.push({ node, x: PAD, y, height, column: 0, row });
    y += height + GAP;
  });
  let sideY = GAP;
  side.forEach((node, index) => {
    const height = node.label.length * LINE + 2 * PAD;
    boxes.push({ node, x: SECOND_COLUMN, y: sideY, height, column: 1, row: main.length + index });
    sideY += height + GAP;
  });
  return boxes;
}

const MAIN_KINDS: ReadonlySet<string> = new Set(['start', 'operation', 'call', 'success']);

function nodeSvg(box: Box, visited: boolean): string {
  const { node, x, y, height } = box;
  const lines = node.label.map((line, index) => {
    const shown = line.length > LABEL_CHARS ? `${line.slice(0, LABEL_CHARS - 1)}…` : line;
    const weight = index === 0 ? ' font-weight="600"' : '';
    return `<text x="${x + PAD}" y="${y + PAD + (index + 1) * LINE - 4}"${weight}>${xmlText(shown)}</text>`;
  });
  const classes = `node kind-${node.kind}${visited ? ' visited' : ''}`;
  const radius =
    node.kind === 'start' || node.kind === 'success' || node.kind === 'failure' ? 16 : 4;
  return [
    `<g class="${classes}"><title>${xmlText(node.label.join('\n'))}</title>`,
    `<rect x="${x}" y="${y}" width="${WIDTH}" height="${height}" rx="${radius}"/>`,
    ...lines,
    '</g>',
  ].join('');
}

function edgeSvg(edge: GraphEdge, from: Box, to: Box, lane: number, taken: boolean): string {
  const classes = `edge edge-${edge.kind} outcome-${edge.outcome}${taken ? ' taken' : ''}`;
  const title = `<title>${xmlText([edge.kind, ...edge.label].join('\n'))}</title>`;
  return `<g class="${classes}">${title}<path d="${edgePath(from, to, lane)}" marker-end="url(#arrow)"/></g>`;
}

function edgePath(from: Box, to: Box, lane: number): string {
  const right = (box: Box): number => box.x + WIDTH;
  const middle = (box: Box): number => box.y + box.height / 2;
  if (from === to) {
    // A loop on the right edge: a retry, or a goto to the same step (a poll).
    const x = right(from);
    const top = from.y + 6;
    const bottom = from.y + from.height - 6;
    const out = x + 28 + lane * 10;
    return `M${x},${top} C${out},${top - 6} ${out},${bottom + 6} ${x},${bottom}`;
  }
  if (from.column === 0 && to.column === 0 && to.row === from.row + 1) {
    const x = from.x + WIDTH / 2;
    return `M${x},${from.y + from.height} L${x},${to.y - 2}`;
  }
  if (to.column === 1) {
    const [x1, y1] = [right(from), middle(from)];
    const [x2, y2] = [to.x - 2, middle(to)];
    const bend = (x2 - x1) / 2;
    return `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
  }
  // Any other jump in the main column (a goto back or forward, an end): a curve on the right.
  const [x1, y1] = [right(from), middle(from) + 4];
  const [x2, y2] = [right(to) + 2, middle(to) - 4];
  const out = right(from) + 24 + Math.min(Math.abs(to.row - from.row), 6) * 12 + lane * 6;
  return `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2},${y2}`;
}
