/**
 * Spellings the spec fixes, written once.
 *
 * Arazzo §Versions: "The major.minor portion of the version string (for example 1.0) SHALL
 * designate the Arazzo feature set", and tooling ignores the patch. So a document is read as one
 * of two feature sets, chosen by its `arazzo` field: this is the one switch between 1.0 and 1.1
 * (POSITIONS §1). Where 1.1 only adds, the code has one path; where it changes meaning, it asks
 * for the document's `SpecVersion`.
 */
export type SpecVersion = '1.0' | '1.1';

const VERSION_PATTERNS: Readonly<Record<SpecVersion, RegExp>> = {
  '1.0': /^1\.0\.\d+(-.+)?$/,
  '1.1': /^1\.1\.\d+(-.+)?$/,
};

/** The feature sets this runner implements, newest last (for messages). */
export const SPEC_VERSIONS: readonly SpecVersion[] = ['1.0', '1.1'];

/** The feature set an `arazzo` field designates, or undefined for any other value. */
export function specVersionOf(arazzo: unknown): SpecVersion | undefined {
  if (typeof arazzo !== 'string') return undefined;
  return SPEC_VERSIONS.find((version) => VERSION_PATTERNS[version].test(arazzo));
}

/** "1.0.x and 1.1.x", for the one line that refuses another version. */
export const SUPPORTED_VERSIONS_TEXT = SPEC_VERSIONS.map((version) => `${version}.x`).join(' and ');

/** The prefix of a reference into another source: `$sourceDescriptions.<name>.<id>` (§Step Object). */
export const SOURCE_PREFIX = '$sourceDescriptions.';
