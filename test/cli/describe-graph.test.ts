import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describeCommand } from '../../src/cli/commands/describe.js';
import { graphCommand } from '../../src/cli/commands/graph.js';
import type { CliIo } from '../../src/cli/io.js';
import { runArazzo } from '../_helpers/cli.js';

// describe and graph in-process, with a fake CliIo rooted at the repository (and once as the binary).

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

// Arazzo 1.1: step timeouts, step dependencies, action parameters (one fixture folder per case).
const DEPENDS_ON = 'test/fixtures/graph/depends-on/arazzo.yaml';
const ACTION_PARAMETERS = 'test/fixtures/graph/action-parameters/arazzo.yaml';

const FULFIL_DESCRIPTION = `Graph fixture dependsOn v1.0.0 · Arazzo 1.1.0
Step dependencies that reorder a workflow, across workflows and documents; timeouts.
source shop (openapi) ../shop.openapi.yaml
source shared (arazzo) ./shared.arazzo.yaml

workflow fulfil

  inputs
    orderId  string  optional

  steps
    in run order (dependsOn); the document lists ship, charge, lookup
    1. lookup  GET /orders/{orderId}  getOrder
       timeout 250 ms
       success when a 2xx status (no successCriteria)
    2. charge  POST /orders/{orderId}/charge  chargeOrder
       timeout 5000 ms
       depends on  lookup, $workflows.setup.steps.seed, $sourceDescriptions.shared.audit.steps.record
       success when a 2xx status (no successCriteria)
       on failure  again → retry ×2
    3. ship    GET /orders/{orderId}  getOrder
       depends on  charge, lookup (implicit: reads its outputs)
       success when a 2xx status (no successCriteria)

  outputs
    (none)

  run
    arazzo run ${DEPENDS_ON} --workflow fulfil
`;

test('describe 1.1 dependsOn: steps listed in run order with a note, timeouts, explicit and implicit dependencies', async () => {
  const { io, out } = fakeIo();
  assert.equal(await describeCommand(DEPENDS_ON, { workflow: 'fulfil' }, io), 0);
  assert.equal(out.stderr, '');
  assert.equal(out.stdout, FULFIL_DESCRIPTION);
});

const CHECKOUT_DESCRIPTION = `Graph fixture action parameters v1.0.0 · Arazzo 1.1.0
source shop (openapi) ../shop.openapi.yaml

workflow checkout

  inputs
    apiKey  string  optional, secret

  steps
    1. create  POST /orders  createOrder
       success when $statusCode == 201
       on success  toPayment → goto workflow payment (transfer)
                   with orderId = $steps.create.outputs.orderId
                   with note    = order {$steps.create.outputs.orderId}
                   with apiKey  = $inputs.apiKey
                   with pin     = ***
       on failure  refundFirst → retry ×1, running refund first when $statusCode == 409
                   with reason = payment failed
                   with amount = {"currency":"EUR","cents":1250}

  outputs
    (none)

  run
    arazzo run ${ACTION_PARAMETERS} --workflow checkout
`;

test('describe 1.1 action parameters: names and values as written; a literal for a secret input of the target masked', async () => {
  const { io, out } = fakeIo();
  assert.equal(await describeCommand(ACTION_PARAMETERS, { workflow: 'checkout' }, io), 0);
  // `pin` is secret by the schema of workflow payment (format: password), not by its name.
  assert.equal(out.stdout, CHECKOUT_DESCRIPTION);
});

test('describe --json 1.1: timeout, dependsOn, documentOrder and action parameters as data, the secret masked', async () => {
  const dependsOn = fakeIo();
  assert.equal(await describeCommand(DEPENDS_ON, { json: true }, dependsOn.io), 0);
  const json = JSON.parse(dependsOn.out.stdout) as {
    workflows: {
      workflowId: string;
      documentOrder?: string[];
      steps: { stepId: string; timeout?: number; dependsOn?: unknown[] }[];
    }[];
  };
  const [setup, fulfil] = json.workflows;
  assert.equal(setup?.documentOrder, undefined, 'not reordered: no documentOrder');
  assert.deepEqual(fulfil?.documentOrder, ['ship', 'charge', 'lookup']);
  assert.deepEqual(
    fulfil?.steps.map((step) => [step.stepId, step.timeout, step.dependsOn]),
    [
      ['lookup', 250, undefined],
      [
        'charge',
        5000,
        [
          { entry: 'lookup', stepId: 'lookup' },
          { entry: '$workflows.setup.steps.seed', stepId: 'seed', workflowId: 'setup' },
          {
            entry: '$sourceDescriptions.shared.audit.steps.record',
            stepId: 'record',
            workflowId: 'audit',
            sourceName: 'shared',
          },
        ],
      ],
      [
        'ship',
        undefined,
        [
          { entry: 'charge', stepId: 'charge' },
          { stepId: 'lookup', implicit: true },
        ],
      ],
    ],
  );

  const parameters = fakeIo();
  assert.equal(await describeCommand(ACTION_PARAMETERS, { json: true }, parameters.io), 0);
  assert.ok(!parameters.out.stdout.includes('4242-canary'), 'the secret literal is masked');
  const checkout = (
    JSON.parse(parameters.out.stdout) as {
      workflows: { steps: { onSuccess: { parameters?: unknown[] }[] }[] }[];
    }
  ).workflows[0];
  assert.deepEqual(checkout?.steps[0]?.onSuccess[0]?.parameters, [
    { name: 'orderId', value: '$steps.create.outputs.orderId', masked: false },
    { name: 'note', value: 'order {$steps.create.outputs.orderId}', masked: false },
    { name: 'apiKey', value: '$inputs.apiKey', masked: false },
    { name: 'pin', value: '***', masked: true },
  ]);
});

test('the arazzo binary: describe and graph a 1.1 document as the commands do in-process', async () => {
  const described = await runArazzo(['describe', DEPENDS_ON, '--workflow', 'fulfil']);
  assert.equal(described.code, 0, described.stderr);
  assert.equal(described.stdout, FULFIL_DESCRIPTION);

  const graphed = await runArazzo(['graph', DEPENDS_ON, '--workflow', 'fulfil', '--format', 'dot']);
  assert.equal(graphed.code, 0, graphed.stderr);
  const { io, out } = fakeIo();
  assert.equal(await graphCommand(DEPENDS_ON, { workflow: 'fulfil', format: 'dot' }, io), 0);
  assert.equal(graphed.stdout, out.stdout);
  assert.ok(
    graphed.stdout.includes('step_ship -> step_lookup [label="reads outputs", style=dotted'),
  );

  const mermaid = await runArazzo(['graph', ACTION_PARAMETERS]);
  assert.equal(mermaid.code, 0, mermaid.stderr);
  assert.ok(
    mermaid.stdout.includes(
      '    w1_step_create -.->|"refundFirst: retry ×1<br/>runs workflow refund first<br/>with reason, amount<br/>$statusCode == 409"| w1_step_create\n',
    ),
  );
  assert.ok(!mermaid.stdout.includes('4242-canary'));
});

test('describe 1.1 Selector Object outputs: selector, type and context in one phrase', async () => {
  const { io, out } = fakeIo();
  const file = 'test/fixtures/run/selector-objects/arazzo.yaml';
  assert.equal(await describeCommand(file, {}, io), 0);
  assert.ok(
    lines(out.stdout).includes('firstSku  $.items[0].sku (jsonpath) on $steps.status.outputs.all'),
    out.stdout,
  );
  assert.ok(lines(out.stdout).includes('email     $steps.status.outputs.email'), out.stdout);
});

test('describe and graph 1.1 AsyncAPI steps: action and channel address, correlationId, implicit success; unresolved says why', async () => {
  const file = 'test/fixtures/run-async/round-trip/arazzo.yaml';
  const { io, out } = fakeIo();
  assert.equal(await describeCommand(file, {}, io), 0);
  const text = lines(out.stdout);
  assert.ok(
    text.includes('1. place    send orders/{region}  $sourceDescriptions.orders.placeOrder'),
    out.stdout,
  );
  assert.ok(
    text.includes(
      '2. confirm  receive confirmations  {$sourceDescriptions.orders.url}#/channels/confirmations',
    ),
    out.stdout,
  );
  assert.ok(text.includes('correlationId $inputs.correlationId'), out.stdout);
  assert.ok(text.includes('success when the broker accepts the message (no successCriteria)'));

  const json = fakeIo();
  assert.equal(await describeCommand(file, { json: true }, json.io), 0);
  const [workflow] = (JSON.parse(json.out.stdout) as { workflows: { steps: unknown[] }[] })
    .workflows;
  assert.deepEqual(workflow?.steps[1], {
    stepId: 'confirm',
    operation: {
      operationId: '{$sourceDescriptions.orders.url}#/channels/confirmations',
      action: 'receive',
      correlationId: '$inputs.correlationId',
      sourceName: 'orders',
      channel: 'confirmations',
      resolved: true,
    },
    timeout: 5000,
    successCriteria: [{ condition: "$message.payload#/status == 'confirmed'", type: 'simple' }],
    onSuccess: [],
    onFailure: [],
    outputs: {
      orderId: '$message.payload#/orderId',
      petId: '$message.payload#/petId',
      correlation: '$message.header.correlationId',
    },
  });

  const graph = fakeIo();
  assert.equal(await graphCommand(file, {}, graph.io), 0);
  assert.ok(graph.out.stdout.includes('  step_place["place<br/>send orders/{region}"]\n'));
  assert.ok(
    graph.out.stdout.includes(
      '  step_confirm["confirm<br/>receive confirmations<br/>timeout 5000 ms"]\n',
    ),
  );

  const unresolved = fakeIo();
  assert.equal(
    await describeCommand(
      'test/fixtures/validate/async-step/invalid.arazzo.yaml',
      {},
      unresolved.io,
    ),
    0,
  );
  assert.match(unresolved.out.stdout, /\(unresolved: /);
});
