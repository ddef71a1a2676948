import { childPointer } from '../../errors.js';
import { objectsOf } from '../objects.js';
import type { Finding } from '../types.js';
import { isDict } from '../util.js';
import type { Rule } from './rule.js';

/**
 * `official-schema-rejects` (warning): forms the 1.0.1 text allows but the official JSON Schema
 * (2025-10-15) rejects; `validate` accepts them (see schema-patches.ts) and says so, because
 * tools that validate against the official schema will refuse the document (POSITIONS §8):
 * a Criterion Expression Type Object as `type`, `type: simple` without `context`, a non-string
 * Payload Replacement `value`, and extra Reusable Object fields (which are ignored).
 */
export const officialSchemaRejects: Rule = {
  codes: { 'official-schema-rejects': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    const add = (pointer: string, message: string) =>
      findings.push({
        code: 'official-schema-rejects',
        message: `${message} (the official 1.0 JSON Schema rejects this)`,
        pointer,
      });
    for (const object of objectsOf(ctx)) {
      const raw = object.raw;
      if (object.kind === 'criterion') {
        if (isDict(raw['type']))
          add(
            childPointer(object.pointer, 'type'),
            'a Criterion Expression Type Object as type is valid Arazzo 1.0.1',
          );
        if (raw['type'] === 'simple' && raw['context'] === undefined)
          add(
            childPointer(object.pointer, 'type'),
            '"type: simple" without a context is valid Arazzo 1.0.1',
          );
      }
      if (
        object.kind === 'replacement' &&
        raw['value'] !== undefined &&
        typeof raw['value'] !== 'string'
      ) {
        add(
          childPointer(object.pointer, 'value'),
          'a non-string payload replacement value is valid Arazzo 1.0.1',
        );
      }
      if (
        (object.kind === 'parameter' ||
          object.kind === 'success-action' ||
          object.kind === 'failure-action') &&
        raw['reference'] !== undefined
      ) {
        for (const key of Object.keys(raw)) {
          if (key === 'reference' || key === 'value') continue;
          add(
            childPointer(object.pointer, key),
            `"${key}" is ignored: a Reusable Object only has "reference" and "value"`,
          );
        }
      }
    }
    return findings;
  },
};
