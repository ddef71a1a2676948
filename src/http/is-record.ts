/** A JSON object (not null, not an array): what OpenAPI fields must be before they are read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
