/**
 * How a value is written into a string when an expression is embedded in it (`"id={$inputs.id}"`).
 * Arazzo 1.0.1 only says expressions "can be embedded"; 1.1 §Runtime Expressions makes the
 * conversion normative and we adopt it (POSITIONS §4.3): strings verbatim, other scalars by their
 * string form (`null` → "null"), parsed objects and arrays as RFC 8259 JSON.
 */
export function stringifyEmbedded(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value) ?? '';
    } catch {
      // A cycle or a BigInt inside cannot come from parsed JSON/YAML; keep going with a marker.
      return '[unserializable value]';
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  // Not reachable from parsed JSON/YAML (functions, symbols): say what it is rather than guess.
  return `[${typeof value}]`;
}
