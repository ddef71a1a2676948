import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SpecVersion } from '../../document/constants.js';

/**
 * The vendored schema file: next to this module (in the sources), else in the sources seen from
 * the compiled module (`dist/src/validate/schema/`).
 */
function schemaPath(file: string): string {
  const candidates = [
    new URL(`./${file}`, import.meta.url),
    new URL(`../../../../src/validate/schema/${file}`, import.meta.url),
  ].map((url) => fileURLToPath(url));
  return candidates.find((path) => existsSync(path)) ?? candidates[candidates.length - 1] ?? file;
}

/** The official Arazzo JSON Schema of `version` as vendored (unpatched; schema/README.md). */
export function officialSchema(version: SpecVersion = '1.0'): unknown {
  return JSON.parse(readFileSync(schemaPath(`arazzo-${version}.schema.json`), 'utf8'));
}
