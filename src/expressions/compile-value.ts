/**
 * Values that may hold runtime expressions: Parameter `value`, Payload Replacement `value`,
 * Request Body `payload` (recursively), Reusable `value`, `operationPath` (Arazzo 1.0.1
 * §Parameter Object, §Request Body Object, §Payload Replacement Object; POSITIONS §4.3).
 *
 * A string value is
 *   1. a whole expression if the entire string is one expression (`$inputs.pet_id`): it evaluates
 *      to the referenced value with its JSON type ("Runtime expressions preserve the type");
 *   2. a template if it embeds expressions (`"id={$inputs.id}"`, or the unbraced compatibility
 *      form `"Bearer $inputs.token"`): each is replaced by its string form (see stringify.ts);
 *   3. otherwise literal text.
 * Other scalars are literals; arrays and objects are walked (keys stay literal). In a 1.1
 * document an object with a `selector` field is a Selector Object (selector.ts): its value is
 * selected before evaluation (criteria/select.ts) and handed to `evaluateValue` in `selections`.
 * Compiled once when the document loads; evaluation never parses.
 */
import type { SpecVersion } from '../document/constants.js';
import type { Expression } from './ast.js';
import type { RuntimeContext } from './context.js';
import { ExpressionError } from './errors.js';
import { evaluateExpression } from './evaluate-expression.js';
import { pointerForm } from './pointer-form.js';
import { scanExpression, startsKnownRoot } from './scan.js';
import {
  compileSelector,
  isSelectorObject,
  selectorLabel,
  type CompiledSelector,
} from './selector.js';
import { evaluateTemplate, hasExpressions, parseTemplate, type TemplatePart } from './template.js';

export type ValuePath = readonly (string | number)[];

export type CompiledValue =
  | { readonly kind: 'literal'; readonly value: unknown }
  | {
      readonly kind: 'expression';
      readonly expression: Expression;
      readonly notes: readonly ValueNote[];
    }
  | {
      readonly kind: 'template';
      readonly source: string;
      readonly parts: readonly TemplatePart[];
      readonly notes: readonly ValueNote[];
    }
  | CompiledSelector
  | { readonly kind: 'array'; readonly items: readonly CompiledValue[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, CompiledValue])[] };

export type ValueNoteCode =
  /** `"Bearer $inputs.token"`: an expression inside a string without `{}` (accepted for compatibility). */
  | 'UNBRACED_EMBEDDED_EXPRESSION'
  /** `$response.body.id` / `$response.body[0]`: dot/index navigation instead of a `#/…` JSON pointer. */
  | 'DOT_NAVIGATION'
  /** `"{$inputs.count}"`: the whole value is one braced expression, so it becomes a string. */
  | 'BRACED_WHOLE_VALUE';

/** A fact `validate` reports (as a warning or hint); evaluation does not depend on it. */
export interface ValueNote {
  readonly code: ValueNoteCode;
  readonly message: string;
  /** Offset inside the string at `path`. */
  readonly offset: number;
  /** Where the string is inside the raw value (`[]` for a string value itself). */
  readonly path: ValuePath;
  /** A suggested replacement for the whole string. */
  readonly rewrite?: string;
}

export interface CompileValueOptions {
  /** The document's Arazzo version: its expression grammar (default 1.0). */
  readonly version?: SpecVersion;
}

export function compileValue(raw: unknown, options: CompileValueOptions = {}): CompiledValue {
  return compileAt(raw, [], options.version ?? '1.0');
}

function compileAt(raw: unknown, path: ValuePath, version: SpecVersion): CompiledValue {
  if (typeof raw === 'string') {
    try {
      return compileString(raw, path, version);
    } catch (error) {
      throw error instanceof ExpressionError ? error.at(path) : error;
    }
  }
  if (isSelectorObject(raw, version)) {
    try {
      return compileSelector(raw, version);
    } catch (error) {
      throw error instanceof ExpressionError ? error.at([...path, ...error.path]) : error;
    }
  }
  if (Array.isArray(raw)) {
    return {
      kind: 'array',
      items: raw.map((item: unknown, i) => compileAt(item, [...path, i], version)),
    };
  }
  if (typeof raw === 'object' && raw !== null) {
    return {
      kind: 'object',
      entries: Object.entries(raw).map(([key, item]: [string, unknown]) => [
        key,
        compileAt(item, [...path, key], version),
      ]),
    };
  }
  return { kind: 'literal', value: raw };
}

function compileString(text: string, path: ValuePath, version: SpecVersion): CompiledValue {
  if (startsKnownRoot(text, 0, version)) {
    // Rule 1: the whole string is one expression. If only a prefix is, it is embedded text.
    const { expression, end } = scanExpression(text, 0, 'whole', version);
    if (end === text.length) {
      return {
        kind: 'expression',
        expression,
        notes: dotNavigationNotes(expression, 0, path, text),
      };
    }
  }
  if (!text.includes('$')) return { kind: 'literal', value: text };
  const parts = parseTemplate(text, { unbraced: true, version });
  if (!hasExpressions(parts)) return { kind: 'literal', value: text };
  const notes: ValueNote[] = [];
  const unbraced = parts.filter((p) => typeof p !== 'string' && !p.braced);
  if (unbraced.length > 0) {
    const rewrite = parts
      .map((p) =>
        typeof p === 'string'
          ? p
          : p.braced
            ? text.slice(p.offset, p.end)
            : `{${p.expression.text}}`,
      )
      .join('');
    for (const part of unbraced) {
      if (typeof part === 'string') continue;
      notes.push({
        code: 'UNBRACED_EMBEDDED_EXPRESSION',
        message: `the expression ${part.expression.text} is embedded without braces; Arazzo embeds expressions as {${part.expression.text}}`,
        offset: part.offset,
        path,
        rewrite,
      });
    }
  }
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined && typeof only !== 'string' && only.braced) {
    notes.push({
      code: 'BRACED_WHOLE_VALUE',
      message: `"{${only.expression.text}}" embeds the expression in a string, so its value is converted to text; write ${only.expression.text} (no braces) to keep its type`,
      offset: 0,
      path,
      rewrite: only.expression.text,
    });
  }
  for (const part of parts) {
    if (typeof part === 'string') continue;
    const start = part.braced ? part.offset + 1 : part.offset;
    notes.push(...dotNavigationNotes(part.expression, start, path, text));
  }
  return { kind: 'template', source: text, parts, notes };
}

/** Dot navigation is only certain after `body` or an index (names may contain dots). */
function dotNavigationNotes(
  expression: Expression,
  start: number,
  path: ValuePath,
  text: string,
): ValueNote[] {
  if (expression.accessors?.[0] === undefined) return [];
  const replacement = pointerForm(expression);
  return [
    {
      code: 'DOT_NAVIGATION',
      message: `${expression.text} navigates with "." / "[]"; the Arazzo form is a JSON pointer: ${replacement}`,
      offset: start,
      path,
      rewrite: text.slice(0, start) + replacement + text.slice(start + expression.text.length),
    },
  ];
}

/**
 * What each Selector Object of a value selected (criteria/select.ts); `undefined`: nothing. A
 * selector that could not be evaluated (its context is not structured data, an XPath error)
 * never gets here: the caller fails with its reason first.
 */
export type Selections = ReadonlyMap<CompiledSelector, unknown>;

const NO_SELECTIONS: Selections = new Map();

export interface ValueResult {
  readonly value: unknown;
  /**
   * Texts of the expressions that evaluated to `undefined`, in order, without repeats (a
   * selector: its label and why it has no value).
   */
  readonly unresolved: string[];
  /** Texts of whole-expression object members that did not resolve and were left out. */
  readonly omitted: string[];
}

/**
 * Evaluates a compiled value. Arrays and objects are rebuilt (never the document's own objects,
 * so the caller may apply payload replacements to the result); an unresolved whole expression
 * yields `undefined` in its place, an unresolved embedded one an empty string. An object member
 * that is a whole expression and does not resolve is left out (JSON has no "undefined": an
 * optional input that was not given, such as pet-coupons' `quantity`), and listed in `omitted`.
 */
export function evaluateValue(
  value: CompiledValue,
  ctx: RuntimeContext,
  selections: Selections = NO_SELECTIONS,
): ValueResult {
  const unresolved = new Set<string>();
  const omitted = new Set<string>();
  const result = evaluateAt(value, { ctx, selections, unresolved, omitted });
  return { value: result, unresolved: [...unresolved], omitted: [...omitted] };
}

interface Evaluation {
  readonly ctx: RuntimeContext;
  readonly selections: Selections;
  readonly unresolved: Set<string>;
  readonly omitted: Set<string>;
}

function evaluateAt(value: CompiledValue, run: Evaluation): unknown {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'expression': {
      const result = evaluateExpression(value.expression, run.ctx);
      if (result === undefined) run.unresolved.add(value.expression.text);
      return result;
    }
    case 'template': {
      const result = evaluateTemplate(value.parts, run.ctx);
      for (const text of result.unresolved) run.unresolved.add(text);
      return result.value;
    }
    case 'selector': {
      const result = run.selections.get(value);
      if (result === undefined) run.unresolved.add(selectorLabel(value));
      return result;
    }
    case 'array':
      return value.items.map((item) => evaluateAt(item, run));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of value.entries) {
        let result: unknown;
        if (item.kind === 'expression') {
          result = evaluateExpression(item.expression, run.ctx);
          if (result === undefined) {
            run.omitted.add(item.expression.text);
            continue;
          }
        } else if (item.kind === 'selector') {
          // Like a whole expression: a member whose selector selects nothing is left out.
          result = run.selections.get(item);
          if (result === undefined) {
            run.omitted.add(selectorLabel(item));
            continue;
          }
        } else {
          result = evaluateAt(item, run);
        }
        // A literal "__proto__" key in a payload must stay a plain member, not set the prototype.
        if (key === '__proto__') {
          Object.defineProperty(out, key, {
            value: result,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[key] = result;
        }
      }
      return out;
    }
  }
}

/** Every lint note inside a compiled value, in document order. */
export function valueNotes(value: CompiledValue): ValueNote[] {
  switch (value.kind) {
    case 'literal':
    case 'selector':
      return [];
    case 'expression':
    case 'template':
      return [...value.notes];
    case 'array':
      return value.items.flatMap(valueNotes);
    case 'object':
      return value.entries.flatMap(([, item]) => valueNotes(item));
  }
}

/** Every expression a compiled value references, in document order. */
export function expressionsIn(value: CompiledValue): Expression[] {
  switch (value.kind) {
    case 'literal':
      return [];
    case 'expression':
      return [value.expression];
    case 'selector':
      return [value.context];
    case 'template':
      return value.parts.flatMap((part) => (typeof part === 'string' ? [] : [part.expression]));
    case 'array':
      return value.items.flatMap(expressionsIn);
    case 'object':
      return value.entries.flatMap(([, item]) => expressionsIn(item));
  }
}

/** Every Selector Object inside a compiled value, in document order. */
export function selectorsIn(value: CompiledValue): CompiledSelector[] {
  switch (value.kind) {
    case 'selector':
      return [value];
    case 'array':
      return value.items.flatMap(selectorsIn);
    case 'object':
      return value.entries.flatMap(([, item]) => selectorsIn(item));
    default:
      return [];
  }
}
