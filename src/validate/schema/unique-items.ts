import { _, type KeywordCxt } from 'ajv/dist/2020.js';
import type { CodeKeywordDefinition } from 'ajv';
import { UNIQUE_KEYWORD } from './schema-patches.js';

/**
 * `uniqueItems` in linear time, for the patched schema (schema-patches.ts, patch 6): ajv's own
 * compares every pair of items, which a document with thousands of steps makes quadratic.
 * Defined as generated code (not a `validate` function) so that the schema can also be
 * compiled ahead of time (scripts/schema-codegen.ts): the code calls `duplicateItems`, imported by the
 * generated module.
 */
export const uniqueItemsKeyword: CodeKeywordDefinition = {
  keyword: UNIQUE_KEYWORD,
  type: 'array',
  schemaType: 'boolean',
  // ajv's own uniqueItems error: items i and j are equal (i the later one).
  error: {
    message: 'must NOT have duplicate items',
    params: ({ params }) => _`{i: ${params['i']}, j: ${params['j']}}`,
  },
  code(cxt: KeywordCxt) {
    const { gen, data } = cxt;
    if (cxt.schema !== true) return;
    const find = gen.scopeValue('func', { ref: duplicateItems, code: _`duplicateItems` });
    const duplicates = gen.const('duplicates', _`${find}(${data})`);
    gen.forOf('pair', duplicates, (pair) => {
      cxt.error(false, { i: _`${pair}[0]`, j: _`${pair}[1]` });
    });
    cxt.ok(_`${duplicates}.length === 0`);
  },
};

/**
 * The items equal to an earlier one, as `[index, index of the first equal item]`, by index.
 * Items are equal JSON values exactly when their canonical serialisations (object keys sorted)
 * are equal; a cheap signature (keys and scalar members) buckets them first, so full
 * serialisations are made only on collisions.
 */
export function duplicateItems(items: readonly unknown[]): [number, number][] {
  const buckets = new Map<string, number[]>();
  for (const [index, item] of items.entries()) {
    const key = signature(item);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(index);
    else buckets.set(key, [index]);
  }
  const duplicates: [number, number][] = [];
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) continue;
    const seen = new Map<string, number>();
    for (const index of bucket) {
      const key = canonical(items[index]);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else duplicates.push([index, first]);
    }
  }
  return duplicates.sort((a, b) => a[0] - b[0]);
}

/** Keys and scalar members: equal items have equal signatures. */
function signature(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.length}]`;
  const record = value as Record<string, unknown>;
  return Object.keys(record)
    .sort()
    .map((key) => {
      const member = record[key];
      return `${key}=${typeof member === 'object' && member !== null ? '…' : JSON.stringify(member)}`;
    })
    .join('\u0000');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
