import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/** The tags of the YAML 1.2 JSON/core schema. */
const ALLOWED_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`),
);

/**
 * `yaml-tag` and `yaml-key-not-string`: "Tags MUST be limited to those allowed by the JSON Schema
 * ruleset" and "Keys used in YAML maps MUST be limited to a scalar string" (Arazzo 1.0.1 §Format).
 * A key written `200:` or `true:` is a number or boolean in YAML 1.2; quote it.
 */
export const yamlRestrictions = {
  codes: { 'yaml-tag': 'error', 'yaml-key-not-string': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    walk(ctx.loaded.source.yaml.contents, '', findings);
    return findings;
  },
} satisfies Rule;

function walk(node: unknown, pointer: string, out: Finding[]): void {
  const tag = (node as Node | null)?.tag;
  if (typeof tag === 'string' && !ALLOWED_TAGS.has(tag)) {
    out.push({
      code: 'yaml-tag',
      message: `YAML tag ${tag} is not allowed (only the JSON schema tags)`,
      pointer,
    });
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      const name = isScalar(key) ? String(key.value) : '';
      const at = childPointer(pointer, name);
      if (!isScalar(key) || typeof key.value !== 'string') {
        const what = isScalar(key)
          ? `${key.value === null ? 'null' : typeof key.value} ${String(key.value)}`
          : 'a collection';
        out.push({
          code: 'yaml-key-not-string',
          message: `map key is ${what}, not a string${isScalar(key) ? `; quote it: "${String(key.value)}"` : ''}`,
          pointer: at,
        });
      }
      walk(pair.value, at, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walk(item, childPointer(pointer, index), out));
  }
}
