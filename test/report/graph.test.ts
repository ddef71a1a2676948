import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadDocument } from '../../src/document/load-document.js';
import type { Workflow } from '../../src/document/types.js';
import { loadSources } from '../../src/sources/load-sources.js';
import { createScope } from '../../src/runtime/scope.js';
import { compileWorkflow } from '../../src/runtime/compile.js';
import { compileDocument } from '../../src/model/compile-document.js';
import type { WorkflowModel } from '../../src/model/types.js';
import {
  graphOfView,
  toDot,
  toMermaid,
  workflowGraph,
  workflowView,
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

/** Every Mermaid line is a node, an edge, a class or link style statement or a subgraph bracket. */
const MERMAID_LINE = [
  /^flowchart TD$/,
  /^ *[A-Za-z0-9_]+(\(\[|\[\[|\[\/|\[|>|\(\(|\{\{)"[^"]*"(\]\)|\]\]|\/\]|\]|\)\)|\}\})$/,
  /^ *[A-Za-z0-9_]+ (-->|-\.->)(\|"[^"|]*"\|)? [A-Za-z0-9_]+$/,
  /^ *classDef kind_[a-z]+ [a-z-]+:#[0-9a-f]{6}(,[a-z-]+:#[0-9a-f]{6})*$/,
  /^ *class [A-Za-z0-9_,]+ kind_[a-z]+$/,
  /^ *linkStyle \d+(,\d+)* [a-z-]+:[#0-9a-z ]+(,[a-z-]+:[#0-9a-z ]+)*$/,
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

// Arazzo 1.1: step dependencies, timeouts and action parameters (one fixture folder per case).
const DEPENDS_ON = `${ROOT}test/fixtures/graph/depends-on/arazzo.yaml`;
const ACTION_PARAMETERS = `${ROOT}test/fixtures/graph/action-parameters/arazzo.yaml`;

/** Every workflow of a document, compiled against its sources. */
async function documentGraphs(file: string): Promise<WorkflowGraph[]> {
  const loaded = await loadDocument(file);
  const { sources, errors } = await loadSources(loaded);
  assert.deepEqual(errors, []);
  const scope = createScope(loaded, sources);
  return loaded.document.workflows.map((_, index) => workflowGraph(compileWorkflow(scope, index)));
}

test('1.1 dependsOn: steps in run order, dependencies as their own edges after the control flow, timeouts in labels', async () => {
  const fulfil = (await documentGraphs(DEPENDS_ON))[1] as WorkflowGraph;
  assert.deepEqual(
    fulfil.nodes.map((n) => [n.id, n.kind, n.label.join(' | ')]),
    [
      ['start', 'start', '▶ fulfil'],
      ['step_lookup', 'operation', 'lookup | GET /orders/{orderId} | timeout 250 ms'],
      ['step_charge', 'operation', 'charge | POST /orders/{orderId}/charge | timeout 5000 ms'],
      ['step_ship', 'operation', 'ship | GET /orders/{orderId}'],
      // Steps of other workflows: of this document, of an Arazzo source.
      ['dep_setup_seed', 'external', 'seed | in workflow setup'],
      ['dep_shared_audit_record', 'external', 'record | in workflow audit of source shared'],
      ['exit_ok', 'success', '✔ success'],
      ['exit_fail', 'failure', '✖ failure'],
    ],
  );
  assert.deepEqual(edgeList(fulfil), [
    // The document lists ship, charge, lookup; "next" is the run order (POSITIONS §11.4).
    'start -start-> step_lookup',
    'step_lookup -next-> step_charge',
    'step_lookup -fail-> exit_fail [fail]',
    'step_charge -next-> step_ship',
    'step_charge -retry-> step_charge [again: retry ×2]',
    'step_charge -fail-> exit_fail [retries exhausted]',
    'step_ship -next-> exit_ok',
    'step_ship -fail-> exit_fail [fail]',
    'step_charge -dependsOn-> step_lookup [dependsOn]',
    'step_charge -dependsOn-> dep_setup_seed [dependsOn]',
    'step_charge -dependsOn-> dep_shared_audit_record [dependsOn]',
    'step_ship -dependsOn-> step_charge [dependsOn]',
    // ship reads lookup's outputs: an implicit dependency, drawn where dependsOn is used.
    'step_ship -implicit-> step_lookup [reads outputs]',
  ]);
  assert.ok(
    fulfil.edges.filter((e) => e.kind === 'dependsOn').every((e) => e.outcome === 'dependency'),
  );
});

const DEPENDS_ON_MERMAID = `flowchart TD
  subgraph w1_workflow ["setup"]
    w1_start(["▶ setup"])
    w1_step_seed["seed<br/>POST /orders"]
    w1_exit_ok(("✔ success"))
    w1_exit_fail{{"✖ failure"}}
    w1_start --> w1_step_seed
    w1_step_seed --> w1_exit_ok
    w1_step_seed -.->|"fail"| w1_exit_fail
  end
  subgraph w2_workflow ["fulfil"]
    w2_start(["▶ fulfil"])
    w2_step_lookup["lookup<br/>GET /orders/{orderId}<br/>timeout 250 ms"]
    w2_step_charge["charge<br/>POST /orders/{orderId}/charge<br/>timeout 5000 ms"]
    w2_step_ship["ship<br/>GET /orders/{orderId}"]
    w2_dep_shared_audit_record[/"record<br/>in workflow audit of source shared"/]
    w2_exit_ok(("✔ success"))
    w2_exit_fail{{"✖ failure"}}
    w2_start --> w2_step_lookup
    w2_step_lookup --> w2_step_charge
    w2_step_lookup -.->|"fail"| w2_exit_fail
    w2_step_charge --> w2_step_ship
    w2_step_charge -.->|"again: retry ×2"| w2_step_charge
    w2_step_charge -.->|"retries exhausted"| w2_exit_fail
    w2_step_ship --> w2_exit_ok
    w2_step_ship -.->|"fail"| w2_exit_fail
    w2_step_charge -.->|"dependsOn"| w2_step_lookup
    w2_step_charge -.->|"dependsOn"| w2_dep_shared_audit_record
    w2_step_ship -.->|"dependsOn"| w2_step_charge
    w2_step_ship -.->|"reads outputs"| w2_step_lookup
  end
  w2_step_charge -.->|"dependsOn"| w1_step_seed
  classDef kind_start fill:#eef2f7,stroke:#5b6b7f
  class w1_start,w2_start kind_start
  classDef kind_success fill:#e6f4ea,stroke:#2e7d32,color:#1b5e20
  class w1_exit_ok,w2_exit_ok kind_success
  classDef kind_failure fill:#fdecea,stroke:#c62828,color:#b71c1c
  class w1_exit_fail,w2_exit_fail kind_failure
  classDef kind_external fill:#f4f6f8,stroke:#8a94a6,color:#5b6b7f
  class w2_dep_shared_audit_record kind_external
  linkStyle 11,12,13,15 stroke:#6a4c93,color:#6a4c93,stroke-dasharray:6 4
  linkStyle 14 stroke:#8a94a6,color:#5b6b7f,stroke-dasharray:2 4
`;

test('Mermaid 1.1: a dependency on a drawn workflow goes to its node, between the subgraphs; linkStyle sets dependencies apart', async () => {
  const text = toMermaid(await documentGraphs(DEPENDS_ON));
  checkMermaid(text);
  assert.equal(text, DEPENDS_ON_MERMAID);
});

const DEPENDS_ON_DOT = `digraph "fulfil" {
  rankdir=TB;
  node [fontname="Helvetica,Arial,sans-serif", fontsize=11];
  edge [fontname="Helvetica,Arial,sans-serif", fontsize=10];
  start [label="▶ fulfil", shape=oval, style=filled, fillcolor="#eef2f7", color="#5b6b7f"];
  step_lookup [label="lookup\\nGET /orders/{orderId}\\ntimeout 250 ms", shape=box, style=rounded];
  step_charge [label="charge\\nPOST /orders/{orderId}/charge\\ntimeout 5000 ms", shape=box, style=rounded];
  step_ship [label="ship\\nGET /orders/{orderId}", shape=box, style=rounded];
  dep_setup_seed [label="seed\\nin workflow setup", shape=box, style="rounded,dashed", color="#8a94a6", fontcolor="#5b6b7f"];
  dep_shared_audit_record [label="record\\nin workflow audit of source shared", shape=box, style="rounded,dashed", color="#8a94a6", fontcolor="#5b6b7f"];
  exit_ok [label="✔ success", shape=doublecircle, style=filled, fillcolor="#e6f4ea", color="#2e7d32", fontcolor="#1b5e20"];
  exit_fail [label="✖ failure", shape=octagon, style=filled, fillcolor="#fdecea", color="#c62828", fontcolor="#b71c1c"];
  start -> step_lookup;
  step_lookup -> step_charge;
  step_lookup -> exit_fail [label="fail", style=dashed, color="#c62828", fontcolor="#c62828"];
  step_charge -> step_ship;
  step_charge -> step_charge [label="again: retry ×2", style=dashed, color="#c62828", fontcolor="#c62828"];
  step_charge -> exit_fail [label="retries exhausted", style=dashed, color="#c62828", fontcolor="#c62828"];
  step_ship -> exit_ok;
  step_ship -> exit_fail [label="fail", style=dashed, color="#c62828", fontcolor="#c62828"];
  step_charge -> step_lookup [label="dependsOn", style=dashed, color="#6a4c93", fontcolor="#6a4c93", arrowhead=vee, constraint=false];
  step_charge -> dep_setup_seed [label="dependsOn", style=dashed, color="#6a4c93", fontcolor="#6a4c93", arrowhead=vee, constraint=false];
  step_charge -> dep_shared_audit_record [label="dependsOn", style=dashed, color="#6a4c93", fontcolor="#6a4c93", arrowhead=vee, constraint=false];
  step_ship -> step_charge [label="dependsOn", style=dashed, color="#6a4c93", fontcolor="#6a4c93", arrowhead=vee, constraint=false];
  step_ship -> step_lookup [label="reads outputs", style=dotted, color="#8a94a6", fontcolor="#5b6b7f", arrowhead=vee, constraint=false];
}
`;

test('DOT 1.1: one workflow, its dependencies on other workflows as dashed stand-ins; across clusters, outside them', async () => {
  const graphs = await documentGraphs(DEPENDS_ON);
  const one = toDot(graphs[1] as WorkflowGraph);
  checkDot(one);
  assert.equal(one, DEPENDS_ON_DOT);

  const both = toDot(graphs);
  checkDot(both);
  assert.ok(!both.includes('dep_setup_seed'), 'setup is drawn: no stand-in for its step');
  assert.ok(
    both.endsWith(
      '  }\n  w2_step_charge -> w1_step_seed [label="dependsOn", style=dashed, color="#6a4c93", fontcolor="#6a4c93", arrowhead=vee, constraint=false];\n}\n',
    ),
  );
});

test('1.1 action parameters: their names on the goto and retry edges, never their values', async () => {
  const [checkout] = await documentGraphs(ACTION_PARAMETERS);
  assert.deepEqual(edgeList(checkout as WorkflowGraph), [
    'start -start-> step_create',
    'step_create -transfer-> workflow_payment [toPayment / with orderId, note, apiKey, pin]',
    'step_create -retry-> step_create [refundFirst: retry ×1 / runs workflow refund first / with reason, amount / $statusCode == 409]',
    'step_create -fail-> exit_fail [otherwise]',
  ]);
  for (const text of [toMermaid(checkout as WorkflowGraph), toDot(checkout as WorkflowGraph)]) {
    assert.ok(!text.includes('4242-canary'), 'a graph shows no parameter value');
    assert.ok(!text.includes('$steps.create'), text);
  }
  assert.ok(
    toMermaid(checkout as WorkflowGraph).includes(
      '  step_create -->|"toPayment<br/>with orderId, note, apiKey, pin"| workflow_payment\n',
    ),
  );
});

test('1.1 dependencies with hostile names are escaped; an entry that names no step draws nothing', () => {
  const model = compileDocument({
    file: '',
    version: '1.1',
    document: {
      arazzo: '1.1.0',
      info: { title: 't', version: '1' },
      sourceDescriptions: [{ name: 's"rc', url: './x.arazzo.yaml', type: 'arazzo' }],
      workflows: [
        {
          workflowId: 'w',
          steps: [
            { stepId: 'a', operationId: 'op', timeout: 10 },
            {
              stepId: 'b',
              operationId: 'op',
              dependsOn: ['a', 'nowhere', '$sourceDescriptions.s"rc.w<f>.steps.x|y'],
            },
          ],
        },
      ],
    } as never,
  });
  const graph = graphOfView(workflowView(model.workflows[0] as WorkflowModel));
  assert.deepEqual(edgeList(graph).slice(-2), [
    'step_b -dependsOn-> step_a [dependsOn]',
    'step_b -dependsOn-> dep_s_rc_w_f__x_y [dependsOn]',
  ]);
  const mermaid = toMermaid(graph);
  checkMermaid(mermaid);
  assert.ok(
    mermaid.includes(
      'dep_s_rc_w_f__x_y[/"x#124;y<br/>in workflow w#lt;f#gt; of source s#quot;rc"/]',
    ),
    mermaid,
  );
  const dot = toDot(graph);
  checkDot(dot);
  assert.ok(dot.includes('[label="x|y\\nin workflow w<f> of source s\\"rc"'), dot);
});
