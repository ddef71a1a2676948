import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCHEMA_FILE = 'arazzo-1.0.schema.json';

/** The vendored schema file: next to the compiled module when copied there, else in the sources. */
function schemaPath(): string {
  const candidates = [
    new URL(`./schema/${SCHEMA_FILE}`, import.meta.url),
    new URL(`../../../src/validate/schema/${SCHEMA_FILE}`, import.meta.url),
  ].map((url) => fileURLToPath(url));
  return (
    candidates.find((path) => existsSync(path)) ?? candidates[candidates.length - 1] ?? SCHEMA_FILE
  );
}

/** The official Arazzo 1.0 JSON Schema as vendored (unpatched). */
export function officialSchema(): unknown {
  return JSON.parse(readFileSync(schemaPath(), 'utf8'));
}
