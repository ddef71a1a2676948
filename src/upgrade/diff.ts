/**
 * A unified diff of two texts, line by line (what `arazzo upgrade` prints without `--write`).
 * No diff library is installed, so this is Myers' O(ND) shortest edit script (E. Myers, "An
 * O(ND) Difference Algorithm and Its Variations", 1986) after trimming the common head and
 * tail; an upgrade changes few lines, so D is small.
 */

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Lines of `text`; a final newline ends the last line instead of starting an empty one. */
function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, finalNewline };
}

/** The edit script turning `a` into `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const middle = myers(x, y);
  return [
    ...a.slice(0, head).map((line): Op => ({ kind: ' ', line })),
    ...middle,
    ...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })),
  ];
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let px: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))) {
        px = v[offset + k + 1] ?? 0;
      } else {
        px = (v[offset + k - 1] ?? 0) + 1;
      }
      let py = px - k;
      while (px < n && py < m && a[px] === b[py]) {
        px++;
        py++;
      }
      v[offset + k] = px;
      if (px >= n && py >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const ops: Op[] = [];
  let px = n;
  let py = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] ?? v;
    const k = px - py;
    let prevK: number;
    if (k === -d || (k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0))) {
      prevK = k + 1;
    } else {
      prevK = k - 1;
    }
    const prevX = vd[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (px > prevX && py > prevY) {
      ops.push({ kind: ' ', line: a[px - 1] ?? '' });
      px--;
      py--;
    }
    if (d > 0) {
      if (px === prevX) ops.push({ kind: '+', line: b[py - 1] ?? '' });
      else ops.push({ kind: '-', line: a[px - 1] ?? '' });
    }
    px = prevX;
    py = prevY;
  }
  return ops.reverse();
}

/**
 * `diff -u` output: `--- from`, `+++ to`, then hunks with `context` lines around each change.
 * Empty when the texts are equal.
 */
export function unifiedDiff(
  before: string,
  after: string,
  fromName: string,
  toName: string,
  context = 3,
): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a.lines, b.lines);
  // Line numbers (1-based) of each op in a and b.
  const positions: { aLine: number; bLine: number }[] = [];
  let aLine = 1;
  let bLine = 1;
  for (const op of ops) {
    positions.push({ aLine, bLine });
    if (op.kind !== '+') aLine++;
    if (op.kind !== '-') bLine++;
  }
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: string[] = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] ?? 0;
    let last = first;
    while (i + 1 < changed.length && (changed[i + 1] ?? 0) - last <= 2 * context + 1) {
      i++;
      last = changed[i] ?? last;
    }
    i++;
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(start, end + 1);
    const aCount = slice.filter((op) => op.kind !== '+').length;
    const bCount = slice.filter((op) => op.kind !== '-').length;
    const at = positions[start] ?? { aLine: 1, bLine: 1 };
    const range = (line: number, count: number): string =>
      `${count === 0 ? line - 1 : line}${count === 1 ? '' : `,${count}`}`;
    out.push(`@@ -${range(at.aLine, aCount)} +${range(at.bLine, bCount)} @@`);
    for (let j = start; j <= end; j++) {
      const op = ops[j];
      if (op === undefined) continue;
      out.push(`${op.kind}${op.line}`);
      const lastOfA = op.kind !== '+' && (positions[j]?.aLine ?? 0) === a.lines.length;
      const lastOfB = op.kind !== '-' && (positions[j]?.bLine ?? 0) === b.lines.length;
      if ((lastOfA && !a.finalNewline) || (lastOfB && !b.finalNewline)) {
        if ((op.kind === ' ' && !a.finalNewline && !b.finalNewline) || op.kind !== ' ') {
          out.push('\\ No newline at end of file');
        }
      }
    }
  }
  return `${out.join('\n')}\n`;
}
