import { childPointer } from '../../errors.js';
import { objectsOf } from '../model/objects.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

const RESERVED = ['x-oai-', 'x-oas-', 'x-arazzo'];

/**
 * `extension-reserved` (warning): "Field names beginning `x-oai-`, `x-oas-`, and `x-arazzo` are
 * reserved for uses defined by the OpenAPI Initiative" (Arazzo 1.0.1 §Specification Extensions).
 */
export const extensionReserved = {
  codes: { 'extension-reserved': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const object of objectsOf(ctx)) {
      for (const key of Object.keys(object.raw)) {
        const prefix = RESERVED.find((p) => key.toLowerCase().startsWith(p));
        if (prefix === undefined) continue;
        findings.push({
          code: 'extension-reserved',
          message: `extension "${key}" uses the reserved prefix "${prefix}" (reserved for the OpenAPI Initiative)`,
          pointer: childPointer(object.pointer, key),
        });
      }
    }
    return findings;
  },
} satisfies Rule;
