/**
 * Which condition language a criterion uses: Criterion `type` (Arazzo 1.0.1 §Criterion Object)
 * and the Criterion Expression Type Object (§Criterion Expression Type Object).
 *
 * Shapes accepted (both are seen in the wild; POSITIONS §5 and §8 row 1-2):
 *   - the spec's shape: `type: { type: jsonpath, version: draft-goessner-dispatch-jsonpath-00 }`;
 *   - the published JSON Schema's flat shape: `type: jsonpath` + sibling `version:` (noted, since
 *     the spec text defines no `version` field on the Criterion Object).
 * Versions: JSONPath `draft-goessner-dispatch-jsonpath-00`; XPath `xpath-30`, `xpath-20`,
 * `xpath-10`. The defaults (RFC 9535, XPath 3.1) have no 1.0.1 identifier; we also accept the
 * identifiers Arazzo 1.1 gives them, `rfc9535` and `xpath-31` (noted in a 1.0.x document only:
 * they are 1.1's own; POSITIONS §10 A24).
 */
import type { SpecVersion } from '../document/constants.js';
import type { Criterion } from '../document/types.js';
import type { CriterionKind, CriterionNote } from './compiled-criterion.js';
import { SELECTOR_LANGUAGES } from '../expressions/expression-type.js';
import { CriterionError } from './errors.js';

export interface ResolvedType {
  readonly kind: CriterionKind;
  /** For jsonpath/xpath: the effective version identifier. */
  readonly version?: string;
  readonly notes: readonly CriterionNote[];
}

const KINDS: ReadonlySet<string> = new Set<CriterionKind>(['simple', 'regex', 'jsonpath', 'xpath']);

/** Identifiers that exist only from Arazzo 1.1. */
const FROM_1_1: ReadonlySet<string> = new Set(['rfc9535', 'xpath-31']);

/** `spec`: the document's Arazzo version; in 1.1 `rfc9535` and `xpath-31` are its own identifiers. */
export function resolveType(criterion: Criterion, spec: SpecVersion = '1.0'): ResolvedType {
  const raw: unknown = criterion.type;
  const sibling: unknown = (criterion as { version?: unknown }).version;
  const notes: CriterionNote[] = [];

  let kind: CriterionKind;
  let version: unknown;
  if (raw === undefined) {
    kind = 'simple';
  } else if (typeof raw === 'string') {
    if (!KINDS.has(raw)) {
      const near = [...KINDS].find((k) => k === raw.toLowerCase());
      throw new CriterionError(
        'UNKNOWN_TYPE',
        `unknown criterion type "${raw}"${near === undefined ? '' : ` (values are case-sensitive: "${near}")`}; expected simple, regex, jsonpath or xpath`,
        0,
        { field: 'type' },
      );
    }
    kind = raw as CriterionKind;
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const object = raw as { type?: unknown; version?: unknown };
    if (object.type !== 'jsonpath' && object.type !== 'xpath') {
      throw new CriterionError(
        'INVALID_EXPRESSION_TYPE',
        `a Criterion Expression Type Object has type "jsonpath" or "xpath" (found ${JSON.stringify(object.type) ?? 'none'})`,
        0,
        { field: 'type' },
      );
    }
    kind = object.type;
    if (object.version === undefined) {
      throw new CriterionError(
        'VERSION_MISSING',
        `the Criterion Expression Type Object needs a version (e.g. ${kind === 'jsonpath' ? 'draft-goessner-dispatch-jsonpath-00' : 'xpath-30'})`,
        0,
        { field: 'type' },
      );
    }
    version = object.version;
    if (sibling !== undefined && sibling !== version) {
      throw new CriterionError(
        'VERSION_CONFLICT',
        `type.version is ${JSON.stringify(version)} but the sibling version is ${JSON.stringify(sibling)}`,
        0,
        { field: 'version' },
      );
    }
  } else {
    throw new CriterionError(
      'UNKNOWN_TYPE',
      'type must be a string or a Criterion Expression Type Object',
      0,
      {
        field: 'type',
      },
    );
  }

  if (typeof raw !== 'object' && sibling !== undefined) {
    if (kind !== 'jsonpath' && kind !== 'xpath') {
      throw new CriterionError('VERSION_NOT_APPLICABLE', `a ${kind} criterion has no version`, 0, {
        field: 'version',
      });
    }
    version = sibling;
    notes.push({
      code: 'FLAT_EXPRESSION_TYPE',
      message: `"version" next to "type: ${kind}" is the published JSON Schema's shape; the spec nests it: type: { type: ${kind}, version: ${JSON.stringify(sibling)} }`,
      offset: 0,
      field: 'version',
    });
  }

  if (kind !== 'jsonpath' && kind !== 'xpath') return { kind, notes };
  const versions = SELECTOR_LANGUAGES[kind];
  if (version === undefined) return { kind, version: versions.default, notes };
  if (typeof version !== 'string' || !versions.allowed.includes(version)) {
    throw new CriterionError(
      'UNSUPPORTED_VERSION',
      `unsupported ${kind} version ${JSON.stringify(version) ?? typeof version}; allowed: ${[...versions.allowed].join(', ')}`,
      0,
      { field: typeof raw === 'object' ? 'type' : 'version' },
    );
  }
  if (spec === '1.0' && FROM_1_1.has(version)) {
    notes.push({
      code: 'VERSION_FROM_ARAZZO_1_1',
      message: `"${version}" is an Arazzo 1.1 identifier; in 1.0.1 it is the default and is written by omitting the version`,
      offset: 0,
      field: typeof raw === 'object' ? 'type' : 'version',
    });
  }
  if (kind === 'xpath' && version !== 'xpath-31') {
    notes.push({
      code: 'XPATH_VERSION_EMULATED',
      message: `${version} is evaluated by an XPath 3.1 engine${version === 'xpath-10' ? '; XPath 1.0 comparison conversions (e.g. "<" on strings) are not applied' : ''}`,
      offset: 0,
      field: typeof raw === 'object' ? 'type' : 'version',
    });
  }
  return { kind, version, notes };
}
