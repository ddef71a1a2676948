import { pointerTokens } from '../document/source-text.js';
import { compileValue, isExpressionError } from '../expressions/index.js';
import { ADDITIONAL_OPERATIONS, HTTP_METHODS_32 } from './openapi-types.js';

/**
 * A step's `operationPath` taken apart: "A reference to a Source Description Object combined
 * with a JSON Pointer to reference an operation … A Runtime Expression syntax MUST be used to
 * identify the source description document" (Arazzo 1.0.1 §Step Object), i.e.
 * `{$sourceDescriptions.<name>.url}#<pointer>`, where the pointer must reach an Operation
 * Object: `/paths/<path with / written ~1>/<method>`, or in OAS 3.2 also
 * `/paths/<path>/additionalOperations/<METHOD>` (and the `query` field). Which of these the
 * description really has is for the loaded document to say (operations.ts), so the form accepts
 * both whatever the version. Parsed without loading anything; the one
 * parser of the validator, the model, the runner and the reports.
 */
export interface OperationPath {
  /** `<name>` of a leading `{$sourceDescriptions.<name>.url}`. */
  readonly sourceName?: string;
  /** The fragment's RFC 6901 tokens, percent-decoded (empty when there is no usable fragment). */
  readonly tokens: readonly string[];
  /**
   * Set when the tokens are `paths`, a path and one more token (`method` as written), or `paths`,
   * a path, `additionalOperations` and a method (`method` is that key, as written).
   */
  readonly path?: string;
  readonly method?: string;
  /** The first thing wrong, if any; the fields above still say what could be read. */
  readonly problem?: OperationPathProblem;
}

export interface OperationPathProblem {
  /** `expression`: the template does not parse (an expression error, reported as such). */
  readonly kind: 'expression' | 'form';
  readonly message: string;
  /** Character offset in the operationPath. */
  readonly offset: number;
}

export const OPERATION_PATH_FORM =
  "'{$sourceDescriptions.<name>.url}#/paths/<path with / written ~1>/<method>'";

export function parseOperationPath(value: string): OperationPath {
  let problem: OperationPathProblem | undefined;
  const fail = (message: string, offset: number, kind: 'expression' | 'form' = 'form') => {
    problem ??= { kind, message, offset };
  };
  let sourceName: string | undefined;
  /** The `#…` part and where it starts. */
  let fragment: { text: string; at: number } | undefined;
  let compiled;
  try {
    compiled = compileValue(value);
  } catch (error) {
    if (!isExpressionError(error)) throw error;
    fail(error.message, error.offset, 'expression');
  }
  if (compiled !== undefined) {
    const parts = compiled.kind === 'template' ? compiled.parts : [];
    const [head, tail, ...rest] = parts;
    const expression =
      head !== undefined && typeof head !== 'string' && head.braced && head.offset === 0
        ? head.expression
        : undefined;
    if (
      expression?.kind !== 'sourceDescriptions' ||
      typeof tail !== 'string' ||
      !tail.startsWith('#') ||
      rest.length > 0
    ) {
      fail(`operationPath must have the form ${OPERATION_PATH_FORM}`, 0);
    } else if (expression.reference !== 'url') {
      fail(
        `operationPath must start with {$sourceDescriptions.${expression.sourceName}.url}, not {${expression.text}}`,
        1,
      );
    } else {
      sourceName = expression.sourceName;
      fragment = { text: tail, at: value.length - tail.length };
    }
  }
  // A malformed head still leaves the pointer readable (reports show its method and path).
  if (fragment === undefined) {
    const hash = value.indexOf('#');
    if (hash >= 0) fragment = { text: value.slice(hash), at: hash };
  }
  let tokens: string[] = [];
  if (fragment !== undefined) {
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(fragment.text.slice(1));
    } catch {
      fail('the fragment of operationPath is not valid percent-encoding', fragment.at + 1);
    }
    if (decoded !== undefined && !decoded.startsWith('/')) {
      fail(
        'the fragment of operationPath must be a JSON pointer (#/paths/…/<method>)',
        fragment.at + 1,
      );
    } else if (decoded !== undefined) {
      tokens = pointerTokens(decoded);
    }
  }
  const [paths, path, method, ...extra] = tokens;
  if (fragment !== undefined && tokens.length > 0) {
    if (paths !== 'paths' || path === undefined) {
      fail(
        `operationPath must point into /paths of the description: ${OPERATION_PATH_FORM}`,
        fragment.at + 1,
      );
    } else if (method === undefined) {
      fail(
        `operationPath stops at the path item ${path}; add the HTTP method: ${fragment.text}/get (or post, put, …)`,
        value.length,
      );
    } else if (!isMethodTail(method, extra)) {
      fail(
        `operationPath must end with a lower-case HTTP method after the path, or additionalOperations/<method> (found "${tokens.slice(2).join('/')}")`,
        fragment.at + 1,
      );
    }
  }
  const located = paths === 'paths' && path !== undefined && method !== undefined;
  const additional = method === ADDITIONAL_OPERATIONS && extra.length === 1;
  return {
    ...(sourceName === undefined ? {} : { sourceName }),
    tokens,
    ...(located && extra.length === 0 ? { path, method } : {}),
    ...(located && additional ? { path, method: extra[0] } : {}),
    ...(problem === undefined ? {} : { problem }),
  };
}

/** `<method>` (a fixed Path Item field) or `additionalOperations/<method>` after the path. */
function isMethodTail(method: string, extra: readonly string[]): boolean {
  if (method === ADDITIONAL_OPERATIONS) return extra.length === 1 && extra[0] !== '';
  return extra.length === 0 && (HTTP_METHODS_32 as readonly string[]).includes(method);
}
