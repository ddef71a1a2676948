/**
 * Each expression site compiled once with the engine's own parsers (`src/expressions`,
 * `src/criteria`): the expressions it references (with the pointer and character offset of
 * each, for positions), and its parse errors and lint notes as findings.
 */
import type { SpecVersion } from '../../document/constants.js';
import { childPointer } from '../../errors.js';
import {
  compileValue,
  isExpressionError,
  parseExpression,
  valueNotes,
  type CompiledSelector,
  type CompiledValue,
  type Expression,
  type ValueNote,
} from '../../expressions/index.js';
import {
  checkSelector,
  selectsOneValue,
  compileCriterion,
  isCriterionError,
  type CompiledCriterion,
} from '../../criteria/index.js';
import type { Criterion } from '../../document/types.js';
import { memo, type RuleContext } from './context.js';
import { sites, type Site } from './sites.js';
import type { Finding } from '../types.js';
import { isDict, stringAt } from '../util.js';

export interface Occurrence {
  readonly expression: Expression;
  /** The string that contains it. */
  readonly pointer: string;
  /** Character offset of the expression inside that string. */
  readonly offset: number;
}

export interface CompiledSite {
  readonly site: Site;
  readonly occurrences: readonly Occurrence[];
  /** Parse errors (`expression-invalid`, `criterion-*`) and lint notes. */
  readonly findings: readonly Finding[];
  readonly value?: CompiledValue;
  readonly criterion?: CompiledCriterion;
}

export function compiledSites(ctx: RuleContext): readonly CompiledSite[] {
  return memo(ctx, 'compiled-sites', () =>
    sites(ctx).map((site) => compileSite(site, ctx.model.version)),
  );
}

function compileSite(site: Site, version: SpecVersion): CompiledSite {
  switch (site.form) {
    case 'expression':
      return typeof site.raw === 'string'
        ? compileExpression(site, site.raw, version)
        : { site, occurrences: [], findings: [] };
    case 'id':
      // An id is an expression only in the `$sourceDescriptions.<name>.<id>` form.
      return typeof site.raw === 'string' && site.raw.startsWith('$')
        ? compileExpression(site, site.raw, version)
        : { site, occurrences: [], findings: [] };
    case 'value':
    case 'template':
      return compileValueSite(site, version);
    case 'criterion':
      return isDict(site.raw)
        ? compileCriterionSite(site, version)
        : { site, occurrences: [], findings: [] };
  }
}

function compileExpression(site: Site, text: string, version: SpecVersion): CompiledSite {
  try {
    const expression = parseExpression(text, version);
    // The value compiler notes dot navigation (`$response.body.id`) on whole expressions too.
    const notes = valueNotes(compileValue(text, { version })).filter(
      (note) => note.code === 'DOT_NAVIGATION',
    );
    return {
      site,
      occurrences: [{ expression, pointer: site.pointer, offset: 0 }],
      findings: notes.map((note) => noteFinding(site, note)),
    };
  } catch (error) {
    if (!isExpressionError(error)) throw error;
    return invalidSite(site, error.message, site.pointer, error.offset);
  }
}

/** A site whose expression does not parse: no occurrences, one `expression-invalid` finding. */
function invalidSite(site: Site, message: string, pointer: string, offset: number): CompiledSite {
  return {
    site,
    occurrences: [],
    findings: [
      {
        code: 'expression-invalid',
        message: `invalid runtime expression: ${message}`,
        pointer,
        offset,
      },
    ],
  };
}

function compileValueSite(site: Site, version: SpecVersion): CompiledSite {
  let value: CompiledValue;
  try {
    value = site.compiledValue ?? compileValue(site.raw, { version });
  } catch (error) {
    if (!isExpressionError(error)) throw error;
    const pointer = pathPointer(site.pointer, error.path);
    if (error.code !== 'INVALID_SELECTOR')
      return invalidSite(site, error.message, pointer, error.offset);
    // The 1.1 schema checks a Selector Object's shape where it names one (parameter and
    // replacement values, outputs); a payload member is "Any" to it, so that is said here.
    if (!isPayload(site.pointer)) return { site, occurrences: [], findings: [] };
    return {
      site,
      occurrences: [],
      findings: [{ code: 'selector-invalid', message: error.message, pointer, offset: 0 }],
    };
  }
  const occurrences: Occurrence[] = [];
  const findings = valueNotes(value).map((note) => noteFinding(site, note));
  collectOccurrences(value, site.pointer, occurrences, (selector, pointer) =>
    findings.push(...selectorFindings(site, selector, pointer)),
  );
  return { site, occurrences, findings, value };
}

const isPayload = (pointer: string): boolean => /\/requestBody\/payload(\/|$)/.test(pointer);

const SELECTOR_ERROR_CODES: Record<string, string> = {
  JSONPATH_SYNTAX: 'jsonpath-invalid',
  XPATH_SYNTAX: 'xpath-invalid',
  POINTER_SYNTAX: 'selector-invalid',
};

/**
 * A 1.1 Selector Object's findings: a selector that does not parse (at `selector`); an XPath
 * version run by the 3.1 engine; a JSONPath query that selects an array where a parameter is
 * sent (POSITIONS §11.10: only a singular query selects one value).
 */
function selectorFindings(site: Site, selector: CompiledSelector, pointer: string): Finding[] {
  const at = childPointer(pointer, 'selector');
  const problem = checkSelector(selector);
  if (problem !== undefined) {
    return [
      {
        code: SELECTOR_ERROR_CODES[problem.code] ?? 'selector-invalid',
        message: `selector: ${problem.message}`,
        pointer: at,
        offset: problem.offset,
      },
    ];
  }
  const findings: Finding[] = [];
  const { type } = selector;
  if (type.type === 'xpath' && type.version !== 'xpath-31') {
    findings.push({
      code: 'xpath-version-emulated',
      message: `${type.version} is evaluated by an XPath 3.1 engine`,
      pointer: childPointer(pointer, 'type'),
      severity: 'warning',
    });
  }
  const parameter = site.role === 'step-parameter' || site.role === 'workflow-parameter';
  if (parameter && site.pointer === pointer && selectsOneValue(selector) === false) {
    findings.push({
      code: 'selector-array-parameter',
      message: `${selector.selector} is not a singular query, so it selects an array of every match, and the parameter is sent as that array; a path of names and indices (e.g. $.items[0].id) selects one value`,
      pointer: at,
      severity: 'warning',
    });
  }
  return findings;
}

/** The expressions of a value, with positions; each Selector Object also goes to `onSelector`. */
function collectOccurrences(
  value: CompiledValue,
  pointer: string,
  out: Occurrence[],
  onSelector: (selector: CompiledSelector, pointer: string) => void,
): void {
  switch (value.kind) {
    case 'literal':
      return;
    case 'expression':
      out.push({ expression: value.expression, pointer, offset: 0 });
      return;
    case 'selector': {
      out.push({ expression: value.context, pointer: childPointer(pointer, 'context'), offset: 0 });
      onSelector(value, pointer);
      return;
    }
    case 'template':
      for (const part of value.parts) {
        if (typeof part === 'string') continue;
        out.push({
          expression: part.expression,
          pointer,
          offset: part.braced ? part.offset + 1 : part.offset,
        });
      }
      return;
    case 'array':
      value.items.forEach((item, index) =>
        collectOccurrences(item, childPointer(pointer, index), out, onSelector),
      );
      return;
    case 'object':
      for (const [key, item] of value.entries)
        collectOccurrences(item, childPointer(pointer, key), out, onSelector);
  }
}

const VALUE_NOTE_CODES: Record<string, string> = {
  UNBRACED_EMBEDDED_EXPRESSION: 'expression-unbraced',
  DOT_NAVIGATION: 'expression-dot-navigation',
  BRACED_WHOLE_VALUE: 'expression-braced-whole-value',
};

function noteFinding(site: Site, note: ValueNote): Finding {
  return {
    code: VALUE_NOTE_CODES[note.code] ?? kebab(note.code),
    message: withRewrite(note.message, note.rewrite),
    pointer: pathPointer(site.pointer, note.path),
    offset: note.offset,
    severity: 'warning',
  };
}

/**
 * Criterion problems the schema already reports (a missing `condition`, an unknown `type`, a
 * missing `context`, a wrong `version`) are left to it; the rest get their own codes.
 */
const STRUCTURAL_CRITERION_ERRORS = new Set([
  'CONDITION_MISSING',
  'UNKNOWN_TYPE',
  'INVALID_EXPRESSION_TYPE',
  'VERSION_MISSING',
  'UNSUPPORTED_VERSION',
  'VERSION_NOT_APPLICABLE',
  'VERSION_CONFLICT',
  'CONTEXT_REQUIRED',
]);

const CRITERION_ERROR_CODES: Record<string, string> = {
  EXPRESSION_INVALID: 'expression-invalid',
  REGEX_INVALID: 'regex-invalid',
  JSONPATH_SYNTAX: 'jsonpath-invalid',
  XPATH_SYNTAX: 'xpath-invalid',
};

const CRITERION_NOTE_CODES: Record<string, string> = {
  JSONPATH_COMPARISON_FORM: 'jsonpath-comparison-form',
  JSONPATH_ROOT_FILTER: 'jsonpath-root-filter',
  DOUBLE_QUOTED_STRING: 'condition-double-quoted',
  DOT_NAVIGATION: 'expression-dot-navigation',
  FLAT_EXPRESSION_TYPE: 'criterion-flat-expression-type',
  VERSION_FROM_ARAZZO_1_1: 'criterion-version-1-1',
  XPATH_VERSION_EMULATED: 'xpath-version-emulated',
  CONTEXT_IGNORED: 'criterion-context-ignored',
};

function compileCriterionSite(site: Site, version: SpecVersion): CompiledSite {
  const raw = site.raw as Criterion;
  let criterion: CompiledCriterion;
  try {
    criterion = site.compiledCriterion ?? compileCriterion(raw, version);
  } catch (error) {
    if (!isCriterionError(error)) throw error;
    if (STRUCTURAL_CRITERION_ERRORS.has(error.code)) return { site, occurrences: [], findings: [] };
    const code = CRITERION_ERROR_CODES[error.code] ?? 'condition-invalid';
    return {
      site,
      occurrences: [],
      findings: [
        {
          code,
          message: error.message,
          pointer: childPointer(site.pointer, error.field),
          offset: error.offset,
        },
      ],
    };
  }
  const condition = stringAt(raw, 'condition') ?? '';
  const context = stringAt(raw, 'context');
  const occurrences = criterion.expressions.map((expression): Occurrence => {
    // Positions only: find the expression's text in the field it came from.
    if (context !== undefined && criterion.context === expression) {
      return { expression, pointer: childPointer(site.pointer, 'context'), offset: 0 };
    }
    const at = condition.indexOf(expression.text);
    return {
      expression,
      pointer: childPointer(site.pointer, 'condition'),
      offset: Math.max(at, 0),
    };
  });
  const findings = criterion.notes.map((note): Finding => {
    return {
      code: CRITERION_NOTE_CODES[note.code] ?? kebab(note.code),
      message: withRewrite(note.message, note.rewrite),
      pointer: childPointer(site.pointer, note.field ?? 'condition'),
      offset: note.offset,
      severity: 'warning',
    };
  });
  return { site, occurrences, findings, criterion };
}

/** The pointer of a string inside a compiled value (`path` from the expressions module). */
function pathPointer(pointer: string, path: readonly (string | number)[]): string {
  return path.reduce<string>((at, token) => childPointer(at, token), pointer);
}

/** The message, plus the suggested rewrite unless the message already shows it. */
function withRewrite(message: string, rewrite: string | undefined): string {
  if (rewrite === undefined || message.includes(rewrite)) return message;
  return `${message} (write: ${JSON.stringify(rewrite)})`;
}

function kebab(code: string): string {
  return code.toLowerCase().replaceAll('_', '-');
}
