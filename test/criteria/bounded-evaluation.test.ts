/**
 * Bounded evaluation of conditions (issue 21, F4): regex, JSONPath and XPath conditions whose cost
 * the document or the server controls run in the condition worker within a deadline and a heap
 * cap, and stop at once when their signal aborts; conditions bounded by their own size (simple,
 * JSONPath singular queries) stay on the caller's thread. The hostile rows are the audit's own
 * reproductions: on the old code each one holds the thread for good.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CONDITION_BOUNDS,
  compileCriterion,
  evaluateCriterion,
  type CriterionResult,
  type EvaluateOptions,
} from '../../src/criteria/index.js';
import type { Criterion } from '../../src/document/types.js';
import type { RuntimeContext } from '../../src/expressions/index.js';
import { ctx, withResponse } from '../expressions/context-fixture.js';

const GOESSNER = { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' } as const;

function deepBody(levels: number): unknown {
  let body: unknown = {};
  for (let i = 0; i < levels; i++) body = { a: body, b: [1, 2] };
  return body;
}

async function timed(
  criterion: Criterion,
  context: RuntimeContext,
  options?: EvaluateOptions,
): Promise<{ result: CriterionResult; ms: number }> {
  const compiled = compileCriterion(criterion);
  const started = performance.now();
  const result = await evaluateCriterion(compiled, context, options);
  return { result, ms: performance.now() - started };
}

interface Hostile {
  readonly name: string;
  readonly criterion: Criterion;
  readonly context: RuntimeContext;
  /** A benign condition of the same kind: the worker and its engine are loaded before timing. */
  readonly warm: Criterion;
}

const hostile: Hostile[] = [
  {
    name: 'regex with catastrophic backtracking',
    criterion: { context: '$response.body', type: 'regex', condition: '^(a+)+$' },
    context: withResponse('a'.repeat(50_000) + '!'),
    warm: { context: '$response.body', type: 'regex', condition: '^a' },
  },
  {
    name: 'Goessner nested descendants on a 250-deep body',
    criterion: { context: '$response.body', type: GOESSNER, condition: '$..*..*..*..*' },
    context: withResponse(deepBody(250)),
    warm: { context: '$response.body', type: GOESSNER, condition: '$.a' },
  },
  {
    name: 'RFC 9535 filter counting a nested filter over 20,000 items',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      condition: '$[?count($[?@.a > 0]) > 0]',
    },
    context: withResponse(Array.from({ length: 20_000 }, (_, a) => ({ a }))),
    warm: { context: '$response.body', type: 'jsonpath', condition: '$[0]' },
  },
  {
    name: 'XPath loop over 10⁸ items',
    criterion: {
      context: '$response.body',
      type: 'xpath',
      condition: 'count(for $i in 1 to 100000000 return $i) > 0',
    },
    context: withResponse('<a/>'),
    warm: { context: '$response.body', type: 'xpath', condition: '/a' },
  },
];

for (const row of hostile) {
  test(`bounded: ${row.name} fails within ${CONDITION_BOUNDS.timeoutMs} ms`, async () => {
    assert.equal((await timed(row.warm, row.context)).result.passed, true);
    const { result, ms } = await timed(row.criterion, row.context);
    assert.equal(result.passed, false);
    const kind = typeof row.criterion.type === 'object' ? 'jsonpath' : row.criterion.type;
    assert.equal(
      result.reason,
      `${kind} condition "${row.criterion.condition}" did not finish within 1000 ms`,
    );
    assert.ok(ms >= 990, `ended after ${ms} ms, before its bound`);
    assert.ok(ms < 5000, `ended after ${ms} ms`);
  });
}

test('bounded: the deadline is an option', async () => {
  const [redos] = hostile;
  assert.ok(redos);
  const { result, ms } = await timed(redos.criterion, redos.context, { timeoutMs: 300 });
  assert.match(
    result.reason ?? '',
    /^regex condition "\^\(a\+\)\+\$" did not finish within 300 ms$/,
  );
  assert.ok(ms < 3000, `ended after ${ms} ms`);
});

test('bounded: a condition that outgrows the heap cap fails naming the memory bound', async () => {
  const { result, ms } = await timed(
    { context: '$response.body', type: 'xpath', condition: 'count(array { 1 to 100000000 }) > 0' },
    withResponse('<a/>'),
    { timeoutMs: 120_000, memoryMiB: 32 },
  );
  assert.equal(
    result.reason,
    'xpath condition "count(array { 1 to 100000000 }) > 0" exceeded its memory bound (32 MiB)',
  );
  assert.ok(ms < 60_000, `ended after ${ms} ms`);
});

test('bounded: an abort ends an evaluation in progress at once', async () => {
  const [redos] = hostile;
  assert.ok(redos);
  const controller = new AbortController();
  const evaluation = timed(redos.criterion, redos.context, {
    timeoutMs: 120_000,
    signal: controller.signal,
  });
  await sleep(300);
  const aborted = performance.now();
  controller.abort();
  const { result } = await evaluation;
  const after = performance.now() - aborted;
  assert.equal(result.reason, 'regex condition "^(a+)+$" did not finish: the run was stopped');
  assert.ok(after < 1000, `ended ${after} ms after the abort`);
});

test('bounded: an aborted signal evaluates nothing', async () => {
  const [redos] = hostile;
  assert.ok(redos);
  const { result, ms } = await timed(redos.criterion, redos.context, {
    signal: AbortSignal.abort(),
  });
  assert.equal(result.reason, 'regex condition "^(a+)+$" was not evaluated: the run was stopped');
  assert.ok(ms < 100, `took ${ms} ms`);
});

test('bounded: an evaluation queued behind one that overruns gets a new worker', async () => {
  const [redos] = hostile;
  assert.ok(redos);
  const slow = timed(redos.criterion, redos.context, { timeoutMs: 400 });
  const next = timed({ context: '$statusCode', type: 'regex', condition: '^2\\d\\d$' }, ctx, {
    timeoutMs: 400,
  });
  assert.match((await slow).result.reason ?? '', /did not finish within 400 ms$/);
  assert.deepEqual((await next).result, { passed: true });
});

test('bounded: the main thread keeps running while a condition is evaluated', async () => {
  // ~2²⁴ backtracking steps: finite, but long enough to see the thread is not blocked.
  const evaluation = evaluateCriterion(
    compileCriterion({ context: '$response.body', type: 'regex', condition: '^(a+)+$' }),
    withResponse('a'.repeat(24) + '!'),
    { timeoutMs: 120_000 },
  );
  let done = false;
  void Promise.resolve(evaluation).then(() => (done = true));
  await sleep(20);
  assert.equal(done, false, 'the evaluation blocked the thread');
  assert.equal((await evaluation).passed, false);
});

const benign: {
  name: string;
  criterion: Criterion;
  context?: RuntimeContext;
  passed: boolean;
  reason?: string;
}[] = [
  {
    name: 'regex passes',
    criterion: { context: '$statusCode', type: 'regex', condition: '^2\\d\\d$' },
    passed: true,
  },
  {
    name: 'regex fails with the value and the pattern',
    criterion: { context: '$statusCode', type: 'regex', condition: '^4' },
    passed: false,
    reason: 'context $statusCode is 200, which does not match /^4/u',
  },
  {
    name: 'regex on a long string shows it shortened',
    criterion: { context: '$response.body', type: 'regex', condition: '^b' },
    context: withResponse('a'.repeat(200)),
    passed: false,
    reason: `context $response.body is "${'a'.repeat(78)}…, which does not match /^b/u`,
  },
  {
    name: 'regex on an object matches its JSON text',
    criterion: { context: '$response.body#/items/0', type: 'regex', condition: '"name":"z"' },
    passed: false,
    reason:
      'context $response.body#/items/0 is {"id":1,"name":"a"}, which does not match /"name":"z"/u',
  },
  {
    name: 'RFC 9535 filter passes',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.items[?@.id == 2]' },
    passed: true,
  },
  {
    name: 'RFC 9535 filter fails',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.items[?@.id == 9]' },
    passed: false,
    reason: '$.items[?@.id == 9] selects no nodes in context $response.body',
  },
  {
    name: 'comparison form over a wildcard fails naming the node count',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.items[*].id == 1' },
    passed: false,
    reason:
      '$.items[*].id == 1, but $.items[*].id selects 2 nodes (a comparison needs exactly one)',
  },
  {
    name: 'Goessner filter passes',
    criterion: { context: '$response.body', type: GOESSNER, condition: '$.items[?(@.id == 2)]' },
    passed: true,
  },
  {
    name: 'substituted JSONPath',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      condition: '$.items[?@.id == {$response.body#/count}]',
    },
    passed: false,
    reason: '$.items[?@.id == 3] selects no nodes in context $response.body',
  },
  {
    name: 'XPath passes',
    criterion: { context: '$response.body', type: 'xpath', condition: 'count(//pet) = 2' },
    context: withResponse('<pets><pet/><pet/></pets>'),
    passed: true,
  },
  {
    name: 'XPath fails with its effective boolean value',
    criterion: { context: '$response.body', type: 'xpath', condition: 'count(//pet) = 3' },
    context: withResponse('<pets><pet/><pet/></pets>'),
    passed: false,
    reason: 'count(//pet) = 3 is false (its effective boolean value) for context $response.body',
  },
  {
    name: 'substituted XPath with a syntax error',
    criterion: {
      context: '$response.body',
      type: 'xpath',
      condition: 'count(//pet) = {$response.body}',
    },
    context: withResponse('<pets><pet/><pet/></pets>'),
    passed: false,
  },
];

for (const row of benign) {
  test(`bounded: ${row.name}, as before`, async () => {
    const result = await evaluateCriterion(compileCriterion(row.criterion), row.context ?? ctx);
    assert.equal(result.passed, row.passed, result.reason);
    if (row.reason !== undefined) assert.equal(result.reason, row.reason);
    if (!row.passed) assert.ok((result.reason ?? '').length > 0);
  });
}

test('bounded: a context value that cannot be sent to the worker fails with a reason', async () => {
  const context: RuntimeContext = { ...ctx, inputs: { callback: { run: () => 'SECRET-SOURCE' } } };
  const result = await evaluateCriterion(
    compileCriterion({ context: '$inputs.callback', type: 'jsonpath', condition: '$..run' }),
    context,
  );
  assert.equal(
    result.reason,
    'jsonpath condition "$..run" could not be evaluated: its context value is not plain data (it holds a function or a symbol)',
  );
});

/** Whether an evaluation settles without leaving the current turn (no thread round trip). */
async function settlesInline(criterion: Criterion, context: RuntimeContext): Promise<boolean> {
  let settled = false;
  void Promise.resolve(evaluateCriterion(compileCriterion(criterion), context)).then(
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return settled;
}

for (const [condition, type] of [
  ["$statusCode == 200 && $response.body#/status == 'Running'", undefined],
  ['$.status == "Running"', 'jsonpath'],
  ["$['nested'].deep.value != null", 'jsonpath'],
  ['$.items[1].name', 'jsonpath'],
  ['$.status == "Running"', GOESSNER],
] as const) {
  test(`bounded: ${condition} (${typeof type === 'object' ? 'Goessner' : (type ?? 'simple')}) is evaluated inline`, async () => {
    const criterion: Criterion =
      type === undefined ? { condition } : { condition, type, context: '$response.body' };
    assert.equal(await settlesInline(criterion, ctx), true);
    assert.equal((await evaluateCriterion(compileCriterion(criterion), ctx)).passed, true);
  });
}

for (const condition of ['$.items[?@.id == 2]', '$..id', '$.items[*]', '$.items[0,1]']) {
  test(`bounded: ${condition} is evaluated in the worker`, async () => {
    const criterion: Criterion = { condition, type: 'jsonpath', context: '$response.body' };
    assert.equal(await settlesInline(criterion, ctx), false);
    assert.equal((await evaluateCriterion(compileCriterion(criterion), ctx)).passed, true);
  });
}
