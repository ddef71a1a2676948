/**
 * One error type for everything the engine reports to a caller: a stable `code` (part of the
 * public API), a message written for the user, and where it applies in a document.
 */

export type ErrorCode =
  // Reading documents and arguments.
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FILE_TOO_LARGE'
  | 'YAML_SYNTAX'
  | 'DOCUMENT_INVALID'
  | 'UNSUPPORTED_VERSION'
  | 'USAGE'
  // Sources and operations.
  | 'SOURCE_LOAD_FAILED'
  | 'SOURCE_NOT_FOUND'
  | 'OPERATION_NOT_FOUND'
  | 'OPERATION_AMBIGUOUS'
  | 'SERVER_UNRESOLVED'
  // Workflows and inputs.
  | 'WORKFLOW_NOT_FOUND'
  | 'WORKFLOW_AMBIGUOUS'
  | 'INPUT_INVALID'
  | 'INPUT_MISSING'
  // Running.
  | 'EXPRESSION_INVALID'
  | 'CRITERION_INVALID'
  | 'REQUEST_INVALID'
  | 'VALUE_UNRESOLVED'
  | 'STEP_FAILED'
  | 'STEP_NOT_FOUND'
  | 'STEP_TIMEOUT'
  | 'STEP_DEPENDENCY_UNMET'
  | 'STEP_UNSUPPORTED'
  | 'HTTP_NETWORK'
  | 'HTTP_TIMEOUT'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HOST_NOT_ALLOWED'
  | 'BROKER_UNREACHABLE'
  | 'BROKER_ERROR'
  | 'PROTOCOL_UNSUPPORTED'
  | 'MAX_STEPS_EXCEEDED'
  | 'RUN_TIMEOUT'
  | 'ABORTED'
  // Durable runs.
  | 'DATABASE_UNREACHABLE'
  | 'DATABASE_ERROR'
  | 'RUN_NOT_FOUND';

/**
 * Where in which document something applies: a file path or URL plus an RFC 6901 pointer, and a
 * character offset into the text where a pointer cannot say (the text did not parse). Messages
 * never repeat the place: `formatError` adds it when printing.
 */
export interface Location {
  readonly file: string;
  readonly pointer: string;
  readonly offset?: number;
}

/** 1-based line and column, worked out from an offset by whoever holds the text. */
export interface LinePos {
  readonly line: number;
  readonly column: number;
}

export class ArazzoError extends Error {
  override readonly name = 'ArazzoError';
  readonly code: ErrorCode;
  readonly location: Location | undefined;
  /** Set when the thrower had the text at hand (yaml's `linePos`); printing only. */
  readonly linePos: LinePos | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { location?: Location; linePos?: LinePos; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options?.location;
    this.linePos = options?.linePos;
  }
}

/**
 * One line for a user: `file:line:col: message`, `file at /pointer: message`, `file: message`,
 * or the message alone, by what the error knows of its place.
 */
export function formatError(error: ArazzoError): string {
  const { location, linePos } = error;
  if (location === undefined) return error.message;
  if (linePos !== undefined)
    return `${location.file}:${linePos.line}:${linePos.column}: ${error.message}`;
  if (location.pointer !== '') return `${location.file} at ${location.pointer}: ${error.message}`;
  return `${location.file}: ${error.message}`;
}

/** A file as a whole: the location of errors about reading or parsing it. */
export function fileLocation(file: string, offset?: number): Location {
  return offset === undefined ? { file, pointer: '' } : { file, pointer: '', offset };
}

export function isArazzoError(value: unknown): value is ArazzoError {
  return value instanceof ArazzoError;
}

/** RFC 6901: append one reference token to a pointer. */
export function childPointer(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}
