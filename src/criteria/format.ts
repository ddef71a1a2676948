/**
 * Values in failure reasons: JSON text, shortened so a reason stays one readable line.
 */
const MAX = 80;

export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  // A string's first MAX characters give the first MAX - 1 of its JSON text (escapes only grow
  // it), so a long body is not serialised whole to show 80 characters of it.
  if (typeof value === 'string') return shorten(JSON.stringify(value.slice(0, MAX)));
  let text: string;
  try {
    text = JSON.stringify(value) ?? `(${typeof value})`;
  } catch {
    text = `(unserializable ${typeof value})`;
  }
  return shorten(text);
}

/** Text cut to one readable length, with an ellipsis when cut. */
export function shorten(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}
