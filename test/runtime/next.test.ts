import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCriterion, evaluateCriterion } from '../../src/criteria/index.js';
import type { RuntimeContext } from '../../src/expressions/context.js';
import type { CompiledAction, CompiledStep } from '../../src/runtime/compile.js';
import { decide, type Decision } from '../../src/runtime/next.js';
import type { CriterionEvaluator } from '../../src/runtime/actions.js';

/** The criteria as a run evaluates them, with the default bounds. */
const evaluate: CriterionEvaluator = (criterion, ctx) => evaluateCriterion(criterion, ctx);

// decide() (src/runtime/next.ts) as a table: a step's actions, its outcome and the retries the
// visit has used → the runner's next move. Nothing runs; criteria read only the context.

function context(statusCode: number): RuntimeContext {
  return {
    inputs: {},
    outputs: {},
    steps: {},
    workflows: {},
    sourceDescriptions: {},
    components: {},
    exchange: {
      url: 'http://127.0.0.1/status',
      method: 'GET',
      request: { headers: {}, query: {}, path: {} },
      response: {
        statusCode,
        headers: {},
        body: { status: statusCode === 202 ? 'running' : 'done' },
      },
    },
  };
}

function action(
  name: string,
  type: CompiledAction['type'],
  more: Omit<Partial<CompiledAction>, 'criteria'> & { when?: string } = {},
): CompiledAction {
  const { when, ...rest } = more;
  return {
    name,
    type,
    criteria: when === undefined ? [] : [compileCriterion({ condition: when })],
    ...rest,
  };
}

function step(onSuccess: CompiledAction[], onFailure: CompiledAction[] = []): CompiledStep {
  return {
    step: { stepId: 'poll' },
    pointer: '/workflows/0/steps/1',
    key: 'test.arazzo.yaml#main/poll',
    target: { kind: 'workflow', workflowId: 'other' },
    parameters: [],
    successCriteria: [],
    outputs: [],
    onSuccess,
    onFailure,
  };
}

const STEPS = new Map([
  ['start', 0],
  ['poll', 1],
  ['report', 2],
]);

const again = action('again', 'retry', { retryLimit: 2 });
const gotoPoll = action('wait', 'goto', {
  stepId: 'poll',
  when: "$response.body#/status == 'running'",
});
const endIt = action('stop', 'end');

interface Row {
  readonly name: string;
  readonly step: CompiledStep;
  readonly success: boolean;
  readonly statusCode?: number;
  readonly reasons?: string[];
  readonly retriesUsed?: Record<string, number>;
  readonly error?: { code: 'HTTP_TIMEOUT'; message: string };
  readonly expect: Decision;
}

const rows: Row[] = [
  {
    name: 'success without actions: the next step',
    step: step([]),
    success: true,
    expect: { type: 'continue' },
  },
  {
    name: 'failure without actions: the workflow ends failed, with the reasons',
    step: step([]),
    success: false,
    reasons: ['status 500 is not 2xx', 'late'],
    expect: {
      type: 'end',
      success: false,
      error: {
        code: 'STEP_FAILED',
        message: 'step "poll" failed: status 500 is not 2xx; late',
        stepId: 'poll',
      },
    },
  },
  {
    name: "failure without actions keeps the step's error code; no reasons say so",
    step: step([]),
    success: false,
    reasons: [],
    error: { code: 'HTTP_TIMEOUT', message: 'timed out' },
    expect: {
      type: 'end',
      success: false,
      error: {
        code: 'HTTP_TIMEOUT',
        message: 'step "poll" failed: no reason given',
        stepId: 'poll',
      },
    },
  },
  {
    name: 'a goto whose criteria hold: the step at its index',
    step: step([gotoPoll, endIt]),
    success: true,
    statusCode: 202,
    expect: { type: 'goto', action: gotoPoll, index: 1 },
  },
  {
    name: 'a goto whose criteria fail: the next action matches (first match wins)',
    step: step([gotoPoll, endIt]),
    success: true,
    statusCode: 200,
    expect: { type: 'end', action: endIt, success: true },
  },
  {
    name: 'a goto to an unknown step ends the workflow with STEP_NOT_FOUND',
    step: step([action('lost', 'goto', { stepId: 'nowhere' })]),
    success: true,
    expect: {
      type: 'end',
      action: action('lost', 'goto', { stepId: 'nowhere' }),
      success: false,
      error: {
        code: 'STEP_NOT_FOUND',
        message: 'action "lost" of step "poll" goes to unknown step "nowhere"',
        stepId: 'poll',
      },
    },
  },
  {
    name: 'a goto to a workflow is a transfer',
    step: step([action('hand-over', 'goto', { workflowId: 'cleanup' })]),
    success: true,
    expect: {
      type: 'transfer',
      action: action('hand-over', 'goto', { workflowId: 'cleanup' }),
      workflowId: 'cleanup',
    },
  },
  {
    name: 'an end on failure ends failed, naming the action',
    step: step([], [endIt]),
    success: false,
    reasons: ['boom'],
    expect: {
      type: 'end',
      action: endIt,
      success: false,
      error: {
        code: 'STEP_FAILED',
        message: 'step "poll" failed and action "stop" ended the workflow: boom',
        stepId: 'poll',
      },
    },
  },
  {
    name: 'the first retry is retry 1',
    step: step([], [again, endIt]),
    success: false,
    expect: { type: 'retry', action: again, retry: 1 },
  },
  {
    name: 'a retry counts the retries this visit used',
    step: step([], [again, endIt]),
    success: false,
    retriesUsed: { again: 1 },
    expect: { type: 'retry', action: again, retry: 2 },
  },
  {
    name: 'an exhausted retry falls through to the next failure action (§Failure Action Object)',
    step: step([], [again, endIt]),
    success: false,
    reasons: ['503'],
    retriesUsed: { again: 2 },
    expect: {
      type: 'end',
      action: endIt,
      success: false,
      error: {
        code: 'STEP_FAILED',
        message: 'step "poll" failed and action "stop" ended the workflow: 503',
        stepId: 'poll',
      },
    },
  },
  {
    name: 'retryLimit defaults to 1',
    step: step([], [action('once', 'retry')]),
    success: false,
    reasons: ['x'],
    retriesUsed: { once: 1 },
    expect: {
      type: 'end',
      success: false,
      error: { code: 'STEP_FAILED', message: 'step "poll" failed: x', stepId: 'poll' },
    },
  },
  {
    name: 'onFailure actions are not consulted on success',
    step: step([], [again]),
    success: true,
    expect: { type: 'continue' },
  },
];

for (const row of rows) {
  test(`decide: ${row.name}`, async () => {
    const outcome = {
      success: row.success,
      context: context(row.statusCode ?? 200),
      reasons: row.reasons ?? [],
      ...(row.error === undefined ? {} : { error: row.error }),
    };
    const used =
      row.retriesUsed === undefined ? undefined : new Map(Object.entries(row.retriesUsed));
    assert.deepEqual(await decide(row.step, outcome, used, STEPS, evaluate), row.expect);
  });
}

test('decide changes neither the retries map nor the outcome', async () => {
  const used = new Map([['again', 1]]);
  const outcome = { success: false, context: context(503), reasons: ['503'] };
  await decide(step([], [again]), outcome, used, STEPS, evaluate);
  assert.deepEqual([...used], [['again', 1]]);
  assert.deepEqual(outcome.reasons, ['503']);
});
