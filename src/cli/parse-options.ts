import { ArazzoError } from '../errors.js';
import { MAX_DURATION_MS } from '../timers.js';

/**
 * `250ms`, `2s`, `5m`, `1h`, or a plain number of milliseconds (CLI contract), up to a year
 * (8760h): long durations are honoured (timers.ts), longer ones are a mistake (issue 21, F8).
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match)
    throw new ArazzoError(
      'USAGE',
      `${flag}: "${text}" is not a duration (use e.g. 250ms, 2s, 5m or a number of milliseconds)`,
    );
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
  const ms = Number(match[1]) * factor;
  if (!(ms <= MAX_DURATION_MS))
    throw new ArazzoError('USAGE', `${flag}: "${text}" is longer than a year (at most 8760h)`);
  return ms;
}

/** `10MiB`, `512KiB`, `1GiB`, `1MB` or a plain number of bytes. */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(text.trim());
  if (!match) {
    throw new ArazzoError(
      'USAGE',
      `${flag}: "${text}" is not a size (use e.g. 10MiB, 512KiB or a number of bytes)`,
    );
  }
  const units: Record<string, number> = {
    b: 1,
    kb: 1e3,
    kib: 1024,
    mb: 1e6,
    mib: 1024 ** 2,
    gb: 1e9,
    gib: 1024 ** 3,
  };
  return Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1));
}

export function parseCount(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new ArazzoError('USAGE', `${flag}: "${text}" is not a whole number`);
  return Number(text);
}

/** Splits `name=value` at the first `=` only, so values may contain `=`. */
export function splitAssignment(text: string, flag: string): [string, string] {
  const eq = text.indexOf('=');
  // None of the text is echoed: `--input tokenSECRET` (a forgotten `=`) is all secret.
  if (eq <= 0) throw new ArazzoError('USAGE', `${flag}: expected name=value`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * Coerces a command-line string by the input's JSON Schema type (CLI contract): booleans,
 * numbers, objects and arrays are parsed; strings stay verbatim. A value that does not fit its
 * type is kept as given, so the schema check names it.
 */
export function coerceInput(text: string, schema: unknown): unknown {
  const types = schemaTypes(schema);
  if (types.length === 0 || types.includes('string')) return text;
  const trimmed = text.trim();
  if (types.includes('boolean') && (trimmed === 'true' || trimmed === 'false'))
    return trimmed === 'true';
  if (
    (types.includes('number') || types.includes('integer')) &&
    trimmed !== '' &&
    !Number.isNaN(Number(trimmed))
  ) {
    return Number(trimmed);
  }
  if (types.includes('null') && trimmed === 'null') return null;
  if (types.includes('object') || types.includes('array')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function schemaTypes(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const type = (schema as { type?: unknown }).type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

// One definition, in the runtime, which durable runs also read it from.
export { propertySchema } from '../runtime/inputs.js';
