import { fullFormats } from 'ajv-formats/dist/formats.js';
import { documentBase } from '../../sources/base-uri.js';
import type { Finding } from '../types.js';
import { uses } from './references.js';
import type { Rule } from './rule.js';

/** The schema's own `format: uri-reference` check (ajv-formats), so that one problem is said once. */
const URI_REFERENCE = fullFormats['uri-reference'];

/**
 * The 1.1 `$self` field and expression (POSITIONS §11.7).
 *
 * `self-unresolvable` (error): 1.1 §Establishing the Base URI makes `$self` the base URI, and
 * a relative one is "first … resolved against the next possible base URI source". A `$self` the
 * schema accepts as a URI-reference but that does not resolve (a port over 65535, an invalid
 * IPv4 host) cannot be a base: no source description could be loaded. A `$self` that is no
 * URI-reference, or has a fragment, is already a `schema` error.
 *
 * `self-undefined` (warning): the `$self` expression "References the canonical URI of the
 * current Arazzo Description as defined by the `$self` field"; in a document without the field
 * it does not resolve (a condition on it fails, a parameter from it is not sent).
 */
export const selfUri = {
  codes: { 'self-unresolvable': 'error', 'self-undefined': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    // Any `$self` value counts as the field being there: a wrong one is reported above or by the schema.
    const present = (ctx.loaded.document as { $self?: unknown } | null)?.$self !== undefined;
    const base = documentBase(ctx.loaded);
    if (!base.ok && !base.self.includes('#') && matchesUriReference(base.self)) {
      findings.push({
        code: 'self-unresolvable',
        message: `$self "${base.self}" cannot be the base URI of this document: ${base.why}`,
        pointer: '/$self',
      });
    }
    if (present || ctx.model.version !== '1.1') return findings;
    for (const { expression, occurrence } of uses(ctx)) {
      if (expression.kind !== 'self') continue;
      findings.push({
        code: 'self-undefined',
        message: `${expression.text} does not resolve: this document has no $self field`,
        pointer: occurrence.pointer,
        offset: occurrence.offset,
      });
    }
    return findings;
  },
} satisfies Rule;

function matchesUriReference(value: string): boolean {
  return URI_REFERENCE instanceof RegExp ? URI_REFERENCE.test(value) : true;
}
