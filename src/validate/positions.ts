import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import { locate, pointerTokens, type Position, type SourceText } from '../document/source-text.js';

/**
 * Where a diagnostic points. Without `offset` this is `locate` (the key of a member, the start of
 * an item). With `offset` — a character offset inside the string value at `pointer`, e.g. where
 * a runtime expression fails to parse — the exact column inside the scalar is computed when the
 * text can be mapped back character for character (single-line plain or quoted scalars without
 * escapes, literal block scalars); otherwise the start of the value is returned.
 */
export function positionOf(source: SourceText, pointer: string, offset?: number): Position {
  if (offset === undefined) return locate(source, pointer);
  const node = nodeAt(source, pointer);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range)
    return locate(source, pointer);
  const start = node.range[0];
  const raw = source.text.slice(start, node.range[1]);
  const value = node.value;
  const at = (absolute: number): Position => {
    const { line, col } = source.lineCounter.linePos(absolute);
    return { line, column: col };
  };
  const clamped = Math.max(0, Math.min(offset, value.length));
  switch (node.type) {
    case Scalar.PLAIN:
      return raw === value ? at(start + clamped) : at(start);
    case Scalar.QUOTE_SINGLE:
      return raw === `'${value}'` ? at(start + 1 + clamped) : at(start);
    case Scalar.QUOTE_DOUBLE:
      return raw === `"${value}"` && !value.includes('\\') ? at(start + 1 + clamped) : at(start);
    case Scalar.BLOCK_LITERAL:
      return literalBlockPosition(source, start, value, clamped) ?? at(start);
    default:
      return at(start);
  }
}

/** The YAML node at `pointer`, or undefined when the pointer goes past the document. */
function nodeAt(source: SourceText, pointer: string): unknown {
  let node: unknown = source.yaml.contents;
  for (const token of pointerTokens(pointer)) {
    if (isMap(node)) {
      node = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === token,
      )?.value;
    } else if (isSeq(node)) {
      node = node.items[Number(token)];
    } else {
      return undefined;
    }
  }
  return node;
}

/** `|` blocks keep lines verbatim after a common indentation, so an offset maps to a line and column. */
function literalBlockPosition(
  source: SourceText,
  start: number,
  value: string,
  offset: number,
): Position | undefined {
  const before = value.slice(0, offset);
  const lineIndex = before.split('\n').length - 1;
  const columnInLine = offset - (before.lastIndexOf('\n') + 1);
  const header = source.lineCounter.linePos(start).line;
  const lines = source.text.split(/\r?\n/);
  const firstContent = lines.slice(header).find((line) => line.trim() !== '');
  if (firstContent === undefined) return undefined;
  const indent = firstContent.length - firstContent.trimStart().length;
  const line = header + 1 + lineIndex;
  if (line > lines.length) return undefined;
  return { line, column: indent + columnInLine + 1 };
}
