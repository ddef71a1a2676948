import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DurableRuns } from '../../src/durable/index.js';
import { BIN, ROOT, runArazzo } from '../_helpers/cli.js';
import { postgresUnavailable, startPostgres } from '../_helpers/postgres.js';

// Issue 16, done when: 200 queued runs go through 3 worker processes, one of them is SIGKILLed
// mid-way and started again with its id; every run ends exactly once, none lost, none
// duplicated (requests counted at the server). POSITIONS §15.1: only a request in flight at the
// kill may be sent again.

const FILE = 'test/fixtures/durable/queued/jobs.arazzo.yaml';
const RUNS = 200;
const CONCURRENCY = 4;
const skip = postgresUnavailable();

interface Job {
  readonly n: number;
  readonly worker: string;
  readonly at: number;
}

/** POST /jobs/{n}: answers {n} after 80 ms, recording who asked and how many are in flight. */
async function jobServer(): Promise<{
  url: string;
  jobs: Job[];
  inFlight: Map<string, number>;
  server: Server;
}> {
  const jobs: Job[] = [];
  const inFlight = new Map<string, number>();
  const server = createServer((request, response) => {
    const n = Number(/^\/jobs\/(\d+)$/.exec(request.url ?? '')?.[1]);
    const worker = String(request.headers['x-worker']);
    jobs.push({ n, worker, at: Date.now() });
    inFlight.set(worker, (inFlight.get(worker) ?? 0) + 1);
    request.resume();
    setTimeout(() => {
      inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n }));
    }, 80);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, jobs, inFlight, server };
}

interface Worker {
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
  out(): string;
}

function worker(database: string, id: string): Worker {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--database',
      database,
      '--queue',
      'jobs',
      '--concurrency',
      String(CONCURRENCY),
      '--id',
      id,
      '-H',
      `X-Worker: ${id}`,
    ],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, exited, out: () => out };
}

const printedRuns = (out: string): string[] =>
  [...out.matchAll(/^run ([0-9a-f-]{36}) run-job succeeded$/gm)].map((m) => m[1] ?? '');

async function until(what: string, done: () => boolean | Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (!(await done())) {
    assert.ok(Date.now() < end, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test(
  '200 queued runs through 3 workers, one SIGKILLed and restarted: each run ends once, none lost',
  { skip, timeout: 180_000 },
  async (t) => {
    const pg = await startPostgres();
    const server = await jobServer();
    const workers: Worker[] = [];
    let runs: DurableRuns | undefined;
    try {
      const submitted = await runArazzo([
        'submit',
        FILE,
        '--database',
        pg.url,
        '--queue',
        'jobs',
        '--server',
        `jobs=${server.url}`,
        '--input',
        'n=1',
      ]);
      assert.equal(submitted.code, 0, submitted.stderr);
      const first = submitted.stdout.trim();
      const store = await DurableRuns.open(pg.url);
      runs = store;
      // The other 199 as the library queues them: the stored record with another n.
      const { spec } = await store.spec(first);
      const expected = new Map<string, number>([[first, 1]]);
      for (let n = 2; n <= RUNS; n++)
        expected.set(await store.enqueue({ ...spec, inputs: { n } }, 'jobs'), n);

      workers.push(worker(pg.url, 'w1'), worker(pg.url, 'w2'), worker(pg.url, 'w3'));
      // Mid-way, with requests of w2 in flight: the ones that may be sent again.
      await until(
        'a third of the runs were requested and w2 has requests in flight',
        () => server.jobs.length >= 60 && (server.inFlight.get('w2') ?? 0) > 0,
        60_000,
      );
      const killed = workers[1];
      assert.ok(killed !== undefined);
      killed.child.kill('SIGKILL');
      await killed.exited;
      const killedAt = Date.now();
      const beforeKill = new Set(
        server.jobs.filter((j) => j.worker === 'w2' && j.at < killedAt).map((j) => j.n),
      );
      const restarted = worker(pg.url, 'w2');
      workers.push(restarted);

      await until(
        'every run succeeded',
        async () => {
          const list = await store.list(RUNS + 50);
          return list.length === RUNS && list.every((r) => r.status === 'succeeded');
        },
        120_000,
      );
      for (const w of [workers[0], workers[2], restarted]) w?.child.kill('SIGINT');
      await Promise.all(workers.map((w) => w.exited));

      // Every run ended once, with its own output.
      const listed = await store.list(RUNS + 50);
      assert.equal(listed.length, RUNS);
      for (const summary of listed) {
        const n = expected.get(summary.runId);
        assert.ok(n !== undefined, `an unknown run ${summary.runId}`);
        const details = await store.show(summary.runId);
        assert.equal(details.status, 'succeeded');
        assert.deepEqual(details.result?.outputs, { n });
      }

      // Each job was requested; only a request of the killed worker may have been sent twice.
      const counts = new Map<number, number>();
      for (const job of server.jobs) counts.set(job.n, (counts.get(job.n) ?? 0) + 1);
      for (let n = 1; n <= RUNS; n++) assert.ok((counts.get(n) ?? 0) >= 1, `job ${n} never ran`);
      const twice = [...counts].filter(([, count]) => count > 1).map(([n]) => n);
      assert.ok(
        twice.length <= CONCURRENCY,
        `${twice.length} jobs requested twice: ${twice.join(', ')}`,
      );
      t.diagnostic(
        `${server.jobs.length} requests for ${RUNS} runs; sent twice: ${twice.length} (the killed worker had ${beforeKill.size} requested)`,
      );
      for (const n of twice) {
        assert.ok(beforeKill.has(n), `job ${n} sent twice, but the killed worker never sent it`);
        assert.equal(counts.get(n), 2);
      }

      // The lines the workers printed: each run once by the workers that lived on (the killed
      // worker may have printed a run whose end it could not store: it is replayed, not re-sent).
      const lived = [workers[0], workers[2], restarted].flatMap((w) => printedRuns(w?.out() ?? ''));
      assert.equal(new Set(lived).size, lived.length, 'a run was reported twice');
      const all = new Set([...lived, ...printedRuns(killed.out())]);
      assert.deepEqual([...all].sort(), [...expected.keys()].sort());
      assert.ok(!workers.some((w) => w.out().includes(pg.password)), 'the password leaked');
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await runs?.close();
      server.server.close();
      await pg.close();
    }
  },
);
