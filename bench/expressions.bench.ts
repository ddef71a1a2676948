/**
 * Per-evaluation cost of the expression and criteria layer, with everything parsed once (as the
 * runtime does at document load). Run: `npx tsc -p tsconfig.json && node dist/bench/expressions.bench.js`.
 * Prints the median of several timed rounds in ns/op. Criteria are awaited (evaluateCriterion is
 * async); those marked "worker" make a round trip to the bounded condition worker.
 */
import {
  compileCriterion,
  evaluateCriterion,
  type CompiledCriterion,
} from '../src/criteria/index.js';
import {
  compileValue,
  evaluateExpression,
  evaluateValue,
  parseExpression,
  type RuntimeContext,
} from '../src/expressions/index.js';

const ctx: RuntimeContext = {
  inputs: { token: 'secret', jobId: 'job-1' },
  outputs: {},
  steps: { kickoff: { outputs: { kickoffId: 'k-1' } } },
  workflows: {},
  sourceDescriptions: {},
  components: {},
  exchange: {
    url: 'https://api.example.com/status/k-1',
    method: 'GET',
    request: {
      headers: { authorization: 'Bearer secret' },
      query: {},
      path: { kickoff_id: 'k-1' },
    },
    response: {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: { status: 'running', data: [{ id: 7, name: 'x' }], result: { output: 'done' } },
    },
  },
};

let sink = 0;

function measure(name: string, op: () => unknown): void {
  const rounds = 7;
  const iterations = 200_000;
  for (let i = 0; i < 50_000; i++) if (op() !== undefined) sink++;
  const perOp: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (op() !== undefined) sink++;
    perOp.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  perOp.sort((a, b) => a - b);
  const median = perOp[Math.floor(rounds / 2)] ?? Number.NaN;
  console.log(`${name.padEnd(68)} ${median.toFixed(1).padStart(9)} ns/op`);
}

async function measureAsync(name: string, op: () => Promise<unknown>, iterations: number) {
  const rounds = 7;
  for (let i = 0; i < iterations / 4; i++) if ((await op()) !== undefined) sink++;
  const perOp: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if ((await op()) !== undefined) sink++;
    perOp.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  perOp.sort((a, b) => a - b);
  const median = perOp[Math.floor(rounds / 2)] ?? Number.NaN;
  console.log(`${name.padEnd(68)} ${median.toFixed(1).padStart(9)} ns/op`);
}

const output = parseExpression('$response.body#/data/0/id');
const stepOutput = parseExpression('$steps.kickoff.outputs.kickoffId');
const header = compileValue('Bearer {$inputs.token}');
const payload = compileValue({
  id: '$steps.kickoff.outputs.kickoffId',
  note: 'resume {$inputs.jobId}',
});
const criteria: [string, CompiledCriterion][] = [
  [
    "simple: $statusCode == 200 && $response.body#/status == 'running'",
    compileCriterion({ condition: "$statusCode == 200 && $response.body#/status == 'running'" }),
  ],
  [
    'simple (failing, builds a reason): $statusCode == 201',
    compileCriterion({ condition: '$statusCode == 201' }),
  ],
  [
    'jsonpath (worker): $.data[?@.id == 7]',
    compileCriterion({
      context: '$response.body',
      type: 'jsonpath',
      condition: '$.data[?@.id == 7]',
    }),
  ],
  [
    'jsonpath comparison form: $.status == "running"',
    compileCriterion({
      context: '$response.body',
      type: 'jsonpath',
      condition: '$.status == "running"',
    }),
  ],
  [
    'regex (worker): ^2\\d{2}$ on $statusCode',
    compileCriterion({ context: '$statusCode', type: 'regex', condition: '^2\\d{2}$' }),
  ],
];

console.log(`expressions/criteria evaluation (parsed once), node ${process.version}`);
measure('expression: $response.body#/data/0/id', () => evaluateExpression(output, ctx));
measure('expression: $steps.kickoff.outputs.kickoffId', () => evaluateExpression(stepOutput, ctx));
measure('template value: Bearer {$inputs.token}', () => evaluateValue(header, ctx));
measure('payload value: { id: $steps…, note: "resume {$inputs.jobId}" }', () =>
  evaluateValue(payload, ctx),
);
for (const [name, criterion] of criteria) {
  await measureAsync(
    name,
    () => evaluateCriterion(criterion, ctx),
    name.includes('(worker)') ? 5_000 : 200_000,
  );
}
if (sink === 0) console.log('(no results?)');
