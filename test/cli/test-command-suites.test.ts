import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../examples/crewai/simulator/index.js';
import { runArazzo } from '../_helpers/cli.js';
import { startPetstore } from '../_helpers/petstore.js';

// The upstream example and the CrewAI workflow we ship, as one `arazzo test` suite against
// local servers (the bundled CrewAI AMP simulator, a petstore for pet-coupons).

const TOKEN = 'suite-token-Pn42';

test('arazzo test runs the upstream pet-coupons example and workflows/resume.yml in one command', async () => {
  const store = await startPetstore();
  const sim = await startSimulator({
    tokens: [TOKEN],
    tasks: [
      { id: 'draft_task', agent: 'Writer', humanInput: true, durationMs: 5 },
      { id: 'summary_task', agent: 'Editor', durationMs: 40 },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-suites-'));
  try {
    const kickoffId = sim.kickoff({ topic: 't' });
    await sim.waitForStatus(kickoffId, 'pending_human_input', 5000);
    const inputs = join(dir, 'inputs.json');
    await writeFile(
      inputs,
      JSON.stringify({
        'resume-paused-execution': {
          kickoffId,
          taskId: 'draft_task',
          humanFeedback: 'fine',
          isApprove: true,
        },
        'place-order': { pet_id: 9, coupon_code: 'SPRING' },
      }),
    );
    const junit = join(dir, 'junit.xml');
    const run = await runArazzo([
      'test',
      'test/fixtures/upstream/pet-coupons.arazzo.yaml',
      'workflows/resume.yml',
      '--server',
      `pet-coupons=${store.url}`,
      '--server',
      `crewaiAmpApi=${sim.url}`,
      '--inputs',
      inputs,
      // A secret input for every workflow that declares it: only resume.yml does.
      '--input',
      `bearerToken=${TOKEN}`,
      '--poll-interval',
      '20ms',
      '--json',
      '--junit',
      junit,
    ]);
    const report = JSON.parse(run.stdout) as {
      summary: { passed: number; failed: number; notRun: number };
      workflows: { workflowId: string; status: string; reason?: string }[];
    };
    const verdicts = Object.fromEntries(report.workflows.map((w) => [w.workflowId, w.status]));
    assert.deepEqual(verdicts, {
      // Upstream's apply-coupon passes pet_id where its operation needs petId: validate says so.
      'apply-coupon': 'failed',
      'buy-available-pet': 'passed',
      'place-order': 'passed',
      'resume-paused-execution': 'passed',
    });
    assert.match(
      report.workflows.find((w) => w.workflowId === 'apply-coupon')?.reason ?? '',
      /^invalid: .*petId/,
    );
    assert.equal(run.code, 1, 'one failed workflow fails the suite');
    assert.equal(sim.requests.filter((r) => r.path.endsWith('/resume')).length, 1);
    // Independent workflows run concurrently: the order of the two purchases is not fixed.
    const orders = (store.orders as { petId: number }[]).toSorted((a, b) => a.petId - b.petId);
    assert.deepEqual(orders, [
      { petId: 7, status: 'placed', complete: false },
      { petId: 9, couponCode: 'SPRING', status: 'placed', complete: false },
    ]);
    const xml = await readFile(junit, 'utf8');
    assert.equal(xml.match(/<testsuite /g)?.length, 4);
    assert.ok(!(run.stdout + run.stderr + xml).includes(TOKEN), 'the token leaked');
  } finally {
    await sim.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
