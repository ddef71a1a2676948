/**
 * JSONPath queries, compiled once, in the two dialects Arazzo 1.0.1 names:
 *
 *   - `rfc9535` — RFC 9535, the default for `type: jsonpath` (§Criterion Object: "the expression
 *     MUST conform to JSONPath (RFC 9535)"). Engine: json-p3 in strict mode; the RFC 9535
 *     compliance test suite runs through this module (test/criteria/jsonpath-cts.test.ts).
 *   - `goessner` — `draft-goessner-dispatch-jsonpath-00` (§Criterion Expression Type Object).
 *     Engine: jsonpath-plus with `eval: 'safe'` — filter and script expressions (`?(…)`, `(…)`) are
 *     interpreted by its own small expression evaluator, never by JavaScript `eval`/`Function`
 *     (`eval: false` would reject every filter, which the draft's examples rely on). Evaluation
 *     errors inside a filter (`@.a.b` on an item without `a`) count as "no match" for that item
 *     (`ignoreEvalErrors`), as in the draft's JavaScript reference implementation's typical use.
 *
 * `pointers` gives the nodelist's locations as RFC 6901 JSON Pointers, for a Payload Replacement
 * `target` (Arazzo 1.1 §Payload Replacement Object, `targetSelectorType: jsonpath`; POSITIONS
 * §11.8): json-p3's `toPointer()`, jsonpath-plus's `resultType: 'pointer'`.
 *
 * A query that does not parse throws CriterionError `JSONPATH_SYNTAX` with the offset of the
 * problem. The draft has no formal grammar, so for `goessner` we check what can be checked up
 * front: a leading `$`, balanced brackets and parentheses, and that every filter/script parses.
 */
import { JSONPathEnvironment, JSONPathError, type JSONValue } from 'json-p3';
import type { JSONPathOptions } from 'jsonpath-plus';
import { loadJsonpathPlus } from '../lazy-modules.js';
import { CriterionError } from './errors.js';
import { singularQueryToPointer } from './jsonpath-comparison.js';

export type JsonPathDialect = 'rfc9535' | 'goessner';

/** The dialect of an Expression Type Object `version` for `jsonpath` (RFC 9535 unless Goessner). */
export function jsonPathDialectOf(version: string | undefined): JsonPathDialect {
  return version === 'draft-goessner-dispatch-jsonpath-00' ? 'goessner' : 'rfc9535';
}

export interface CompiledJsonPath {
  readonly dialect: JsonPathDialect;
  /** The query text. */
  readonly source: string;
  /**
   * A singular query (RFC 9535 §2.3.5.1: at most one node). For the Goessner draft, which has no
   * such notion: a path of names and non-negative indices only.
   */
  readonly singular: boolean;
  /** The nodelist's values (in document order for RFC 9535). May throw for pathological data (recursion limit). */
  query(value: unknown): unknown[];
  /** Where the nodes are, as RFC 6901 JSON Pointers (`''` for the root), in nodelist order. */
  pointers(value: unknown): string[];
}

/** One shared environment: it holds the function extensions (length, count, match, search, value). */
const environment = new JSONPathEnvironment({ strict: true });

export function compileJsonPath(
  query: string,
  dialect: JsonPathDialect = 'rfc9535',
): CompiledJsonPath {
  return dialect === 'rfc9535' ? compileRfc9535(query) : compileGoessner(query);
}

function compileRfc9535(source: string): CompiledJsonPath {
  let compiled: ReturnType<JSONPathEnvironment['compile']>;
  try {
    compiled = environment.compile(source);
  } catch (error) {
    throw syntaxError(error, source);
  }
  return {
    dialect: 'rfc9535',
    source,
    singular: compiled.singularQuery(),
    // The engine's JSONValue type is structural JSON; the runtime only ever passes parsed JSON.
    query: (value): unknown[] => compiled.query(value as JSONValue).values(),
    pointers: (value): string[] =>
      compiled
        .query(value as JSONValue)
        .pointers()
        .map((pointer) => pointer.toString()),
  };
}

function syntaxError(error: unknown, source: string): CriterionError {
  if (error instanceof JSONPathError) {
    const index = error.token.index;
    const message = error.message.replace(/ \('.*':\d+\)$/s, '');
    return new CriterionError(
      'JSONPATH_SYNTAX',
      `invalid JSONPath (RFC 9535): ${message}`,
      Number.isInteger(index) && index >= 0 && index <= source.length ? index : 0,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new CriterionError('JSONPATH_SYNTAX', `invalid JSONPath (RFC 9535): ${detail}`, 0, {
    cause: error,
  });
}

function compileGoessner(source: string): CompiledJsonPath {
  checkGoessner(source);
  const run = (value: unknown, resultType: 'value' | 'pointer'): unknown[] => {
    const result: unknown = loadJsonpathPlus().JSONPath<unknown>({
      path: source,
      json: value as JSONPathOptions['json'],
      wrap: true,
      eval: 'safe',
      ignoreEvalErrors: true,
      resultType,
    });
    return Array.isArray(result) ? (result as unknown[]) : [];
  };
  return {
    dialect: 'goessner',
    source,
    singular: singularQueryToPointer(source) !== undefined,
    query: (value) => run(value, 'value'),
    pointers: (value) =>
      run(value, 'pointer').filter((pointer): pointer is string => typeof pointer === 'string'),
  };
}

const goessnerError = (message: string, offset: number): CriterionError =>
  new CriterionError(
    'JSONPATH_SYNTAX',
    `invalid JSONPath (draft-goessner-dispatch-jsonpath-00): ${message}`,
    offset,
  );

/** The jsonpath-plus filter/script interpreter (parses with jsep; no JavaScript evaluation). */
interface ScriptClass {
  new (code: string): unknown;
}

function safeScriptClass(): ScriptClass | undefined {
  const prototype = (
    loadJsonpathPlus().JSONPath as unknown as { prototype?: { safeVm?: { Script?: unknown } } }
  ).prototype;
  const candidate = prototype?.safeVm?.Script;
  return typeof candidate === 'function' ? (candidate as ScriptClass) : undefined;
}

function checkGoessner(source: string): void {
  if (!source.startsWith('$')) throw goessnerError('a query starts with "$"', 0);
  const open: { char: string; at: number }[] = [];
  const scripts: { code: string; at: number }[] = [];
  for (let i = 1; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === "'" || c === '"') {
      const close = findClosingQuote(source, i);
      if (close === -1) throw goessnerError(`missing closing ${c}`, i);
      i = close;
    } else if (c === '[' || c === '(') {
      open.push({ char: c, at: i });
      // A script `(…)` or filter `?(…)` directly inside brackets: remember it for the parse check.
      if (c === '(' && open.length === 2 && /[[?]$/.test(source.slice(0, i))) {
        scripts.push({ code: '', at: i });
      }
    } else if (c === ']' || c === ')') {
      const top = open.pop();
      const expected = c === ']' ? '[' : '(';
      if (top?.char !== expected) throw goessnerError(`unbalanced "${c}"`, i);
      const script = scripts.at(-1);
      if (c === ')' && open.length === 1 && script !== undefined && script.code === '') {
        script.code = source.slice(script.at + 1, i);
      }
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined)
    throw goessnerError(`missing closing bracket for "${unclosed.char}"`, unclosed.at);
  const Script = safeScriptClass();
  if (Script === undefined) return;
  for (const script of scripts) {
    // The same rewrites jsonpath-plus applies before parsing (`@` → its current-value variable).
    const code = script.code
      .replaceAll('@parentProperty', '_$_parentProperty')
      .replaceAll('@parent', '_$_parent')
      .replaceAll('@property', '_$_property')
      .replaceAll('@root', '_$_root')
      .replaceAll('@path', '_$_path')
      .replaceAll(/@([.\s)[])/gu, '_$_v$1')
      .replace(/@$/u, '_$_v');
    try {
      new Script(code);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw goessnerError(`in the expression "${script.code}": ${detail}`, script.at + 1);
    }
  }
}

function findClosingQuote(source: string, start: number): number {
  const quote = source.charAt(start);
  for (let i = start + 1; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') i++;
    else if (c === quote) return i;
  }
  return -1;
}
