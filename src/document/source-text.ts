import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import { ArazzoError, fileLocation } from '../errors.js';

/**
 * A parsed YAML/JSON text that still knows where every value came from, so diagnostics
 * carrying a JSON pointer can be reported with a line and column (yaml's node ranges +
 * LineCounter: offsets become positions only when reported).
 */
export interface SourceText {
  /** Absolute path or URL of the text. */
  readonly file: string;
  readonly text: string;
  readonly yaml: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Limits that keep a hostile document from exhausting memory: alias expansion is capped
 * (YAML "billion laughs"), and so is the nesting depth of the data.
 */
const MAX_ALIAS_COUNT = 1000;
/** No Arazzo or OpenAPI document needs more; deeper data would only endanger recursive code. */
export const MAX_DEPTH = 256;

/** Parses YAML 1.2 (JSON is a subset) with the core schema. Throws `YAML_SYNTAX` located at its offset. */
export function parseSourceText(text: string, file: string): { source: SourceText; data: unknown } {
  const lineCounter = new LineCounter();
  // Arazzo §Format: YAML 1.2, keys are strings, tags limited to the JSON schema ruleset.
  const yaml = parseDocument(text, {
    lineCounter,
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
    // Warnings (e.g. an unresolved tag) stay in yaml.warnings for `validate`; never printed here.
    logLevel: 'error',
  });
  const first = yaml.errors[0];
  if (first) {
    const offset = first.pos[0];
    const { line, col } = lineCounter.linePos(offset);
    const message =
      first.code === 'RESOURCE_EXHAUSTION'
        ? 'the document is nested too deeply to read'
        : (first.message.split('\n')[0] ?? first.message);
    throw new ArazzoError('YAML_SYNTAX', message, {
      location: fileLocation(file, offset),
      linePos: { line, column: col },
    });
  }
  let data: unknown;
  try {
    data = yaml.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ArazzoError('YAML_SYNTAX', (error as Error).message, {
      location: fileLocation(file),
    });
  }
  if (depthExceeds(data, MAX_DEPTH)) {
    throw new ArazzoError(
      'DOCUMENT_INVALID',
      `the document is nested deeper than ${MAX_DEPTH} levels`,
      { location: fileLocation(file) },
    );
  }
  return { source: { file, text, yaml, lineCounter }, data };
}

/** Whether `data` nests deeper than `limit`, checked without recursion. */
function depthExceeds(data: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[data, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [value, depth] = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

/** RFC 6901: decodes a pointer into its reference tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return [];
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  return body
    .split('/')
    .slice(1)
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * Where the value at `pointer` starts in the text. When the pointer goes deeper than the
 * document (a missing field), the position of the nearest existing ancestor is returned,
 * which is where the user has to add it.
 */
export function locate(source: SourceText, pointer: string): Position {
  let node: unknown = source.yaml.contents;
  let offset = rangeStart(node) ?? 0;
  for (const token of pointerTokens(pointer)) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === token,
      );
      // Point at the key: that is where an editor puts the cursor for "this field".
      offset = rangeStart(pair?.key) ?? offset;
      next = pair?.value;
    } else if (isSeq(node)) {
      next = node.items[Number(token)];
    }
    if (next === undefined || next === null) break;
    if (!isMap(node)) offset = rangeStart(next) ?? offset;
    node = next;
  }
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}
