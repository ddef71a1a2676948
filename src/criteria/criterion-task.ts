/**
 * The part of a regex, JSONPath or XPath criterion whose cost the condition's author and the
 * server's response control: a catastrophically backtracking pattern, nested descendant or filter
 * work, an XPath loop (issue 21, F4). It is plain data — the condition text after `{$…}`
 * substitution, its dialect and the context value, already resolved — so it can be sent to the
 * bounded worker (criterion-worker.ts) and evaluated there with the very same engines.
 */
import type { CriterionResult } from './compiled-criterion.js';
import type { JsonPathDialect } from './jsonpath.js';

export type CriterionTask =
  | {
      readonly kind: 'regex';
      /** The pattern (compiled with the `u` flag, as regex.ts says). */
      readonly pattern: string;
      /** The context value as text (regex.ts `regexSubject`). */
      readonly subject: string;
      /** The context value as a failure reason shows it (format.ts). */
      readonly shown: string;
      /** The context expression's text, for the reason. */
      readonly context: string;
    }
  | {
      readonly kind: 'jsonpath';
      readonly dialect: JsonPathDialect;
      /** The condition: a query, or the `<query> <op> <literal>` comparison form. */
      readonly condition: string;
      readonly value: unknown;
      readonly context: string;
    }
  | {
      readonly kind: 'xpath';
      readonly expression: string;
      /** The context value: XML text. */
      readonly xml: string;
      readonly context: string;
      /** The expression was built at run time: its syntax has not been checked yet. */
      readonly checkSyntax: boolean;
    }
  | SelectTask;

/**
 * A 1.1 Selector Object whose query has no bound of its own (select.ts): a JSONPath query that
 * is not a plain path of names and indices, or any XPath. Its result is a selection, not pass/fail.
 */
export interface SelectTask {
  readonly kind: 'select';
  readonly engine: 'rfc9535' | 'goessner' | 'xpath';
  readonly selector: string;
  /** JSONPath: the context value; XPath: XML text. */
  readonly value: unknown;
  /** JSONPath: the query is singular (RFC 9535 §2.3.5.1), so it selects its one node's value. */
  readonly singular: boolean;
  readonly context: string;
}

/** A selection (select.ts): the selected value (`undefined`: nothing), or why there is none. */
export type SelectionResult =
  | { readonly passed: true; readonly value: unknown }
  | { readonly passed: false; readonly reason: string };

export type TaskResult = CriterionResult | SelectionResult;

/** What a task yields: a selection for a select task, pass/fail for a condition. */
export type ResultOf<T extends CriterionTask> = T extends SelectTask
  ? SelectionResult
  : CriterionResult;

/** The engines a worker must have loaded before a task's deadline starts. */
export type TaskEngine = 'regex' | 'rfc9535' | 'goessner' | 'xpath';

export function taskEngine(task: CriterionTask): TaskEngine {
  if (task.kind === 'select') return task.engine;
  return task.kind === 'jsonpath' ? task.dialect : task.kind;
}

/** The condition text a task evaluates (for the lines that say a bound was exceeded). */
export function taskCondition(task: CriterionTask): string {
  switch (task.kind) {
    case 'regex':
      return task.pattern;
    case 'jsonpath':
      return task.condition;
    case 'xpath':
      return task.expression;
    case 'select':
      return task.selector;
  }
}

/** What the main thread sends the worker: load an engine, or evaluate a task. */
export type WorkerRequest =
  | { readonly id: number; readonly load: TaskEngine }
  | { readonly id: number; readonly task: CriterionTask };

/** The worker's answer to the request of the same id; `unreadable`: the last request could not be received. */
export type WorkerReply =
  | { readonly id: number; readonly loaded: true }
  | { readonly id: number; readonly result: TaskResult }
  | { readonly unreadable: string };
