/**
 * Values in failure reasons: JSON text, shortened so a reason stays one readable line.
 */
const MAX = 80;

export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? `(${typeof value})`;
  } catch {
    text = `(unserializable ${typeof value})`;
  }
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}
