/**
 * Evaluating a CriterionTask: the regex, JSONPath and XPath engines with the pass/fail rules and
 * reasons of compile-regex.ts, compile-jsonpath.ts and compile-xpath.ts. It runs in the condition
 * worker (criterion-worker.ts), which the main thread stops when a bound is exceeded; nothing here
 * bounds itself. Compiled patterns and queries are cached per text, as a poll repeats them.
 */
import type { CriterionResult } from './compiled-criterion.js';
import type { CriterionTask, SelectionResult, TaskEngine, TaskResult } from './criterion-task.js';
import { loadFontoxpath, loadJsonpathPlus, loadXmldom } from '../lazy-modules.js';
import type { JsonPathDialect } from './jsonpath.js';
import { evaluatePlan, planJsonPath, type Plan } from './jsonpath-plan.js';
import { compileRegex } from './regex.js';
import { CompileCache } from './compile-cache.js';
import { checkXPathSyntax, evaluateXPath, selectXPath } from './xpath.js';
import { compileJsonPath, type CompiledJsonPath } from './jsonpath.js';

const regexes = new CompileCache<RegExp | string>(64);
const plans: Record<JsonPathDialect, CompileCache<Plan | string>> = {
  rfc9535: new CompileCache(64),
  goessner: new CompileCache(64),
};
const xpathSyntax = new CompileCache<string | true>(64);
const queries: Record<JsonPathDialect, CompileCache<CompiledJsonPath | string>> = {
  rfc9535: new CompileCache(64),
  goessner: new CompileCache(64),
};

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Loads what a task's engine needs, so its deadline measures the evaluation, not the loading. */
export function loadEngine(engine: TaskEngine): void {
  if (engine === 'goessner') loadJsonpathPlus();
  if (engine === 'xpath') {
    loadFontoxpath();
    loadXmldom();
  }
}

export function runTask(task: CriterionTask): TaskResult {
  switch (task.kind) {
    case 'regex':
      return runRegex(task);
    case 'jsonpath':
      return runJsonPath(task);
    case 'xpath':
      return runXPath(task);
    case 'select':
      return runSelect(task);
  }
}

/** A Selector Object (select.ts): POSITIONS §11.10 says what several or no nodes select. */
function runSelect(task: Extract<CriterionTask, { kind: 'select' }>): SelectionResult {
  if (task.engine === 'xpath') {
    const outcome = selectXPath(task.selector, String(task.value));
    if ('error' in outcome) return { passed: false, reason: outcome.error };
    const items = outcome.items;
    return { passed: true, value: items.length <= 1 ? items[0] : items };
  }
  const dialect = task.engine;
  const query = queries[dialect].get(task.selector, (selector) => {
    try {
      return compileJsonPath(selector, dialect);
    } catch (error) {
      return message(error);
    }
  });
  if (typeof query === 'string') return { passed: false, reason: query };
  const values = query.query(task.value);
  return { passed: true, value: task.singular ? values[0] : values };
}

function runRegex(task: Extract<CriterionTask, { kind: 'regex' }>): CriterionResult {
  const regex = regexes.get(task.pattern, (pattern) => {
    try {
      return compileRegex(pattern);
    } catch (error) {
      return message(error);
    }
  });
  if (typeof regex === 'string') return { passed: false, reason: regex };
  if (regex.test(task.subject)) return { passed: true };
  return {
    passed: false,
    reason: `context ${task.context} is ${task.shown}, which does not match /${regex.source}/u`,
  };
}

function runJsonPath(task: Extract<CriterionTask, { kind: 'jsonpath' }>): CriterionResult {
  const plan = plans[task.dialect].get(task.condition, (condition) => {
    try {
      return planJsonPath(condition, task.dialect);
    } catch (error) {
      return `${condition}: ${message(error)}`;
    }
  });
  if (typeof plan === 'string') return { passed: false, reason: plan };
  return evaluatePlan(task.condition, plan, task.value, task.context);
}

function runXPath(task: Extract<CriterionTask, { kind: 'xpath' }>): CriterionResult {
  const text = task.expression;
  if (task.checkSyntax) {
    const syntax = xpathSyntax.get(text, (expression) => {
      try {
        checkXPathSyntax(expression);
        return true;
      } catch (error) {
        return `${expression}: ${message(error)}`;
      }
    });
    if (syntax !== true) return { passed: false, reason: syntax };
  }
  const outcome = evaluateXPath(text, task.xml);
  if ('error' in outcome) return { passed: false, reason: `${text}: ${outcome.error}` };
  return outcome.value
    ? { passed: true }
    : {
        passed: false,
        reason: `${text} is false (its effective boolean value) for context ${task.context}`,
      };
}
