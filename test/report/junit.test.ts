import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJunit } from '../../src/report/junit.js';
import { Redactor } from '../../src/report/redact.js';
import type { RunResult, StepRecord } from '../../src/runtime/result.js';
import { findAll, parseXml, type XmlElement } from './_xml.js';

const CANARY = 'canary-secret-9d1e77';
const redactor = new Redactor([CANARY]);

function record(stepId: string, overrides: Partial<StepRecord> = {}): StepRecord {
  return {
    workflowId: 'main',
    stepId,
    success: true,
    attempts: 1,
    executions: 1,
    durationMs: 10,
    statusCode: 200,
    ...overrides,
  };
}

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    workflowId: 'main',
    success: true,
    outputs: {},
    unresolvedOutputs: [],
    steps: [],
    warnings: [],
    durationMs: 1234.5678,
    ...overrides,
  };
}

function cases(root: XmlElement): XmlElement[] {
  return findAll(root, 'testcase');
}

test('a passing run: one suite, one case per step record, times in seconds', () => {
  const xml = formatJunit(
    result({
      steps: [
        record('inspect', { durationMs: 12.3456 }),
        record('poll', { executions: 7, durationMs: 2000 }),
      ],
    }),
    redactor,
  );
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  assert.deepEqual(root.attributes, {
    name: 'arazzo',
    tests: '2',
    failures: '0',
    errors: '0',
    time: '1.235',
  });
  const suites = findAll(root, 'testsuite');
  assert.equal(suites.length, 1);
  assert.equal(suites[0]?.attributes['name'], 'main');
  assert.equal(suites[0]?.attributes['tests'], '2');
  assert.equal(suites[0]?.attributes['failures'], '0');
  const [inspect, poll] = cases(root);
  assert.deepEqual(inspect?.attributes, { name: 'inspect', classname: 'main', time: '0.012' });
  assert.equal(poll?.attributes['time'], '2.000');
  assert.equal(findAll(poll, 'system-out')[0]?.text, 'status 200, 7 executions');
  assert.equal(findAll(root, 'failure').length, 0);
});

test('a failed step carries its reasons, escaped, with control characters made visible', () => {
  const reasons = [
    `$statusCode == 200 failed: actual 500 <html> & "quotes" 'apos'`,
    `body said \u001b[31mred\u001b[0m and \u0000 and a lone \uD800 surrogate; token ${CANARY}`,
  ];
  const xml = formatJunit(
    result({
      success: false,
      steps: [record('ok'), record('broken', { success: false, statusCode: 500, reasons })],
      error: {
        code: 'STEP_FAILED',
        message: `step "broken" failed: ${reasons.join('; ')}`,
        stepId: 'broken',
      },
    }),
    redactor,
    { name: 'nightly <ci>' },
  );
  assert.ok(!xml.includes(CANARY), 'the secret is masked');
  const root = parseXml(xml); // throws on anything that is not well-formed XML 1.0
  assert.equal(root.attributes['name'], 'nightly <ci>');
  assert.equal(root.attributes['failures'], '1');
  const broken = cases(root)[1] as XmlElement;
  assert.equal(broken.attributes['name'], 'broken');
  const failure = findAll(broken, 'failure')[0] as XmlElement;
  assert.equal(failure.attributes['type'], 'STEP_FAILED');
  assert.match(
    failure.attributes['message'] ?? '',
    /^step "broken" failed: \$statusCode == 200 failed: actual 500 <html> & "quotes" 'apos'/,
  );
  assert.match(
    failure.text,
    /\\u001b\[31mred\\u001b\[0m and \\u0000 and a lone \\ud800 surrogate; token \*\*\*/,
  );
  // The run-level error went on the step it names, not on an extra case.
  assert.equal(cases(root).length, 2);
});

test('a failed step without a run-level error uses its first reason as the message', () => {
  const xml = formatJunit(
    result({
      steps: [
        record('flaky', { success: false, reasons: ['first reason\nwith a newline', 'second'] }),
        record('recovered'),
      ],
    }),
    redactor,
  );
  const failure = findAll(parseXml(xml), 'failure')[0] as XmlElement;
  assert.equal(
    failure.attributes['message'],
    'first reason\nwith a newline',
    'newlines survive in attributes',
  );
  assert.equal(failure.text, 'first reason\nwith a newline\nsecond');
});

test('nested workflows get their own suite; repeated visits are told apart', () => {
  const xml = formatJunit(
    result({
      steps: [
        record('login'),
        record('charge', { workflowId: 'payment', durationMs: 40 }),
        // A step that calls a workflow has no status code.
        {
          workflowId: 'main',
          stepId: 'pay',
          success: true,
          attempts: 1,
          executions: 1,
          durationMs: 50,
        },
        record('login', { attempts: 3 }),
      ],
    }),
    redactor,
  );
  const root = parseXml(xml);
  const suites = findAll(root, 'testsuite');
  assert.deepEqual(
    suites.map((s) => [s.attributes['name'], s.attributes['tests'], s.attributes['time']]),
    [
      ['main', '3', '1.235'],
      ['payment', '1', '0.040'],
    ],
  );
  assert.deepEqual(
    cases(root).map((c) => [c.attributes['classname'], c.attributes['name']]),
    [
      ['main', 'login'],
      ['main', 'pay'],
      ['main', 'login (visit 2)'],
      ['payment', 'charge'],
    ],
  );
  assert.equal(
    findAll(cases(root)[2] as XmlElement, 'system-out')[0]?.text,
    'status 200, 3 attempts',
  );
  assert.equal(root.attributes['tests'], '4');
});

test('a run-level error without a step becomes a (workflow) case', () => {
  const xml = formatJunit(
    result({
      success: false,
      steps: [record('a')],
      error: { code: 'RUN_TIMEOUT', message: `run exceeded its time limit; ${CANARY}` },
    }),
    redactor,
  );
  assert.ok(!xml.includes(CANARY));
  const root = parseXml(xml);
  const last = cases(root).at(-1) as XmlElement;
  assert.equal(last.attributes['name'], '(workflow)');
  assert.equal(last.attributes['classname'], 'main');
  const failure = findAll(last, 'failure')[0] as XmlElement;
  assert.equal(failure.attributes['type'], 'RUN_TIMEOUT');
  assert.equal(failure.attributes['message'], 'run exceeded its time limit; ***');
  assert.equal(root.attributes['failures'], '1');
});

test('a guard that trips on a step that never ran, and a run with no steps at all', () => {
  const guard = parseXml(
    formatJunit(
      result({
        success: false,
        steps: [record('poll', { executions: 1000 })],
        error: {
          code: 'MAX_STEPS_EXCEEDED',
          message: 'stopped after 1000 step executions',
          stepId: 'poll',
        },
      }),
      redactor,
    ),
  );
  assert.equal(
    cases(guard).length,
    1,
    'the error lands on the poll record, which ran fine until then',
  );
  assert.equal(findAll(guard, 'failure')[0]?.attributes['type'], 'MAX_STEPS_EXCEEDED');

  const empty = parseXml(
    formatJunit(
      result({
        success: false,
        error: { code: 'STEP_FAILED', message: 'dependency failed', stepId: 'never' },
      }),
      redactor,
    ),
  );
  assert.deepEqual(
    cases(empty).map((c) => c.attributes['name']),
    ['(workflow)'],
  );
  assert.equal(empty.attributes['tests'], '1');
});

test('the XML reader used here rejects what it should', () => {
  assert.throws(() => parseXml('<a><b></a></b>'));
  assert.throws(() => parseXml('<a x="1 & 2"/>'));
  assert.throws(() => parseXml('<a>\u0001</a>'));
  assert.throws(() => parseXml('<a>&#0;</a>'));
  assert.throws(() => parseXml('<a/><b/>'));
  assert.equal(parseXml('<a x="&lt;&#10;">t&amp;<b/></a>').attributes['x'], '<\n');
});
