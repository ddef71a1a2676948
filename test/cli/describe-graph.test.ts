import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describeCommand } from '../../src/cli/commands/describe.js';
import { graphCommand } from '../../src/cli/commands/graph.js';
import type { CliIo } from '../../src/cli/io.js';

// describe and graph in-process, with a fake CliIo rooted at the repository.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = 'workflows/resume.yml';
const FLOW = 'test/fixtures/graph/flow.arazzo.yaml';
const BROKEN = 'test/fixtures/graph/broken-source.arazzo.yaml';

function fakeIo(options: { tty?: boolean; env?: Record<string, string> } = {}): {
  io: CliIo;
  out: { stdout: string; stderr: string };
} {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (text) => void (out.stdout += text),
    stderr: (text) => void (out.stderr += text),
    env: options.env ?? {},
    cwd: ROOT,
    stdoutIsTTY: options.tty ?? false,
    stdinIsTTY: false,
  };
  return { io, out };
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim());
}

test('describe the seed: inputs, operations, criteria, actions, outputs and a run line', async () => {
  const { io, out } = fakeIo();
  const code = await describeCommand(SEED, {}, io);
  assert.equal(code, 0);
  assert.equal(out.stderr, '');
  const text = lines(out.stdout);
  assert.equal(text[0], 'CrewAI AMP Resume a Paused Execution v1.0.0 · Arazzo 1.0.1');
  assert.ok(text.includes('workflow resume-paused-execution'));
  assert.ok(
    text.includes(
      'bearerToken    string   required, secret  Bearer token from the AMP dashboard Status tab.',
    ),
  );
  assert.ok(
    text.includes(
      'isApprove      boolean  required          True to proceed; false to retry the task with the feedback.',
    ),
  );
  assert.ok(text.includes('1. inspectStatus   GET /status/{kickoff_id}  getKickoffStatus'));
  assert.ok(text.includes('2. submitFeedback  POST /resume  resumeKickoff'));
  assert.ok(text.includes('success when $statusCode == 200'));
  assert.ok(
    text.includes(
      'on success  stillRunning → goto pollUntilDone when $.status == "running"  [jsonpath on $response.body]',
    ),
  );
  assert.ok(
    text.includes(
      'on success  settled → end (the workflow succeeds) when $.status != "running"  [jsonpath on $response.body]',
    ),
  );
  assert.ok(text.includes('finalStatus    $steps.pollUntilDone.outputs.finalStatus'));
  assert.equal(
    text.at(-2),
    `arazzo run ${SEED} --workflow resume-paused-execution --input bearerToken="$BEARER_TOKEN" --input kickoffId='<string>' ` +
      `--input taskId='<string>' --input humanFeedback='<string>' --input isApprove='<true|false>'`,
  );
  assert.ok(!out.stdout.includes('\x1b['), 'no colour when stdout is not a terminal');
});

test('describe in colour on a terminal, never with NO_COLOR', async () => {
  const tty = fakeIo({ tty: true });
  await describeCommand(SEED, {}, tty.io);
  assert.ok(tty.out.stdout.includes('\x1b[1m'));
  const noColor = fakeIo({ tty: true, env: { NO_COLOR: '1' } });
  await describeCommand(SEED, { color: true }, noColor.io);
  assert.ok(!noColor.out.stdout.includes('\x1b['));
});

test('describe a fixture: one workflow picked, workflow calls, reusable and workflow-level actions, secret default masked', async () => {
  const { io, out } = fakeIo();
  assert.equal(await describeCommand(FLOW, { workflow: 'checkout' }, io), 0);
  const text = lines(out.stdout);
  assert.ok(!out.stdout.includes('session-default-canary-7c1f'), 'the secret default is masked');
  assert.ok(text.includes('sessionToken  string                optional, secret, default ***'));
  assert.ok(text.includes('mode          "standard"|"express"  optional'));
  assert.ok(text.includes('2. pay           ⤷ workflow payment'));
  assert.ok(text.includes('3. pollShipping  GET /orders/{orderId}'));
  assert.ok(text.includes('on failure  backoff → retry ×3 after 2s when $statusCode == 503'));
  assert.ok(text.includes('on failure  giveUp → end (the workflow fails) (workflow-level)'));
  assert.ok(text.includes('on failure  giveUp → goto cancel'));
  assert.ok(
    text.includes(
      "on success  lost → goto workflow refund (transfer) when $response.body#/state == 'lost'",
    ),
  );
  assert.ok(!text.includes('workflow payment'), 'only the workflow asked for');
  assert.equal(
    text.at(-2),
    `arazzo run ${FLOW} --workflow checkout --input apiKey="$API_KEY" --input sku='<string>'`,
  );
});

test('describe --json: the same facts as one JSON object', async () => {
  const { io, out } = fakeIo();
  assert.equal(await describeCommand(FLOW, { json: true }, io), 0);
  const json = JSON.parse(out.stdout) as {
    title: string;
    sources: { name: string; type: string }[];
    workflows: {
      workflowId: string;
      inputs: { name: string; required: boolean; secret: boolean; default?: unknown }[];
      steps: {
        stepId: string;
        operation?: { method: string; path: string; resolved: boolean };
        workflowId?: string;
      }[];
      run: string;
    }[];
  };
  assert.equal(json.title, 'Graph fixture shop');
  assert.deepEqual(json.sources, [{ name: 'shop', type: 'openapi', url: './shop.openapi.yaml' }]);
  assert.deepEqual(
    json.workflows.map((w) => w.workflowId),
    ['checkout', 'payment', 'refund'],
  );
  const checkout = json.workflows[0];
  assert.deepEqual(
    checkout?.inputs.find((i) => i.name === 'sessionToken'),
    {
      name: 'sessionToken',
      type: 'string',
      required: false,
      default: '***',
      secret: true,
    },
  );
  assert.deepEqual(checkout?.steps[0]?.operation, {
    operationId: 'createOrder',
    method: 'POST',
    path: '/orders',
    sourceName: 'shop',
    resolved: true,
  });
  assert.equal(checkout?.steps[1]?.workflowId, 'payment');
  assert.match(
    checkout?.run ?? '',
    /^arazzo run test\/fixtures\/graph\/flow\.arazzo\.yaml --workflow checkout /,
  );
});

test('describe with a source that does not load: still described, operations unresolved', async () => {
  const { io, out } = fakeIo();
  assert.equal(await describeCommand(BROKEN, {}, io), 0);
  assert.match(
    out.stderr,
    /^arazzo describe: source "missing" not loaded \(.*no such file\); its operations are shown unresolved\n$/,
  );
  const text = lines(out.stdout);
  assert.ok(text.includes('1. listThings  listThings  (unresolved: source "missing" not loaded)'));
  assert.ok(
    text.includes('2. getThing    GET /things/{id}  (unresolved: source "missing" not loaded)'),
  );
  assert.equal(text.at(-2), `arazzo run ${BROKEN} --workflow things --input id='<string>'`);
});

test('describe: an operation a loaded source lacks says so, even when another source did not load', async () => {
  const { io, out } = fakeIo();
  const file = 'test/fixtures/graph/typo-and-missing-source.arazzo.yaml';
  assert.equal(await describeCommand(file, {}, io), 0);
  const text = lines(out.stdout);
  assert.ok(
    text.includes(
      '1. typo       $sourceDescriptions.shop.getOrdr  (unresolved: operationId "getOrdr" not found (did you mean "getOrder"?))',
    ),
    out.stdout,
  );
  assert.ok(
    text.includes(
      '2. elsewhere  $sourceDescriptions.missing.listThings  (unresolved: source "missing" not loaded)',
    ),
    out.stdout,
  );
});

test('describe: a file that cannot be loaded or a workflow that does not exist is one line on stderr, exit 2', async () => {
  for (const [file, options, message] of [
    ['test/fixtures/graph/nope.yaml', {}, /no such file/],
    ['test/fixtures/graph/not-yaml.arazzo.yaml', {}, /not-yaml\.arazzo\.yaml/],
    ['test/fixtures/graph/shop.openapi.yaml', {}, /not an Arazzo document/],
    [SEED, { workflow: 'nope' }, /no workflow "nope".*resume-paused-execution/],
  ] as const) {
    const { io, out } = fakeIo();
    assert.equal(await describeCommand(file, options, io), 2, file);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, message);
    assert.equal(out.stderr.split('\n').length, 2, `one line: ${out.stderr}`);
  }
});

test('graph the seed: mermaid by default, dot on request', async () => {
  const mermaid = fakeIo();
  assert.equal(await graphCommand(SEED, {}, mermaid.io), 0);
  assert.equal(mermaid.out.stderr, '');
  assert.match(mermaid.out.stdout, /^flowchart TD\n/);
  assert.ok(
    mermaid.out.stdout.includes(
      '  step_pollUntilDone -->|"stillRunning<br/>$.status == #quot;running#quot;"| step_pollUntilDone\n',
    ),
  );
  assert.ok(
    mermaid.out.stdout.includes(
      '  step_inspectStatus["inspectStatus<br/>GET /status/{kickoff_id}"]\n',
    ),
  );

  const dot = fakeIo();
  assert.equal(await graphCommand(SEED, { format: 'dot' }, dot.io), 0);
  assert.match(dot.out.stdout, /^digraph "resume-paused-execution" \{\n/);
  assert.ok(
    dot.out.stdout.includes(
      '  step_pollUntilDone -> exit_ok [label="settled\\n$.status != \\"running\\""];\n',
    ),
  );
});

test('graph the fixture: every workflow as a subgraph, or the one asked for', async () => {
  const all = fakeIo();
  assert.equal(await graphCommand(FLOW, {}, all.io), 0);
  assert.equal((all.out.stdout.match(/^ {2}subgraph /gm) ?? []).length, 3);
  assert.ok(all.out.stdout.includes('    w1_step_pay[["pay<br/>⤷ workflow payment"]]\n'));
  assert.ok(all.out.stdout.includes('    w1_workflow_refund>"→ workflow refund"]\n'));
  assert.ok(
    all.out.stdout.includes(
      '    w1_step_createOrder -.->|"backoff: retry ×3 after 2s<br/>$statusCode == 503"| w1_step_createOrder\n',
    ),
  );

  const one = fakeIo();
  assert.equal(await graphCommand(FLOW, { workflow: 'payment', format: 'dot' }, one.io), 0);
  assert.ok(one.out.stdout.startsWith('digraph "payment" {\n'));
  assert.ok(
    one.out.stdout.includes('  step_charge [label="charge\\nPOST /orders/{orderId}/charge"'),
  );
});

test('graph without loadable sources: drawn from the document, with a note on stderr', async () => {
  const { io, out } = fakeIo();
  assert.equal(await graphCommand(BROKEN, {}, io), 0);
  assert.match(
    out.stderr,
    /^arazzo graph: source "missing" not loaded .*; operations shown as written\n$/,
  );
  assert.ok(out.stdout.includes('  step_listThings["listThings<br/>listThings"]\n'));
  assert.ok(out.stdout.includes('  step_getThing["getThing<br/>GET /things/{id}"]\n'));
});

test('graph: usage errors exit 2 with one line on stderr', async () => {
  for (const [file, options, message] of [
    [SEED, { format: 'svg' }, /unknown format "svg" \(mermaid or dot\)/],
    [SEED, { workflow: 'nope' }, /no workflow "nope"/],
    ['test/fixtures/graph/nope.yaml', {}, /no such file/],
  ] as const) {
    const { io, out } = fakeIo();
    assert.equal(await graphCommand(file, options, io), 2);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, message);
    assert.equal(out.stderr.split('\n').length, 2);
  }
});
