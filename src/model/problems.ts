import { ArazzoError, type ErrorCode } from '../errors.js';
import { isExpressionError } from '../expressions/index.js';
import { isCriterionError } from '../criteria/index.js';

/**
 * The compiler's error collector (as yaml's Composer reports through `onError` and never
 * throws): each problem once in document order, also filed under the workflow being compiled,
 * so that the runner can refuse one workflow for its own problems and those of the components
 * it uses, not for another workflow's.
 */
export class Problems {
  readonly all: ArazzoError[] = [];
  readonly #byKey = new Map<string, ArazzoError>();
  #workflow: ArazzoError[] | undefined;

  constructor(
    readonly file: string,
    readonly onError: ((error: ArazzoError) => void) | undefined,
  ) {}

  /** Files the problems reported from now on under `list` too (undefined: document level). */
  fileUnder(list: ArazzoError[] | undefined): void {
    this.#workflow = list;
  }

  report(code: ErrorCode, message: string, pointer: string, cause?: unknown): void {
    const key = `${code}\n${pointer}\n${message}`;
    let error = this.#byKey.get(key);
    if (!error) {
      error = new ArazzoError(code, message, { location: { file: this.file, pointer }, cause });
      this.#byKey.set(key, error);
      this.all.push(error);
      this.onError?.(error);
    }
    if (this.#workflow && !this.#workflow.includes(error)) this.#workflow.push(error);
  }

  /**
   * Runs a compiler of the expressions or criteria modules; what it throws is reported at
   * `pointer` (a grammar error with `code`, anything else — a value of a shape no document
   * should have — as DOCUMENT_INVALID) and the result is undefined. Never throws.
   */
  attempt<T>(fn: () => T, pointer: string, code: ErrorCode): T | undefined {
    try {
      return fn();
    } catch (error) {
      const grammar = isExpressionError(error) || isCriterionError(error);
      const message = error instanceof Error ? error.message : String(error);
      this.report(grammar ? code : 'DOCUMENT_INVALID', message, pointer, error);
      return undefined;
    }
  }
}
