/**
 * `arazzo upgrade`: an Arazzo 1.0.x document → a 1.1.0 document that means the same
 * (POSITIONS §11.5). Pure: text in, text and what was changed or refused out.
 *
 * The document is read with the `yaml` Document API (it is JSON too) only to find nodes and
 * their source ranges; each change is spliced into the original text at those ranges, so every
 * byte not changed — comments, key order, quoting, indentation, blank lines, JSON layout — stays
 * as written (re-printing the whole Document with `toString()` re-indents and re-wraps lines).
 * The result is read back and compared with the intended data before it is returned.
 *
 * Where a 1.0 construct has no faithful 1.1 spelling the upgrade refuses, with one reason per
 * place; a refused upgrade has no text to write.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { specVersionOf, type SpecVersion } from '../document/constants.js';
import { childPointer } from '../errors.js';
import { compileValue, parseExpression } from '../expressions/index.js';
import { resolveType } from '../criteria/expression-type.js';
import { tokenize } from '../criteria/simple/tokenize.js';
import { parseCondition } from '../criteria/substitute.js';
import type { Criterion } from '../document/types.js';

/** The version an upgraded document declares. */
export const TARGET_VERSION = '1.1.0';

export interface UpgradeNote {
  /** 1-based line in the input. */
  readonly line: number;
  /** JSON Pointer of the place in the document. */
  readonly pointer: string;
  readonly message: string;
}

export interface UpgradeResult {
  /** `upgraded`: `text` is the 1.1 document; `current`: already 1.1.x; `refused`: see `refusals`. */
  readonly status: 'upgraded' | 'current' | 'refused';
  /** The upgraded text (the input unchanged unless `upgraded`). */
  readonly text: string;
  readonly format: 'yaml' | 'json';
  readonly changes: readonly UpgradeNote[];
  readonly refusals: readonly UpgradeNote[];
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

type Data = Record<string, unknown>;

const isData = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `text` is JSON rather than YAML: it starts with `{` (YAML documents rarely do). */
function looksLikeJson(text: string): boolean {
  return /^\s*\{/.test(text.replace(/^\uFEFF/, ''));
}

export function upgradeText(text: string): UpgradeResult {
  return new Upgrader(text).run();
}

class Upgrader {
  private readonly lines = new LineCounter();
  private readonly format: 'yaml' | 'json';
  private readonly doc: Document.Parsed;
  private readonly edits: Edit[] = [];
  /** Applied to a copy of the data to get what the upgraded text must read as. */
  private readonly expected: ((data: Data) => void)[] = [];
  private readonly changes: UpgradeNote[] = [];
  private readonly refusals: UpgradeNote[] = [];
  private readonly edited = new Set<Node>();

  constructor(private readonly text: string) {
    this.format = looksLikeJson(text) ? 'json' : 'yaml';
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
  }

  run(): UpgradeResult {
    const result = (status: UpgradeResult['status'], out = this.text): UpgradeResult => ({
      status,
      text: out,
      format: this.format,
      changes: status === 'refused' ? [] : this.changes,
      refusals: this.refusals,
    });
    if (this.doc.errors.length > 0) {
      for (const error of this.doc.errors) {
        this.refuseAt(error.pos[0], '', `not readable as YAML or JSON: ${error.message}`);
      }
      return result('refused');
    }
    const root = this.doc.contents;
    if (!isMap(root)) {
      this.refuseAt(0, '', 'the document is not a mapping (an Arazzo document is an object)');
      return result('refused');
    }
    const arazzo = this.pair(root, 'arazzo');
    const declared = isScalar(arazzo?.value) ? arazzo.value.value : undefined;
    const version = specVersionOf(declared);
    if (version === '1.1') return result('current');
    if (version !== '1.0' || arazzo === undefined || !isScalar(arazzo.value)) {
      this.refuseAt(
        this.start(this.resolve(arazzo?.value) ?? root),
        '/arazzo',
        `arazzo is ${JSON.stringify(declared) ?? 'missing'}: only a 1.0.x document can be upgraded`,
      );
      return result('refused');
    }
    this.bumpVersion(arazzo.value, String(declared));
    this.walk(root);
    if (this.refusals.length > 0) return result('refused');
    const out = this.apply();
    const check = this.readBack(out);
    if (check !== undefined) {
      this.refuseAt(0, '', check);
      return result('refused');
    }
    return result('upgraded', out);
  }

  // --- the document's structure (1.0.1 §Schema) -------------------------------------------

  private walk(root: YAMLMap): void {
    const workflows = this.value(root, 'workflows');
    if (isSeq(workflows)) {
      workflows.items.forEach((item, index) => {
        const workflow = this.resolve(item);
        if (isMap(workflow)) this.workflow(workflow, childPointer('/workflows', index));
      });
    }
    const components = this.value(root, 'components');
    if (isMap(components)) {
      this.eachEntry(this.value(components, 'parameters'), '/components/parameters', (node, at) =>
        this.parameter(node, at),
      );
      for (const kind of ['successActions', 'failureActions']) {
        this.eachEntry(this.value(components, kind), `/components/${kind}`, (node, at) =>
          this.action(node, at),
        );
      }
    }
  }

  private workflow(workflow: YAMLMap, at: string): void {
    this.parameters(workflow, at);
    this.actions(workflow, 'successActions', at);
    this.actions(workflow, 'failureActions', at);
    this.outputs(workflow, at);
    this.eachItem(this.value(workflow, 'dependsOn'), childPointer(at, 'dependsOn'), (node, p) =>
      this.expressionIfDollar(node, p),
    );
    this.eachItem(this.value(workflow, 'steps'), childPointer(at, 'steps'), (step, p) => {
      if (!isMap(step)) return;
      this.expressionIfDollar(this.value(step, 'operationId'), childPointer(p, 'operationId'));
      this.expressionIfDollar(this.value(step, 'workflowId'), childPointer(p, 'workflowId'));
      const path = this.value(step, 'operationPath');
      if (path !== undefined) this.valueSite(path, childPointer(p, 'operationPath'), 'none');
      this.parameters(step, p);
      this.requestBody(step, p);
      this.criteria(this.value(step, 'successCriteria'), childPointer(p, 'successCriteria'));
      this.actions(step, 'onSuccess', p);
      this.actions(step, 'onFailure', p);
      this.outputs(step, p);
    });
  }

  private parameters(owner: YAMLMap, at: string): void {
    this.eachItem(this.value(owner, 'parameters'), childPointer(at, 'parameters'), (node, p) =>
      this.parameter(node, p),
    );
  }

  /** A Parameter Object or a Reusable Object in its place. */
  private parameter(node: Node, at: string): void {
    if (!isMap(node)) return;
    const reference = this.value(node, 'reference');
    if (reference !== undefined) this.expressionSite(reference, childPointer(at, 'reference'));
    const value = this.value(node, 'value');
    if (value !== undefined) this.valueSite(value, childPointer(at, 'value'), 'top');
  }

  private actions(owner: YAMLMap, key: string, at: string): void {
    this.eachItem(this.value(owner, key), childPointer(at, key), (node, p) => this.action(node, p));
  }

  /** A Success/Failure Action Object or a Reusable Object in its place. */
  private action(node: Node, at: string): void {
    if (!isMap(node)) return;
    const reference = this.value(node, 'reference');
    if (reference !== undefined) this.expressionSite(reference, childPointer(at, 'reference'));
    this.expressionIfDollar(this.value(node, 'workflowId'), childPointer(at, 'workflowId'));
    this.criteria(this.value(node, 'criteria'), childPointer(at, 'criteria'));
  }

  private outputs(owner: YAMLMap, at: string): void {
    this.eachEntry(this.value(owner, 'outputs'), childPointer(at, 'outputs'), (node, p) =>
      this.expressionSite(node, p),
    );
  }

  private requestBody(step: YAMLMap, at: string): void {
    const body = this.value(step, 'requestBody');
    if (!isMap(body)) return;
    const p = childPointer(at, 'requestBody');
    const payload = this.value(body, 'payload');
    if (payload !== undefined) this.valueSite(payload, childPointer(p, 'payload'), 'deep');
    this.eachItem(this.value(body, 'replacements'), childPointer(p, 'replacements'), (r, rp) => {
      if (!isMap(r)) return;
      const value = this.value(r, 'value');
      if (value !== undefined) this.valueSite(value, childPointer(rp, 'value'), 'top');
    });
  }

  private criteria(list: Node | undefined, at: string): void {
    this.eachItem(list, at, (node, p) => {
      if (isMap(node)) this.criterion(node, p);
    });
  }

  // --- what is checked and converted -------------------------------------------------------

  /**
   * A Criterion Object. 1.0 (and its published schema) writes the expression type flat, `type:
   * jsonpath` + sibling `version`; 1.1's Criterion Object has no `version` field (its schema
   * forbids one), only `type: {type, version}` (1.1 §Expression Type Object).
   */
  private criterion(node: YAMLMap, at: string): void {
    const context = this.value(node, 'context');
    if (context !== undefined) this.expressionSite(context, childPointer(at, 'context'));
    const data = this.js(node);
    if (!isData(data)) return;
    let kind: string;
    try {
      kind = resolveType(data as unknown as Criterion).kind;
    } catch {
      return; // already an error in 1.0: the upgrade does not make it one
    }
    const condition = this.value(node, 'condition');
    if (typeof data['condition'] === 'string' && condition !== undefined) {
      const source = data['condition'];
      this.compare(
        condition,
        childPointer(at, 'condition'),
        source,
        kind === 'simple'
          ? (version) => tokenize(source, version)
          : (version) => parseCondition(source, version),
      );
    }
    const versionPair = this.pair(node, 'version');
    const typePair = this.pair(node, 'type');
    if (versionPair === undefined || typePair === undefined) return;
    if (kind !== 'jsonpath' && kind !== 'xpath') return;
    if (isScalar(typePair.value)) this.nestExpressionType(node, typePair, versionPair, kind, at);
    else this.dropRepeatedVersion(node, versionPair, at);
  }

  private nestExpressionType(
    node: YAMLMap,
    typePair: Pair,
    versionPair: Pair,
    kind: string,
    at: string,
  ): void {
    const typeNode = typePair.value as Node;
    const versionNode = versionPair.value;
    if (!isScalar(versionNode) || !isScalar(versionPair.key) || this.edited.has(node)) return;
    const typeSrc = this.source(typeNode);
    const versionSrc = this.source(versionNode);
    const nested =
      this.format === 'json'
        ? `{ "type": ${typeSrc}, "version": ${versionSrc} }`
        : `{ type: ${typeSrc}, version: ${versionSrc} }`;
    const removal = this.removePair(node, versionPair);
    const line = this.start(typeNode);
    if (removal === undefined) {
      // The version pair shares its line with something else (e.g. `- version: …`): put the
      // nested type in its place and remove the `type` line instead.
      const typeRemoval = this.removePair(node, typePair);
      if (typeRemoval === undefined || !isScalar(typePair.key)) {
        this.refuseAt(
          line,
          childPointer(at, 'type'),
          `type: ${kind} with a sibling version must become type: { type: ${kind}, version: … } in 1.1; this layout cannot be rewritten in place, write it by hand`,
        );
        return;
      }
      this.edits.push(typeRemoval, {
        start: this.start(versionPair.key),
        end: this.end(versionNode),
        text: `${this.format === 'json' ? '"type"' : 'type'}: ${nested}`,
      });
    } else {
      this.edits.push(removal, {
        start: this.start(typeNode),
        end: this.end(typeNode),
        text: nested,
      });
    }
    this.edited.add(node);
    const version = versionNode.value;
    this.expect(at, (criterion) => {
      criterion['type'] = { type: kind, version };
      delete criterion['version'];
    });
    this.changes.push({
      line: this.lineOf(line),
      pointer: childPointer(at, 'type'),
      message: `type: ${kind} + version: ${String(version)} → type: { type: ${kind}, version: ${String(version)} } (1.1 §Expression Type Object; a Criterion Object has no version field)`,
    });
  }

  /** `type: {type, version}` plus the same `version` beside it (accepted by 1.0 when equal). */
  private dropRepeatedVersion(node: YAMLMap, versionPair: Pair, at: string): void {
    if (this.edited.has(node)) return;
    const removal = this.removePair(node, versionPair);
    const line = this.start(versionPair.key as Node);
    if (removal === undefined) {
      this.refuseAt(
        line,
        childPointer(at, 'version'),
        'the version next to type: { type, version } is not a Criterion Object field in 1.1; this layout cannot be rewritten in place, remove it by hand',
      );
      return;
    }
    this.edits.push(removal);
    this.edited.add(node);
    this.expect(at, (criterion) => {
      delete criterion['version'];
    });
    this.changes.push({
      line: this.lineOf(line),
      pointer: childPointer(at, 'version'),
      message:
        'removed version next to type: { type, version } (it repeats type.version; 1.1 has no such field)',
    });
  }

  /**
   * A value (Parameter, Reusable or Replacement `value`, a `payload`, `operationPath`): read by
   * the 1.0 and the 1.1 grammar, it must mean the same. 1.1 also reads an object with a
   * `selector` field there as a Selector Object (1.1 §Parameter Object: "Any | {expression} |
   * Selector Object"; §Request Body Object: payloads "can contain … Selector Objects").
   */
  private valueSite(node: Node, at: string, selector: 'none' | 'top' | 'deep'): void {
    // A refused Selector Object already says why; 1.1 compiling it differently would say it twice.
    if (selector !== 'none' && this.selectorObjects(node, at, selector === 'deep')) return;
    const raw = this.js(node);
    this.compare(node, at, raw, (version) => compileValue(raw, { version }));
  }

  /** Refuses each literal object with a `selector` field; whether there was one. */
  private selectorObjects(node: Node, at: string, deep: boolean): boolean {
    const target = this.resolve(node);
    let found = false;
    if (isMap(target)) {
      if (this.pair(target, 'selector') !== undefined) {
        this.refuseAt(
          this.start(target),
          at,
          'a literal object with a "selector" field: 1.1 reads it as a Selector Object (1.1 §Selector Object), and there is no other way to write this literal',
        );
        return true;
      }
      if (!deep) return false;
      for (const pair of target.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (pair.value !== null && typeof pair.value === 'object') {
          found = this.selectorObjects(pair.value as Node, childPointer(at, key), deep) || found;
        }
      }
    } else if (isSeq(target) && deep) {
      target.items.forEach((item, index) => {
        if (item !== null && typeof item === 'object') {
          found = this.selectorObjects(item as Node, childPointer(at, index), deep) || found;
        }
      });
    }
    return found;
  }

  /** A field typed `{expression}` (outputs, `context`, `reference`, `$sourceDescriptions.` ids). */
  private expressionSite(node: Node, at: string): void {
    const raw = this.js(node);
    if (typeof raw !== 'string') return;
    this.compare(node, at, raw, (version) => parseExpression(raw, version));
  }

  private expressionIfDollar(node: Node | undefined, at: string): void {
    if (node === undefined) return;
    const raw = this.js(node);
    if (typeof raw === 'string' && raw.startsWith('$')) this.expressionSite(node, at);
  }

  /**
   * Reads `raw` by both grammars. Something 1.0 already rejects is left alone (the upgrade does
   * not add the error); something 1.1 rejects or reads differently is refused.
   */
  private compare(node: Node, at: string, raw: unknown, read: (v: SpecVersion) => unknown): void {
    let before: string;
    try {
      before = JSON.stringify(read('1.0'));
    } catch {
      return;
    }
    let after: string | undefined;
    let error: string | undefined;
    try {
      after = JSON.stringify(read('1.1'));
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    if (after === before) return;
    this.refuseAt(this.start(node), at, refusalReason(raw, error));
  }

  private bumpVersion(node: Node, declared: string): void {
    const src = this.source(node);
    const quote = src.startsWith('"') ? '"' : src.startsWith("'") ? "'" : '';
    this.edits.push({
      start: this.start(node),
      end: this.end(node),
      text: `${quote}${TARGET_VERSION}${quote}`,
    });
    this.expect('', (data) => {
      data['arazzo'] = TARGET_VERSION;
    });
    this.changes.push({
      line: this.lineOf(this.start(node)),
      pointer: '/arazzo',
      message: `arazzo: ${declared} → ${TARGET_VERSION}`,
    });
  }

  // --- text ------------------------------------------------------------------------------

  /**
   * The edit that removes `pair` from `map`, or undefined when it cannot be removed cleanly:
   * in block style the pair must have its line(s) to itself; in flow style (and JSON) it goes
   * with one adjacent comma.
   */
  private removePair(map: YAMLMap, pair: Pair): Edit | undefined {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    if (key === null || value === null || !isScalar(key)) return undefined;
    const keyStart = this.start(key);
    const valueEnd = this.end(value);
    if (map.flow === true || this.format === 'json') {
      const after = /^\s*,\s*/.exec(this.text.slice(valueEnd));
      if (after !== null && map.items.at(-1) !== pair) {
        return { start: keyStart, end: valueEnd + after[0].length, text: '' };
      }
      const before = /,\s*$/.exec(this.text.slice(0, keyStart));
      if (before !== null) return { start: before.index, end: valueEnd, text: '' };
      return undefined;
    }
    const lineStart = this.text.lastIndexOf('\n', keyStart - 1) + 1;
    if (!/^[ \t]*$/.test(this.text.slice(lineStart, keyStart))) return undefined;
    const newline = this.text.indexOf('\n', valueEnd);
    const lineEnd = newline === -1 ? this.text.length : newline + 1;
    if (!/^[ \t]*(#.*)?\r?\n?$/.test(this.text.slice(valueEnd, lineEnd))) return undefined;
    return { start: lineStart, end: lineEnd, text: '' };
  }

  private apply(): string {
    const edits = [...this.edits].sort((a, b) => b.start - a.start);
    let out = this.text;
    let limit = Infinity;
    for (const edit of edits) {
      if (edit.end > limit) throw new Error('upgrade: overlapping edits');
      out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
      limit = edit.start;
    }
    return out;
  }

  /** Reads the upgraded text back: it must parse and hold exactly the intended data. */
  private readBack(out: string): string | undefined {
    const expected = structuredClone(this.doc.toJS()) as Data;
    for (const change of this.expected) change(expected);
    const reread = parseDocument(out, { prettyErrors: false });
    if (reread.errors.length > 0) {
      return `internal error: the upgraded text does not parse (${reread.errors[0]?.message ?? ''}); nothing written`;
    }
    if (!isDeepStrictEqual(reread.toJS(), expected)) {
      return 'internal error: the upgraded text does not read back as the intended document; nothing written';
    }
    return undefined;
  }

  // --- helpers ---------------------------------------------------------------------------

  private expect(pointer: string, change: (data: Data) => void): void {
    const tokens = pointer === '' ? [] : pointer.slice(1).split('/');
    this.expected.push((data) => {
      let target: unknown = data;
      for (const token of tokens) {
        const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
        target = Array.isArray(target) ? target[Number(key)] : (target as Data)[key];
      }
      if (isData(target)) change(target);
    });
  }

  private resolve(node: unknown): Node | undefined {
    if (isAlias(node)) return this.resolve(node.resolve(this.doc));
    return node !== null && typeof node === 'object' ? (node as Node) : undefined;
  }

  private pair(map: YAMLMap, key: string): Pair | undefined {
    return map.items.find((item: Pair) => isScalar(item.key) && item.key.value === key);
  }

  private value(map: YAMLMap, key: string): Node | undefined {
    return this.resolve(this.pair(map, key)?.value);
  }

  private eachItem(list: Node | undefined, at: string, visit: (node: Node, at: string) => void) {
    if (!isSeq(list)) return;
    list.items.forEach((item, index) => {
      const node = this.resolve(item);
      if (node !== undefined) visit(node, childPointer(at, index));
    });
  }

  private eachEntry(map: Node | undefined, at: string, visit: (node: Node, at: string) => void) {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      const node = this.resolve(pair.value);
      if (node !== undefined && isScalar(pair.key)) {
        visit(node, childPointer(at, String(pair.key.value)));
      }
    }
  }

  private js(node: Node): unknown {
    return node.toJS(this.doc);
  }

  private start(node: Node): number {
    return node.range?.[0] ?? 0;
  }

  private end(node: Node): number {
    return node.range?.[1] ?? 0;
  }

  private source(node: Node): string {
    return this.text.slice(this.start(node), this.end(node));
  }

  private lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  private refuseAt(offset: number, pointer: string, message: string): void {
    this.refusals.push({ line: this.lineOf(offset), pointer, message });
  }
}

/** Why a value or expression cannot be carried over, in the words of the 1.1 text. */
function refusalReason(raw: unknown, error: string | undefined): string {
  const text = JSON.stringify(raw) ?? '';
  if (text.includes('$components.inputs')) {
    return '$components.inputs.<name> is not a runtime expression in 1.1 (1.1 §Runtime Expressions: component-type = "parameters" / "successActions" / "failureActions"); a workflow\'s inputs reuse a schema with $ref: \'#/components/inputs/<name>\', and there is no 1.1 expression for it here';
  }
  const root = /\$(self|message)\b/.exec(text)?.[0];
  if (root !== undefined) {
    return `${root} is literal text in 1.0 but a runtime expression in 1.1 (1.1 §Runtime Expressions adds "$self" and "$message."), and 1.1 has no way to write it as text`;
  }
  return `1.1 reads this differently${error === undefined ? '' : `: ${error}`}`;
}
