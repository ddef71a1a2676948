import type { RuntimeContext } from '../expressions/context.js';
import { evaluateExpression, evaluateValue, type Selections } from '../expressions/index.js';
import type { CompiledOutput } from './compile.js';
import { setOwn } from './own.js';

/**
 * Outputs keep the referenced value's type; one that does not resolve is `null` (the run
 * contract), as is a 1.1 Selector Object that selects nothing or could not be evaluated.
 */
export function evaluateOutputs(
  outputs: readonly CompiledOutput[],
  context: RuntimeContext,
  selections?: Selections,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { name, value } of outputs) {
    // The common case, a whole expression, without evaluateValue's bookkeeping (a poll repeats it).
    const result =
      value.kind === 'expression'
        ? evaluateExpression(value.expression, context)
        : evaluateValue(value, context, selections).value;
    setOwn(values, name, result ?? null);
  }
  return values;
}
