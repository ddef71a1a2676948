import type { Expression } from './ast.js';

/**
 * The Arazzo spelling of an expression that navigates with `.name` / `[n]` (the compatibility
 * form, POSITIONS §4.4): the same reference as a JSON pointer, e.g. `$response.body.items[0]` →
 * `$response.body#/items/0`. An expression without accessors is returned as written.
 */
export function pointerForm(expression: Expression): string {
  const accessors = expression.accessors ?? [];
  const first = accessors[0];
  if (first === undefined) return expression.text;
  const pointer = accessors
    .map(
      (a) =>
        '/' +
        (a.kind === 'index' ? String(a.index) : a.name.replaceAll('~', '~0').replaceAll('/', '~1')),
    )
    .join('');
  return `${expression.text.slice(0, first.offset)}#${pointer}`;
}
