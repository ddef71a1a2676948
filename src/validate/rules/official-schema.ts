import { childPointer } from '../../errors.js';
import { objectsOf } from '../model/objects.js';
import type { Finding } from '../types.js';
import { isDict } from '../util.js';
import type { Rule } from './rule.js';

/**
 * `official-schema-rejects` (warning): forms the text allows but the official JSON Schema of the
 * document's version rejects; `validate` accepts them (schema-patches.ts, schema-patches-1.1.ts)
 * and says so, because tools that validate against the official schema will refuse the document
 * (POSITIONS §8, §11.2): `type: simple` without `context`, extra Reusable Object fields (which
 * are ignored), literal values the schema types more narrowly (1.0: a non-string Payload
 * Replacement `value`; 1.1: an object parameter or replacement `value` that is not a Selector
 * Object, a non-string replacement value), and in 1.0 a Criterion Expression Type Object as `type`.
 */
export const officialSchemaRejects = {
  codes: { 'official-schema-rejects': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    const version = ctx.model.version;
    const add = (pointer: string, message: string) =>
      findings.push({
        code: 'official-schema-rejects',
        message: `${message} (the official ${version} JSON Schema rejects this)`,
        pointer,
      });
    const isSelector = (value: unknown) => isDict(value) && value['selector'] !== undefined;
    for (const object of objectsOf(ctx)) {
      const raw = object.raw;
      if (object.kind === 'criterion') {
        if (version === '1.0' && isDict(raw['type']))
          add(
            childPointer(object.pointer, 'type'),
            'a Criterion Expression Type Object as type is valid Arazzo 1.0.1',
          );
        if (raw['type'] === 'simple' && raw['context'] === undefined)
          add(
            childPointer(object.pointer, 'type'),
            `"type: simple" without a context is valid Arazzo ${version}`,
          );
      }
      const value = raw['value'];
      if (
        object.kind === 'replacement' &&
        value !== undefined &&
        typeof value !== 'string' &&
        !(version === '1.1' && isSelector(value))
      ) {
        add(
          childPointer(object.pointer, 'value'),
          `a non-string payload replacement value is valid Arazzo ${version}`,
        );
      }
      if (
        version === '1.1' &&
        object.kind === 'parameter' &&
        raw['reference'] === undefined &&
        isDict(value) &&
        !isSelector(value)
      ) {
        add(
          childPointer(object.pointer, 'value'),
          'an object parameter value that is not a Selector Object is valid Arazzo 1.1',
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
} satisfies Rule;
