import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldExecution, pollIteration, type StepExecution } from '../../src/runtime/records.js';
import type { StepRecord } from '../../src/runtime/result.js';

// Record keeping (src/runtime/records.ts) as tables: the last record and an execution → the
// record it leaves, and whether it replaces the last one.

function execution(more: Partial<StepExecution> = {}): StepExecution {
  return {
    workflowId: 'main',
    stepId: 'poll',
    success: true,
    statusCode: 200,
    reasons: [],
    durationMs: 10,
    attempt: 1,
    polled: false,
    ...more,
  };
}

const last: StepRecord = {
  workflowId: 'main',
  stepId: 'poll',
  success: false,
  statusCode: 503,
  attempts: 1,
  executions: 3,
  durationMs: 30,
  reasons: ['status 503 is not 2xx'],
};

const rows: {
  name: string;
  last: StepRecord | undefined;
  execution: StepExecution;
  folds: boolean;
  record: StepRecord;
}[] = [
  {
    name: 'the first execution starts a record',
    last: undefined,
    execution: execution(),
    folds: false,
    record: {
      workflowId: 'main',
      stepId: 'poll',
      success: true,
      statusCode: 200,
      attempts: 1,
      executions: 1,
      durationMs: 10,
    },
  },
  {
    name: 'a paced poll of the same step folds in: one more execution, durations added, the latest status',
    last,
    execution: execution({ polled: true }),
    folds: true,
    record: {
      workflowId: 'main',
      stepId: 'poll',
      success: true,
      statusCode: 200,
      attempts: 1,
      executions: 4,
      durationMs: 40,
    },
  },
  {
    name: 'a retry of the same step folds in as attempts, not executions',
    last,
    execution: execution({ attempt: 2 }),
    folds: true,
    record: {
      workflowId: 'main',
      stepId: 'poll',
      success: true,
      statusCode: 200,
      attempts: 2,
      executions: 3,
      durationMs: 40,
    },
  },
  {
    name: 'a folded execution without a response drops the status and keeps its own reasons',
    last,
    execution: execution({
      polled: true,
      success: false,
      statusCode: undefined,
      reasons: ['timed out'],
    }),
    folds: true,
    record: {
      workflowId: 'main',
      stepId: 'poll',
      success: false,
      attempts: 1,
      executions: 4,
      durationMs: 40,
      reasons: ['timed out'],
    },
  },
  {
    name: 'a step re-entered without polling (another request) starts a new record',
    last,
    execution: execution(),
    folds: false,
    record: {
      workflowId: 'main',
      stepId: 'poll',
      success: true,
      statusCode: 200,
      attempts: 1,
      executions: 1,
      durationMs: 10,
    },
  },
  {
    name: 'a poll of another step starts a new record',
    last,
    execution: execution({ stepId: 'other', polled: true }),
    folds: false,
    record: {
      workflowId: 'main',
      stepId: 'other',
      success: true,
      statusCode: 200,
      attempts: 1,
      executions: 1,
      durationMs: 10,
    },
  },
  {
    name: 'the same step id in another workflow starts a new record',
    last,
    execution: execution({ workflowId: 'nested', attempt: 2 }),
    folds: false,
    record: {
      workflowId: 'nested',
      stepId: 'poll',
      success: true,
      statusCode: 200,
      attempts: 2,
      executions: 1,
      durationMs: 10,
    },
  },
];

for (const row of rows) {
  test(`foldExecution: ${row.name}`, () => {
    const before = structuredClone(row.last);
    const folded = foldExecution(row.last, row.execution);
    assert.deepEqual(folded, { record: row.record, folds: row.folds });
    assert.deepEqual(row.last, before, 'the last record is not changed');
  });
}

test('pollIteration: the poll after those the step has run, or the second', () => {
  assert.equal(pollIteration(last, 'main', 'poll'), 4);
  assert.equal(pollIteration(last, 'main', 'other'), 2);
  assert.equal(pollIteration(last, 'nested', 'poll'), 2);
  assert.equal(pollIteration(undefined, 'main', 'poll'), 2);
});
