import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type CrewTask } from '../../examples/crewai/simulator/index.js';
import { ROOT, runArazzo } from '../_helpers/cli.js';
import { startScriptServer } from '../_helpers/script-server.js';

// CI reports from a real run: JUnit and HAR next to --json and --verbose, and a canary secret
// that must appear in none of them.

const CANARY = 'canary-secret-Zq81x';
const TASKS: readonly CrewTask[] = [
  { id: 'draft_task', agent: 'Writer', humanInput: true, durationMs: 5 },
  { id: 'summary_task', agent: 'Editor', durationMs: 60 },
];

test('--junit and --har reports: one testcase per step, one HAR entry per request, no secret anywhere', async () => {
  const sim = await startSimulator({ tokens: [CANARY], tasks: TASKS });
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-reports-'));
  try {
    const id = sim.kickoff({ topic: 't' });
    await sim.waitForStatus(id, 'pending_human_input', 5000);
    const common = [
      'run',
      'workflows/resume.yml',
      '--server',
      sim.url,
      '--input',
      `bearerToken=${CANARY}`,
      '--input',
      `kickoffId=${id}`,
      '--input',
      'taskId=draft_task',
      '--input',
      'humanFeedback=fine',
      '--input',
      'isApprove=true',
      '--poll-interval',
      '20ms',
    ];
    const junit = join(dir, 'report.xml');
    const har = join(dir, 'run.har');
    const run = await runArazzo([...common, '--json', '--junit', junit, '--har', har]);
    assert.equal(run.code, 0, run.stderr);

    const xml = await readFile(junit, 'utf8');
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    assert.match(xml, /<testsuite name="resume-paused-execution" tests="3" failures="0"/);
    assert.equal(xml.match(/<testcase /g)?.length, 3);

    const archive = JSON.parse(await readFile(har, 'utf8')) as {
      log: {
        version: string;
        entries: { request: { method: string; headers: { name: string; value: string }[] } }[];
      };
    };
    assert.equal(archive.log.version, '1.2');
    assert.equal(archive.log.entries.length, sim.requests.length);
    const auth = archive.log.entries[0]?.request.headers.find(
      (h) => h.name.toLowerCase() === 'authorization',
    );
    assert.equal(auth?.value, '***');

    const verbose = await runArazzo([...common, '--verbose']);
    for (const [name, text] of [
      ['json', run.stdout],
      ['stderr', run.stderr + verbose.stderr],
      ['verbose', verbose.stdout],
      ['junit', xml],
      ['har', await readFile(har, 'utf8')],
    ] as const) {
      assert.ok(!text.includes(CANARY), `${name} leaks the secret`);
    }
  } finally {
    await sim.close();
  }
});

test('an unwritable report path is refused before any request (exit 2)', async () => {
  const sim = await startSimulator();
  try {
    const run = await runArazzo([
      'run',
      'workflows/resume.yml',
      '--server',
      sim.url,
      '--input',
      'bearerToken=x',
      '--input',
      'kickoffId=x',
      '--input',
      'taskId=x',
      '--input',
      'humanFeedback=x',
      '--input',
      'isApprove=true',
      '--junit',
      '/nonexistent-dir/report.xml',
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot write report/);
    assert.equal(sim.requests.length, 0);
  } finally {
    await sim.close();
  }
});

test('a run killed half-way (SIGKILL) leaves the previous --har and --junit reports intact', async () => {
  const server = await startScriptServer({
    'GET /status': { body: { status: 'ok' } },
    'GET /slow': { delayMs: 20_000, body: {} },
  });
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-reports-'));
  try {
    const har = join(dir, 'run.har');
    const junit = join(dir, 'junit.xml');
    const previousHar =
      '{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[]}}\n';
    const previousJunit = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="0"/>\n';
    await writeFile(har, previousHar);
    await writeFile(junit, previousJunit);
    let pid = 0;
    const running = runArazzo(
      [
        'run',
        join(ROOT, 'test/fixtures/reports/slow-second-step/arazzo.yaml'),
        '--server',
        `api=${server.url}`,
        '--har',
        har,
        '--junit',
        junit,
      ],
      { onSpawn: (id) => (pid = id) },
    );
    // Killed while the second request hangs: the first one's HAR entry is already written.
    while (!server.requests.some((r) => r.url === '/slow'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(pid, 'SIGKILL');
    const run = await running;
    assert.equal(run.signal, 'SIGKILL');
    assert.equal(await readFile(har, 'utf8'), previousHar);
    assert.equal(await readFile(junit, 'utf8'), previousJunit);
    // What the killed run was writing stays aside, in a hidden temporary file.
    const others = (await readdir(dir)).filter(
      (name) => name !== 'run.har' && name !== 'junit.xml',
    );
    assert.ok(
      others.every((name) => /^\.run\.har\.\d+-[0-9a-f]{8}\.tmp$/.test(name)),
      others.join(', '),
    );
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
