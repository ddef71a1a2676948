/**
 * Arazzo 1.1 §Selector Object: `{ context, selector, type }` wherever a value may be "Any |
 * {expression} | Selector Object" (Parameter `value`, Payload Replacement `value`, members of a
 * Request Body `payload`) and in step and workflow `outputs`. `context` is a runtime expression
 * that "MUST evaluate to structured data"; `selector` is a JSONPath, XPath or JSON Pointer
 * expression of `type` (a string or an Expression Type Object; expression-type.ts). All three are
 * REQUIRED.
 *
 * Only in 1.1 documents, and only for an object with its own `selector` field (POSITIONS §11.10):
 * in 1.0 such an object is a literal, as it always was. The selector's own syntax is checked by
 * the criteria layer (criteria/select.ts), which also evaluates it.
 */
import type { SpecVersion } from '../document/constants.js';
import type { Expression } from './ast.js';
import { ExpressionError } from './errors.js';
import { readExpressionType, type ExpressionType } from './expression-type.js';
import { parseExpression } from './parse-expression.js';

export interface CompiledSelector {
  readonly kind: 'selector';
  readonly context: Expression;
  /** The selector text, as written. */
  readonly selector: string;
  readonly type: ExpressionType;
}

/** Whether a value is read as a Selector Object in this version of the spec. */
export function isSelectorObject(
  raw: unknown,
  version: SpecVersion,
): raw is Record<string, unknown> {
  return (
    version !== '1.0' &&
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    Object.hasOwn(raw, 'selector')
  );
}

/** Compiles a Selector Object; throws ExpressionError (`INVALID_SELECTOR`, or the context's own). */
export function compileSelector(
  raw: Record<string, unknown>,
  version: SpecVersion,
): CompiledSelector {
  const { context, selector, type } = raw;
  // A missing field is reported at the object, a wrong one at the field.
  const at = (field: string) => (raw[field] === undefined ? undefined : field);
  if (typeof context !== 'string')
    throw invalid(
      'a Selector Object needs "context", a runtime expression such as $response.body',
      at('context'),
    );
  if (typeof selector !== 'string' || selector.length === 0)
    throw invalid(
      'a Selector Object needs "selector", a JSONPath, XPath or JSON Pointer expression',
      at('selector'),
    );
  if (type === undefined)
    throw invalid(
      'a Selector Object needs "type": jsonpath, xpath, jsonpointer or an Expression Type Object',
      undefined,
    );
  const reading = readExpressionType(type);
  if (!reading.ok) throw invalid(reading.message, 'type');
  let expression: Expression;
  try {
    expression = parseExpression(context, version);
  } catch (error) {
    throw error instanceof ExpressionError ? error.at(['context']) : error;
  }
  return { kind: 'selector', context: expression, selector, type: reading.value };
}

function invalid(message: string, field: string | undefined): ExpressionError {
  return new ExpressionError('INVALID_SELECTOR', message, 0, field === undefined ? [] : [field]);
}

/** How a selector is named in a reason or an unresolved list: `$.a.b (jsonpath on $response.body)`. */
export function selectorLabel(selector: CompiledSelector): string {
  return `${selector.selector} (${selector.type.type} on ${selector.context.text})`;
}
