/**
 * Spellings the spec fixes, written once.
 *
 * Arazzo §Versions: tooling reads major.minor only, so every 1.0.x patch (and pre-release) is the
 * same feature set.
 */
export const SUPPORTED_VERSION = /^1\.0\.\d+(-.+)?$/;

/** The prefix of a reference into another source: `$sourceDescriptions.<name>.<id>` (§Step Object). */
export const SOURCE_PREFIX = '$sourceDescriptions.';
