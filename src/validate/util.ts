/** Small readers for data that has not been checked yet: rules run on schema-invalid documents too. */

import { isRecord } from '../document/guards.js';

export type Dict = Readonly<Record<string, unknown>>;

/** document/guards.ts `isRecord`, typed read-only for rules. */
export const isDict: (value: unknown) => value is Dict = isRecord;

export function dictAt(parent: unknown, key: string): Dict | undefined {
  const value = isDict(parent) ? parent[key] : undefined;
  return isDict(value) ? value : undefined;
}

export function arrayAt(parent: unknown, key: string): readonly unknown[] {
  const value = isDict(parent) ? parent[key] : undefined;
  return Array.isArray(value) ? value : [];
}

export function stringAt(parent: unknown, key: string): string | undefined {
  const value = isDict(parent) ? parent[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function has(parent: unknown, key: string): boolean {
  return isDict(parent) && Object.hasOwn(parent, key);
}

/** `a`, `b` and `c` — for lists of names in messages. */
export function listWords(words: readonly string[], conjunction = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1] ?? ''}`;
}

/** Identifiers a step, workflow or source name SHOULD match (Arazzo 1.0.1; enforced by 1.1). */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Output, input and component names (Arazzo 1.0.1 §Workflow Object, §Components Object). */
export const NAME_PATTERN = /^[a-zA-Z0-9.\-_]+$/;

export { SOURCE_PREFIX } from '../document/constants.js';
