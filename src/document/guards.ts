/**
 * The one plain-object guard: a JSON object (not null, not an array). Documents, descriptions and
 * response bodies are read through it before any field is looked up, since any of them can be
 * malformed (rules run on documents the schema rejected; descriptions come from other people).
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
