import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  DurableEngine,
  DurableRuns,
  durableHost,
  durableSpec,
  isArazzoError,
  prepareRun,
  type RunEvent,
} from '../../src/index.js';
import { ROOT } from '../_helpers/cli.js';
import { postgresUnavailable, startPostgres } from '../_helpers/postgres.js';

// Issue 16: "the same durable runs are available from the library API (start, get status,
// resume, cancel)" — here through the package's entry point, as a library user imports them.

const FILE = join(ROOT, 'test/fixtures/durable/queued/jobs.arazzo.yaml');
const skip = postgresUnavailable();

test(
  'the library starts a durable run, reads its status and steps, and cancels a queued one',
  { skip },
  async () => {
    const pg = await startPostgres();
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      const n = Number(/(\d+)$/.exec(request.url ?? '')?.[1]);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const events: string[] = [];
    let engine: DurableEngine | undefined;
    const runs = await DurableRuns.open(pg.url);
    try {
      const { scope, inputsSchema } = await prepareRun(FILE, { workflowId: 'run-job' });
      const spec = await durableSpec(FILE, scope, 'run-job', { n: 7 }, inputsSchema, {
        servers: { jobs: url },
      });
      engine = await DurableEngine.launch({
        databaseUrl: pg.url,
        executorId: 'library-test',
        host: durableHost({
          onEvent: (runId, event: RunEvent) => events.push(`${runId} ${event.type}`),
        }),
      });
      const runId = await engine.start(spec);
      const result = await engine.result(runId);
      assert.equal(result.success, true);
      assert.deepEqual(result.outputs, { n: 7 });
      assert.deepEqual(requests, ['POST /jobs/7']);
      assert.ok(events.includes(`${runId} workflow-finished`), events.join('\n'));

      const details = await runs.show(runId);
      assert.equal(details.status, 'succeeded');
      assert.deepEqual(
        details.checkpoints.map((c) => [c.name, c.statusCode]),
        [['run-job/runJob', 200]],
      );
      assert.deepEqual(details.result?.outputs, { n: 7 });
      assert.equal(details.spec?.inputs['n'], 7);

      // Queued where no worker listens: pending until cancelled, and never sent.
      const queued = await runs.enqueue({ ...spec, inputs: { n: 8 } }, 'nobody');
      assert.equal((await runs.show(queued)).status, 'pending');
      await runs.cancel(queued);
      assert.equal((await runs.show(queued)).status, 'cancelled');
      assert.deepEqual(
        (await runs.list()).map((r) => [r.runId, r.status]).sort(),
        [
          [queued, 'cancelled'],
          [runId, 'succeeded'],
        ].sort(),
      );
      assert.deepEqual(requests, ['POST /jobs/7']);

      await assert.rejects(runs.show('no-such-run'), (error) => {
        assert.ok(isArazzoError(error));
        assert.equal(error.code, 'RUN_NOT_FOUND');
        return true;
      });
    } finally {
      await engine?.close();
      await runs.close();
      server.close();
      await pg.close();
    }
  },
);

test('a database that cannot be reached is an ArazzoError naming it without its password', async () => {
  await assert.rejects(
    DurableRuns.open('postgres://me:pw-Secret9@127.0.0.1:1/arazzo').then((r) => r.list()),
    (error) => {
      assert.ok(isArazzoError(error));
      assert.equal(error.code, 'DATABASE_UNREACHABLE');
      assert.ok(!error.message.includes('pw-Secret9'), error.message);
      assert.match(error.message, /127\.0\.0\.1:1/);
      return true;
    },
  );
});
