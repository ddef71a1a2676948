/**
 * `arazzo validate`: every problem of an Arazzo 1.0.x or 1.1.x document found before anything runs, each
 * with a stable code (RULES.md), a JSON pointer and a line and column.
 *
 * Pipeline: read → parse (YAML 1.2 core) → version → JSON Schema (official, patched; schema.ts)
 * → load the source descriptions (the runner's own loader) → semantic rules (rules/). Structural
 * problems do not stop the semantic rules, which read the document defensively, so one pass
 * reports everything.
 */
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isArazzoError } from '../errors.js';
import type { LoadedDocument } from '../document/load-document.js';
import type { ArazzoDocument } from '../document/types.js';
import { specVersionOf, SUPPORTED_VERSIONS_TEXT } from '../document/constants.js';
import { readTextFile } from '../document/read-text.js';
import { parseSourceText } from '../document/source-text.js';
import { compileDocument, sourceModels } from '../model/compile-document.js';
import type { RuleContext } from './model/context.js';
import { positionOf } from './positions.js';
import { CODES, isDiagnosticCode, RULES } from './rules/index.js';
import { schemaFindings } from './schema/schema.js';
import { loadForValidation } from './model/sources.js';
import { dropSuperseded } from './schema/superseded.js';
import type { Diagnostic, ValidateOptions, ValidationResult } from './diagnostic.js';
import type { Finding } from './types.js';
import { isDict } from './util.js';

export type {
  Diagnostic,
  DiagnosticCode,
  ValidateOptions,
  ValidationResult,
} from './diagnostic.js';
export type { Severity } from './types.js';
export { CODES, RULES, isDiagnosticCode } from './rules/index.js';

/**
 * Validates a file. A file that cannot be read gives one `file-unreadable` diagnostic, one that
 * does not parse one `yaml-syntax` diagnostic (the CLI exits 2 for both).
 */
export async function validateFile(
  path: string,
  options: ValidateOptions = {},
): Promise<ValidationResult> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    if (!isArazzoError(error)) throw error;
    return failed({
      severity: 'error',
      code: 'file-unreadable',
      message: error.message,
      file: path,
      pointer: '',
    });
  }
  let parsed;
  try {
    parsed = parseSourceText(text, path);
  } catch (error) {
    if (!isArazzoError(error)) throw error;
    return failed({
      severity: 'error',
      code: 'yaml-syntax',
      message: error.message,
      file: path,
      pointer: '',
      ...error.linePos,
    });
  }
  const loaded: LoadedDocument = {
    file: path,
    url: pathToFileURL(resolvePath(path)).href,
    document: parsed.data as ArazzoDocument,
    source: parsed.source,
    // An unsupported version is refused by validateLoaded before anything reads this.
    version: specVersionOf(isDict(parsed.data) ? parsed.data['arazzo'] : undefined) ?? '1.0',
  };
  return validateLoaded(loaded, options);
}

/** Validates a parsed document (`loadDocument` / `parseArazzoText` output, or validateFile's). */
export async function validateLoaded(
  loaded: LoadedDocument,
  options: ValidateOptions = {},
): Promise<ValidationResult> {
  const data: unknown = loaded.document;
  const version = isDict(data) ? data['arazzo'] : undefined;
  if (typeof version === 'string' && specVersionOf(version) === undefined) {
    // Another version's structure would only produce noise against our schemas.
    const finding: Finding = {
      code: 'unsupported-version',
      message: `arazzo version "${version}" is not supported: this validator and runner implement Arazzo ${SUPPORTED_VERSIONS_TEXT}`,
      pointer: '/arazzo',
    };
    return result(loaded, [finding], undefined);
  }
  const findings: Finding[] = dropSuperseded(
    schemaFindings(data, loaded.version),
    data,
    loaded.version,
  );
  if (!isDict(data)) return result(loaded, findings, undefined);
  const sources = await loadForValidation(loaded, sourceModels(data), {
    resolveSources: options.resolveSources !== false,
    resolveRemote: options.resolveRemote !== false,
    offlineHint: options.offlineHint === true,
    ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  // The model's own problems are the runner's view; the rules report with their codes.
  const model = compileDocument(loaded, sources.resolved ? sources.loaded : undefined);
  const ctx: RuleContext = { loaded, model, sources, cache: new Map() };
  for (const rule of RULES) {
    try {
      for (const finding of rule.check(ctx)) findings.push(finding);
    } catch (error) {
      // A rule that meets data it cannot read (a malformed source description, say) must not
      // take the whole validation down: it says so, and the other rules still run.
      const reason = error instanceof Error ? error.message : String(error);
      findings.push({
        code: 'rule-failed',
        message: `a check (${Object.keys(rule.codes).join(', ')}) could not read this document: ${reason}`,
        pointer: '',
      });
    }
  }
  return result(loaded, findings, sources.resolved ? sources.loaded : undefined);
}

function result(
  loaded: LoadedDocument,
  findings: readonly Finding[],
  sources: ValidationResult['sources'],
): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const key = `${finding.code}\n${finding.pointer}\n${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { line, column } = positionOf(loaded.source, finding.pointer, finding.offset);
    // A code no rule lists is a defect of that rule, said as one (never an untyped code).
    const known = isDiagnosticCode(finding.code);
    diagnostics.push({
      severity: known ? (finding.severity ?? CODES[finding.code]) : 'error',
      code: known ? finding.code : 'rule-failed',
      message: known ? finding.message : `unlisted code ${finding.code}: ${finding.message}`,
      file: loaded.file,
      pointer: finding.pointer,
      line,
      column,
    });
  }
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return {
    valid: !diagnostics.some((d) => d.severity === 'error'),
    diagnostics,
    document: loaded,
    ...(sources === undefined ? {} : { sources }),
  };
}

function failed(diagnostic: Diagnostic): ValidationResult {
  return { valid: false, diagnostics: [diagnostic] };
}
