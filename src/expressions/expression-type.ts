/**
 * The Expression Type Object's table of selector languages and versions (Arazzo 1.1 §Expression
 * Type Object: "The supported expression selector types and versions"), shared by criteria
 * (`type`), Selector Objects (`type`) and Payload Replacements (`targetSelectorType`).
 *
 * A type is written as a string (`jsonpath`: its default version) or as an Expression Type Object
 * `{ type, version }`, where `version` is REQUIRED (the same section; the 1.1 schema requires it).
 * Reading never throws: a problem is returned as data, for the caller's own error type.
 */

export type SelectorLanguage = 'jsonpath' | 'xpath' | 'jsonpointer';

export interface LanguageVersions {
  readonly default: string;
  readonly allowed: readonly string[];
}

export const SELECTOR_LANGUAGES: Readonly<Record<SelectorLanguage, LanguageVersions>> = {
  jsonpath: { default: 'rfc9535', allowed: ['rfc9535', 'draft-goessner-dispatch-jsonpath-00'] },
  xpath: { default: 'xpath-31', allowed: ['xpath-31', 'xpath-30', 'xpath-20', 'xpath-10'] },
  jsonpointer: { default: 'rfc6901', allowed: ['rfc6901'] },
};

export interface ExpressionType {
  readonly type: SelectorLanguage;
  readonly version: string;
}

export type ExpressionTypeReading =
  | { readonly ok: true; readonly value: ExpressionType }
  | { readonly ok: false; readonly message: string };

const isLanguage = (value: unknown): value is SelectorLanguage =>
  typeof value === 'string' && Object.hasOwn(SELECTOR_LANGUAGES, value);

const LANGUAGE_LIST = 'jsonpath, xpath or jsonpointer';

/** Reads a `type` / `targetSelectorType` value: a language name or an Expression Type Object. */
export function readExpressionType(raw: unknown): ExpressionTypeReading {
  if (typeof raw === 'string') {
    if (!isLanguage(raw)) {
      const near = Object.keys(SELECTOR_LANGUAGES).find((k) => k === raw.toLowerCase());
      return {
        ok: false,
        message: `unknown selector type "${raw}"${near === undefined ? '' : ` (values are case-sensitive: "${near}")`}; expected ${LANGUAGE_LIST}`,
      };
    }
    return { ok: true, value: { type: raw, version: SELECTOR_LANGUAGES[raw].default } };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      message: `the selector type is ${LANGUAGE_LIST} or an Expression Type Object`,
    };
  }
  const { type, version } = raw as { type?: unknown; version?: unknown };
  if (!isLanguage(type)) {
    return {
      ok: false,
      message: `an Expression Type Object has type ${LANGUAGE_LIST} (found ${JSON.stringify(type) ?? 'none'})`,
    };
  }
  const versions = SELECTOR_LANGUAGES[type];
  if (version === undefined) {
    return {
      ok: false,
      message: `the Expression Type Object needs a version (for ${type}: ${versions.allowed.join(', ')})`,
    };
  }
  if (typeof version !== 'string' || !versions.allowed.includes(version)) {
    return {
      ok: false,
      message: `unsupported ${type} version ${JSON.stringify(version) ?? typeof version}; allowed: ${versions.allowed.join(', ')}`,
    };
  }
  return { ok: true, value: { type, version } };
}
