/**
 * Readers for data that has not been checked: the model is built from documents the schema may
 * have rejected (validate reports everything in one pass), so every raw value is read through
 * these, never cast.
 */

import { isRecord } from '../document/guards.js';

export type Dict = Readonly<Record<string, unknown>>;

/** document/guards.ts `isRecord`, typed read-only. */
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

export function numberAt(parent: unknown, key: string): number | undefined {
  const value = isDict(parent) ? parent[key] : undefined;
  return typeof value === 'number' ? value : undefined;
}

export function has(parent: unknown, key: string): boolean {
  return isDict(parent) && Object.hasOwn(parent, key);
}
