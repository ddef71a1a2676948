import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type CrewTask } from '../../examples/crewai/simulator/index.js';
import { runArazzo } from '../_helpers/cli.js';

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
