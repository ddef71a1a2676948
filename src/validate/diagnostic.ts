import type { LoadedDocument } from '../document/load-document.js';
import type { LoadedSource } from '../sources/load-sources.js';
import type { DiagnosticCode } from './rules/index.js';
import type { Severity } from './types.js';

export type { DiagnosticCode } from './rules/index.js';

/** One problem found in a document: a stable `code` (RULES.md), where it is, and what to do. */
export interface Diagnostic {
  severity: Severity;
  /** Stable identifier of the rule that found it (documented in src/validate/RULES.md). */
  code: DiagnosticCode;
  message: string;
  /** The file as given by the caller (path or URL). */
  file: string;
  /** RFC 6901 pointer to the value the diagnostic is about ('' = the whole document). */
  pointer: string;
  /** 1-based, when the position is known. */
  line?: number;
  /** 1-based, when the position is known. */
  column?: number;
}

export interface ValidateOptions {
  /** Load every source description and check operations against them (default true). */
  resolveSources?: boolean;
  /** Fetch http(s) source descriptions (default true); when false they are reported as not loaded. */
  resolveRemote?: boolean;
  /** `--allow-host` patterns: remote sources on other hosts are refused (reported as not loaded). */
  allowHosts?: readonly string[];
  /** Aborts the source fetches (the CLI's SIGINT/SIGTERM); they are then reported as not loaded. */
  signal?: AbortSignal;
  /**
   * End the message of a source whose host could not be reached with the `--no-remote` hint
   * (default false: the CLI's `validate` has that option, `run` and library callers do not).
   */
  offlineHint?: boolean;
}

export interface ValidationResult {
  /** No diagnostic has severity `error`. */
  valid: boolean;
  diagnostics: Diagnostic[];
  /** The parsed document, when the file could be read and parsed. */
  document?: LoadedDocument;
  /** The source descriptions that loaded, by name. */
  sources?: ReadonlyMap<string, LoadedSource>;
}
