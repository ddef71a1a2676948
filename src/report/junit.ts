import type { RunError } from '../runtime/events.js';
import type { RunResult, StepRecord } from '../runtime/result.js';
import type { Redactor } from './redact.js';
import { openTag, xmlText } from './xml.js';

export interface JunitOptions {
  /** The `<testsuites name>`; default `arazzo`. */
  readonly name?: string;
}

/** The test case that carries a run-level error that names no step (or a step that never ran). */
export const WORKFLOW_CASE = '(workflow)';

interface TestCase {
  readonly name: string;
  readonly seconds: number;
  readonly failure?: { readonly type: string; readonly message: string; readonly details: string };
  readonly out?: string;
  /** Not run, and why (`arazzo test`: missing inputs). */
  readonly skipped?: string;
  /** The workflow of a step run for another (`arazzo test`: a dependency or a nested workflow). */
  readonly classname?: string;
  /** The step record's place in the run, so a flattened suite keeps the order steps ran in. */
  readonly at?: number;
}

interface TestSuite {
  readonly workflowId: string;
  readonly cases: TestCase[];
  ms: number;
}

/**
 * `--junit <file>`: the run as JUnit XML, for CI test reports. One `<testsuite>` per workflow
 * that ran (the one started first, then nested ones in the order they first ran), one
 * `<testcase>` per step record (a folded poll loop is one case), a `<failure>` with the reasons
 * and actual values when the step failed. The run-level error goes on the step it names, or on
 * a `(workflow)` case. Every text passes through the redactor.
 */
export function formatJunit(
  result: RunResult,
  redactor: Redactor,
  options: JunitOptions = {},
): string {
  return render(runSuites(result, redactor), result.durationMs, redactor, options);
}

/** A run for `formatJunitRuns`, or a workflow that was not run (`arazzo test`), and why. */
export type JunitRun =
  | { readonly result: RunResult; readonly redactor: Redactor }
  | { readonly workflowId: string; readonly notRun: string; readonly redactor: Redactor };

/**
 * Several runs in one report (`arazzo test`): a suite per run, in the order given, holding the
 * steps of every workflow the run ran (those of its dependencies and nested workflows with
 * their workflow as classname); a workflow not run is a suite with one skipped case saying why.
 */
export function formatJunitRuns(runs: readonly JunitRun[], options: JunitOptions = {}): string {
  const all: TestSuite[] = [];
  let totalMs = 0;
  for (const run of runs) {
    if ('notRun' in run) {
      const reason = run.redactor.text(run.notRun);
      all.push({
        workflowId: run.workflowId,
        cases: [{ name: WORKFLOW_CASE, seconds: 0, skipped: reason }],
        ms: 0,
      });
      continue;
    }
    const { workflowId, durationMs } = run.result;
    const cases = runSuites(run.result, run.redactor)
      .flatMap((s) =>
        s.workflowId === workflowId
          ? s.cases
          : s.cases.map((c) => ({ ...c, classname: run.redactor.text(s.workflowId) })),
      )
      .sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity));
    all.push({ workflowId, cases, ms: finite(durationMs) });
    totalMs += finite(durationMs);
  }
  return render(all, totalMs, runs[0]?.redactor, options);
}

function runSuites(result: RunResult, redactor: Redactor): TestSuite[] {
  const suites = new Map<string, TestSuite>();
  const suite = (workflowId: string): TestSuite => {
    let found = suites.get(workflowId);
    if (!found) suites.set(workflowId, (found = { workflowId, cases: [], ms: 0 }));
    return found;
  };
  suite(result.workflowId);

  const errorRecord = result.error
    ? recordForError(result.steps, result.error, result.workflowId)
    : undefined;
  const visits = new Map<string, number>();
  for (const [at, record] of result.steps.entries()) {
    const target = suite(record.workflowId);
    target.ms += finite(record.durationMs);
    const key = `${record.workflowId}\u0000${record.stepId}`;
    const visit = (visits.get(key) ?? 0) + 1;
    visits.set(key, visit);
    const runError = record === errorRecord ? result.error : undefined;
    target.cases.push({ ...testCase(record, visit, runError, redactor), at });
  }
  const failed = [...suites.values()].some((s) => s.cases.some((c) => c.failure !== undefined));
  if (result.error && errorRecord === undefined) {
    suite(result.workflowId).cases.push(workflowCase(result.error, redactor));
  } else if (!result.success && !failed) {
    suite(result.workflowId).cases.push(
      workflowCase({ code: 'STEP_FAILED', message: 'the workflow failed' }, redactor),
    );
  }
  // The workflow that was started accounts for the whole run, waits included.
  suite(result.workflowId).ms = finite(result.durationMs);

  return [...suites.values()];
}

function render(
  all: readonly TestSuite[],
  totalMs: number,
  redactor: Redactor | undefined,
  options: JunitOptions,
): string {
  const name = options.name ?? 'arazzo';
  const count = (list: readonly TestSuite[], failures: boolean): number =>
    list.reduce((sum, s) => sum + s.cases.filter((c) => !failures || c.failure).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `${openTag('testsuites', {
      name: redactor?.text(name) ?? name,
      tests: count(all, false),
      failures: count(all, true),
      errors: 0,
      // Only `arazzo test` skips (a workflow not run); `run`'s report keeps its shape.
      skipped: skippedCount(all) > 0 ? skippedCount(all) : undefined,
      time: seconds(totalMs),
    })}>`,
  ];
  for (const s of all) {
    const suiteName = redactor?.text(s.workflowId) ?? s.workflowId;
    lines.push(
      `  ${openTag('testsuite', {
        name: suiteName,
        tests: s.cases.length,
        failures: count([s], true),
        errors: 0,
        skipped: s.cases.filter((c) => c.skipped !== undefined).length,
        time: seconds(s.ms),
      })}>`,
    );
    for (const c of s.cases) lines.push(...caseLines(c, c.classname ?? suiteName));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testCase(
  record: StepRecord,
  visit: number,
  runError: RunError | undefined,
  redactor: Redactor,
): TestCase {
  const name = redactor.text(visit > 1 ? `${record.stepId} (visit ${visit})` : record.stepId);
  const facts = [
    record.statusCode === undefined ? undefined : `status ${record.statusCode}`,
    record.action === undefined
      ? undefined
      : redactor.text(`${record.action} ${record.channel ?? ''}`.trim()),
    record.executions > 1 ? `${record.executions} executions` : undefined,
    record.attempts > 1 ? `${record.attempts} attempts` : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  const reasons = (record.reasons ?? []).map((reason) => redactor.text(reason));
  let failure: TestCase['failure'];
  if (runError) {
    const message = redactor.text(runError.message);
    // "step x failed: r1; r2" already says the reasons: the body lists them one per line.
    const repeats = reasons.length > 0 && reasons.every((reason) => message.includes(reason));
    failure = {
      type: runError.code,
      message,
      details: repeats ? reasons.join('\n') : [...reasons, message].join('\n'),
    };
  } else if (!record.success) {
    const message = reasons[0] ?? `step "${redactor.text(record.stepId)}" failed`;
    failure = {
      type: 'STEP_FAILED',
      message,
      details: reasons.length > 0 ? reasons.join('\n') : message,
    };
  }
  return {
    name,
    seconds: finite(record.durationMs),
    ...(failure === undefined ? {} : { failure }),
    ...(facts.length > 0 ? { out: facts.join(', ') } : {}),
  };
}

function workflowCase(error: RunError, redactor: Redactor): TestCase {
  const message = redactor.text(error.message);
  return {
    name: WORKFLOW_CASE,
    seconds: 0,
    failure: { type: error.code, message, details: message },
  };
}

/**
 * The step record a run-level error belongs to: the latest visit of the step it names, in the
 * workflow that was started if that workflow has such a step (a guard can trip in a nested one).
 */
function recordForError(
  records: readonly StepRecord[],
  error: RunError,
  workflowId: string,
): StepRecord | undefined {
  if (error.stepId === undefined) return undefined;
  const named = records.filter((record) => record.stepId === error.stepId);
  return named.filter((record) => record.workflowId === workflowId).at(-1) ?? named.at(-1);
}

function caseLines(c: TestCase, classname: string): string[] {
  const open = openTag('testcase', { name: c.name, classname, time: seconds(c.seconds) });
  if (!c.failure && c.out === undefined && c.skipped === undefined) return [`    ${open}/>`];
  const lines = [`    ${open}>`];
  if (c.skipped !== undefined) lines.push(`      ${openTag('skipped', { message: c.skipped })}/>`);
  if (c.failure) {
    const failure = openTag('failure', { message: c.failure.message, type: c.failure.type });
    lines.push(`      ${failure}>${xmlText(c.failure.details)}</failure>`);
  }
  if (c.out !== undefined) lines.push(`      <system-out>${xmlText(c.out)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

function skippedCount(suites: readonly TestSuite[]): number {
  return suites.reduce((sum, s) => sum + s.cases.filter((c) => c.skipped !== undefined).length, 0);
}

function seconds(ms: number): string {
  return (finite(ms) / 1000).toFixed(3);
}

function finite(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
