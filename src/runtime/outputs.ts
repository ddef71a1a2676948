import type { RuntimeContext } from '../expressions/context.js';
import { evaluateExpression } from '../expressions/index.js';
import type { CompiledOutput } from './compile.js';
import { setOwn } from './own.js';

/** Outputs keep the referenced value's type; one that does not resolve is `null` (the run contract). */
export function evaluateOutputs(
  outputs: readonly CompiledOutput[],
  context: RuntimeContext,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const output of outputs)
    setOwn(values, output.name, evaluateExpression(output.expression, context) ?? null);
  return values;
}
