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
  | 'HTTP_NETWORK'
  | 'HTTP_TIMEOUT'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HOST_NOT_ALLOWED'
  | 'MAX_STEPS_EXCEEDED'
  | 'RUN_TIMEOUT'
  | 'ABORTED';

/** Where in which document something applies: a file path or URL plus an RFC 6901 pointer. */
export interface Location {
  readonly file: string;
  readonly pointer: string;
}

export class ArazzoError extends Error {
  override readonly name = 'ArazzoError';
  readonly code: ErrorCode;
  readonly location: Location | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { location?: Location; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options?.location;
  }
}

export function isArazzoError(value: unknown): value is ArazzoError {
  return value instanceof ArazzoError;
}

/** RFC 6901: append one reference token to a pointer. */
export function childPointer(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}
