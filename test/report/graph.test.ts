import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadDocument } from '../../src/document/load-document.js';
import type { Workflow } from '../../src/document/types.js';
import { loadSources } from '../../src/sources/load-sources.js';
import { createScope } from '../../src/runtime/scope.js';
import { compileWorkflow } from '../../src/runtime/compile.js';
import {
  toDot,
  toMermaid,
  workflowGraph,
  type GraphEdge,
  type WorkflowGraph,
} from '../../src/report/graph/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = `${ROOT}workflows/resume.yml`;
const FLOW = `${ROOT}test/fixtures/graph/flow.arazzo.yaml`;

/** `from -kind-> to [label lines]`, compact enough to compare whole graphs. */
function edgeList(graph: WorkflowGraph): string[] {
  return graph.edges.map(
    (e: GraphEdge) =>
      `${e.from} -${e.kind}-> ${e.to}${e.label.length > 0 ? ` [${e.label.join(' / ')}]` : ''}`,
  );
}

async function seedGraph(): Promise<WorkflowGraph> {
  const loaded = await loadDocument(SEED);
  const { sources, errors } = await loadSources(loaded);
  assert.deepEqual(errors, []);
  return workflowGraph(compileWorkflow(createScope(loaded, sources), 0));
}

const SEED_EDGES = [
  'start -start-> step_inspectStatus',
  'step_inspectStatus -next-> step_submitFeedback',
  'step_inspectStatus -fail-> exit_fail [fail]',
  'step_submitFeedback -next-> step_pollUntilDone',
  'step_submitFeedback -fail-> exit_fail [fail]',
  'step_pollUntilDone -goto-> step_pollUntilDone [stillRunning / $.status == "running"]',
  'step_pollUntilDone -end-> exit_ok [settled / $.status != "running"]',
  'step_pollUntilDone -next-> exit_ok [otherwise]',
  'step_pollUntilDone -fail-> exit_fail [fail]',
];

test('seed workflow, compiled: steps with resolved operations, the poll loop, both ends', async () => {
  const graph = await seedGraph();
  assert.equal(graph.workflowId, 'resume-paused-execution');
  assert.deepEqual(
    graph.nodes.map((n) => [n.id, n.kind, n.label.join(' | ')]),
    [
      ['start', 'start', '▶ resume-paused-execution'],
      ['step_inspectStatus', 'operation', 'inspectStatus | GET /status/{kickoff_id}'],
      ['step_submitFeedback', 'operation', 'submitFeedback | POST /resume'],
      ['step_pollUntilDone', 'operation', 'pollUntilDone | GET /status/{kickoff_id}'],
      ['exit_ok', 'success', '✔ success'],
      ['exit_fail', 'failure', '✖ failure'],
    ],
  );
  assert.deepEqual(edgeList(graph), SEED_EDGES);
});

test('seed workflow, raw: the same control flow without sources (operations by operationId)', async () => {
  const loaded = await loadDocument(SEED);
  const graph = workflowGraph(loaded.document.workflows[0] as Workflow);
  assert.deepEqual(edgeList(graph), SEED_EDGES);
  assert.deepEqual(graph.nodes[1]?.label, ['inspectStatus', 'getKickoffStatus']);
});

test('goto, retry, end, nested call, goto-workflow transfer, workflow-level actions merged per step', async () => {
  const loaded = await loadDocument(FLOW);
  const graph = workflowGraph(loaded.document.workflows[0] as Workflow, {
    components: loaded.document.components,
  });
  assert.deepEqual(edgeList(graph), [
    'start -start-> step_createOrder',
    'step_createOrder -next-> step_pay',
    // The reusable retry (components), then the workflow-level `giveUp: end`, which always matches.
    'step_createOrder -retry-> step_createOrder [backoff: retry ×3 after 2s / $statusCode == 503]',
    'step_createOrder -end-> exit_fail [giveUp]',
    'step_pay -next-> step_pollShipping',
    // The step's own `giveUp` overrides the workflow's by name.
    'step_pay -goto-> step_cancel [giveUp]',
    'step_pollShipping -goto-> step_pollShipping [notYet / $.state == "pending"]',
    "step_pollShipping -transfer-> workflow_refund [lost / $response.body#/state == 'lost']",
    // `shipped` has no criteria: nothing after it can run, so there is no "next" edge.
    'step_pollShipping -end-> exit_ok [shipped]',
    'step_pollShipping -end-> exit_fail [giveUp]',
    'step_cancel -next-> exit_ok',
    'step_cancel -end-> exit_fail [giveUp]',
  ]);
  const kinds = Object.fromEntries(graph.nodes.map((n) => [n.id, n.kind]));
  assert.equal(kinds['step_pay'], 'call');
  assert.equal(kinds['workflow_refund'], 'transfer');
  assert.deepEqual(graph.nodes.find((n) => n.id === 'step_pay')?.label, [
    'pay',
    '⤷ workflow payment',
  ]);
  // operationPath: method and path read from its pointer, no source needed.
  assert.deepEqual(graph.nodes.find((n) => n.id === 'step_pollShipping')?.label, [
    'pollShipping',
    'GET /orders/{orderId}',
  ]);
});

test('retry without criteria: the failure exit says the retries ran out; a goto to nowhere fails', () => {
  const workflow: Workflow = {
    workflowId: 'w',
    steps: [
      {
        stepId: 'a',
        operationId: 'op',
        onFailure: [{ name: 'again', type: 'retry', retryLimit: 2, stepId: 'b' }],
      },
      {
        stepId: 'b',
        operationId: 'op',
        onSuccess: [{ name: 'lost', type: 'goto', stepId: 'nowhere' }],
      },
    ],
  };
  assert.deepEqual(edgeList(workflowGraph(workflow)), [
    'start -start-> step_a',
    'step_a -next-> step_b',
    'step_a -retry-> step_a [again: retry ×2 / runs step b first]',
    'step_a -fail-> exit_fail [retries exhausted]',
    'step_b -goto-> exit_fail [lost / unknown step nowhere]',
    'step_b -fail-> exit_fail [fail]',
  ]);
});

/** A workflow whose ids and conditions contain everything that breaks naive Mermaid or DOT output. */
const HOSTILE: Workflow = {
  workflowId: 'evil "flow" <x>',
  dependsOn: ['setup'],
  steps: [
    {
      stepId: 'end',
      operationId: 'a|b',
      onSuccess: [
        {
          name: 'go`md`',
          type: 'goto',
          stepId: 'a-b',
          criteria: [{ condition: '$.x == "a|b" && <b>!</b> & style:#quot; \\N\nnext' }],
        },
      ],
    },
    { stepId: 'a-b', operationPath: '{$sourceDescriptions.s.url}#/paths/~1p~1{id}/delete' },
    { stepId: 'a_b', workflowId: 'sub flow' },
    {
      stepId: 'o',
      operationId: 'x',
      onFailure: [{ name: 'bye', type: 'goto', workflowId: 'other "wf"' }],
    },
  ],
};

test('node ids are sanitised, unique and never a keyword', () => {
  const graph = workflowGraph(HOSTILE);
  const ids = graph.nodes.map((n) => n.id);
  assert.deepEqual(ids, [
    'start',
    'step_end',
    'step_a_b',
    'step_a_b_2',
    'step_o',
    'workflow_other__wf_',
    'exit_ok',
    'exit_fail',
  ]);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_]+$/);
  assert.deepEqual(graph.nodes[0]?.label, ['▶ evil "flow" <x>', 'after setup']);
});

/** Every Mermaid line is a node, an edge, a class statement or a subgraph bracket. */
const MERMAID_LINE = [
  /^flowchart TD$/,
  /^ *[A-Za-z0-9_]+(\(\[|\[\[|\[|>|\(\(|\{\{)"[^"]*"(\]\)|\]\]|\]|\)\)|\}\})$/,
  /^ *[A-Za-z0-9_]+ (-->|-\.->)(\|"[^"|]*"\|)? [A-Za-z0-9_]+$/,
  /^ *classDef kind_[a-z]+ [a-z-]+:#[0-9a-f]{6}(,[a-z-]+:#[0-9a-f]{6})*$/,
  /^ *class [A-Za-z0-9_,]+ kind_[a-z]+$/,
  /^ *subgraph [A-Za-z0-9_]+ \["[^"]*"\]$/,
  /^ *end$/,
];

function checkMermaid(text: string): void {
  for (const line of text.trimEnd().split('\n')) {
    assert.ok(
      MERMAID_LINE.some((pattern) => pattern.test(line)),
      `not a well-formed Mermaid line: ${line}`,
    );
    // Inside labels: no raw HTML except our <br/>, every # starts an entity code.
    const labels = line.match(/"[^"]*"/g) ?? [];
    for (const label of labels) {
      assert.doesNotMatch(label.replaceAll('<br/>', ''), /[<>`]/, line);
      assert.doesNotMatch(label, /#(?!(\d+|[a-z]+);)/, line);
      assert.doesNotMatch(label, /style|classDef/, line);
    }
  }
}

test('Mermaid: flowchart TD, quoted and escaped labels, failure paths dotted', async () => {
  const seed = toMermaid(await seedGraph());
  checkMermaid(seed);
  assert.match(seed, /^flowchart TD\n/);
  assert.ok(seed.includes('step_pollUntilDone["pollUntilDone<br/>GET /status/{kickoff_id}"]'));
  assert.ok(
    seed.includes(
      'step_pollUntilDone -->|"stillRunning<br/>$.status == #quot;running#quot;"| step_pollUntilDone',
    ),
  );
  assert.ok(seed.includes('step_inspectStatus -.->|"fail"| exit_fail'));
  assert.ok(seed.includes('exit_ok(("✔ success"))'));
  assert.ok(seed.includes('exit_fail{{"✖ failure"}}'));

  const hostile = toMermaid(workflowGraph(HOSTILE));
  checkMermaid(hostile);
  assert.ok(
    hostile.includes('step_a_b_2[["a_b<br/>⤷ workflow sub flow"]]'),
    'a nested call is a subroutine',
  );
  assert.ok(
    hostile.includes('workflow_other__wf_>"→ workflow other #quot;wf#quot;"]'),
    'a transfer is a flag',
  );
  assert.ok(hostile.includes('#124;'), 'pipes inside labels are entity codes');
  assert.ok(
    hostile.includes('#115;tyle:#35;quot;'),
    '"style:#…;" cannot trigger Mermaid\'s style rewrite',
  );
  assert.ok(hostile.includes('step_a_b["a-b<br/>DELETE /p/{id}"]'));
});

test('Mermaid: several workflows become subgraphs with prefixed ids', async () => {
  const loaded = await loadDocument(FLOW);
  const graphs = loaded.document.workflows.map((w) =>
    workflowGraph(w, { components: loaded.document.components }),
  );
  const text = toMermaid(graphs);
  checkMermaid(text);
  assert.ok(text.includes('  subgraph w1_workflow ["checkout"]\n'));
  assert.ok(text.includes('    w2_start --> w2_step_charge\n'));
  assert.equal((text.match(/^ {2}end$/gm) ?? []).length, 3);
  assert.equal(
    text.split('\n').filter((l) => / (-->|-\.->)/.test(l)).length,
    graphs.reduce((n, g) => n + g.edges.length, 0),
  );
});

/** Lines of DOT: statements only, with balanced, escaped quotes. */
function checkDot(text: string): void {
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^digraph "([^"\\]|\\.)*" \{$/);
  assert.equal(lines.at(-1), '}');
  for (const line of lines.slice(1, -1)) {
    assert.match(
      line,
      /^ *(rankdir=TB;|(node|edge) \[.*\];|[A-Za-z0-9_]+( -> [A-Za-z0-9_]+)?( \[.*\])?;|subgraph cluster_\d+ \{|label="([^"\\]|\\.)*";|\})$/,
      line,
    );
    // Every quote is either escaped or part of a balanced pair.
    const unescaped = line.replace(/\\./g, '').match(/"/g) ?? [];
    assert.equal(unescaped.length % 2, 0, line);
  }
}

test('DOT: the same nodes and edges, escaped for Graphviz', async () => {
  const graph = await seedGraph();
  const dot = toDot(graph);
  checkDot(dot);
  assert.ok(dot.startsWith('digraph "resume-paused-execution" {\n'));
  assert.equal(dot.split('\n').filter((l) => / -> /.test(l)).length, graph.edges.length);
  assert.equal(
    dot.split('\n').filter((l) => /^ {2}[A-Za-z0-9_]+ \[label=/.test(l)).length,
    graph.nodes.length,
  );
  assert.ok(
    dot.includes(
      'step_pollUntilDone -> step_pollUntilDone [label="stillRunning\\n$.status == \\"running\\""];',
    ),
  );
  assert.ok(dot.includes('step_inspectStatus -> exit_fail [label="fail", style=dashed'));

  const hostile = toDot(workflowGraph(HOSTILE));
  checkDot(hostile);
  assert.ok(
    hostile.includes('\\\\N next'),
    'a backslash stays literal and a newline in a condition becomes a space',
  );
  assert.ok(hostile.includes('label="a_b\\n⤷ workflow sub flow", shape=box, peripheries=2'));
});
