/**
 * Durable runs (POSITIONS §15) next to plain ones, measured in the same run:
 * `node dist/bench/durable.js [--quick]`, also run by `npm run bench` (bench/run.ts prints its
 * lines as its "Durable runs" section).
 *
 * 1. The poll loop (bench/poll.arazzo.yaml against bench/server.ts): `arazzo run` and
 *    `arazzo run --durable` as whole processes at two K, interleaved; the difference of the two
 *    K is the cost per iteration (each exchange and poll wait is a checkpoint), the intercept
 *    the fixed start-up cost (the engine's launch, its tables, the run's record).
 * 2. Workers: M runs of the one-step bench/job.arazzo.yaml queued (the first by `arazzo submit`,
 *    the rest with its stored record through the library's `DurableRuns`), then N = 1, 2, 4
 *    `arazzo worker` processes on a queue of their own; runs per second from the first run's end
 *    to the last one's, until the database says all M succeeded.
 *
 * Postgres is a private cluster (bench/postgres.ts). Without Postgres it prints one
 * `skipped: <reason>` line and exits 0. Exit 1 when a run failed (the figures would be
 * meaningless); the figures themselves never fail it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { DurableRuns as DurableRunsType } from '../src/durable/runs.js';
import { postgresUnavailable, startPostgres, type BenchPostgres } from './postgres.js';
import { startServer, type BenchServer } from './server-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'dist/bundle/arazzo.js');
const POLL = 'bench/poll.arazzo.yaml';
const JOB = 'bench/job.arazzo.yaml';

interface Config {
  readonly kSmall: number;
  readonly kBig: number;
  readonly reps: number;
  readonly runs: number;
  readonly workers: readonly number[];
  readonly concurrency: number;
}

// K from 200, not less: below it the difference of two whole durable processes is lost in the
// noise of their ~1.8 s start (bench/README.md, "Durable runs").
const FULL: Config = {
  kSmall: 200,
  kBig: 1_000,
  reps: 3,
  runs: 200,
  workers: [1, 2, 4],
  concurrency: 8,
};
const QUICK: Config = {
  kSmall: 5,
  kBig: 20,
  reps: 1,
  runs: 40,
  workers: [1, 2, 4],
  concurrency: 8,
};

class RunFailure extends Error {}

const live = new Set<ChildProcess>();

function say(text = ''): void {
  console.log(text);
}

function row(label: string, a: string, b: string, relation: string, note: string): void {
  say(`${label.padEnd(42)} ${a.padStart(12)} ${b.padStart(12)} ${relation.padStart(10)}  ${note}`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function spread(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `[${(sorted[0] ?? Number.NaN).toFixed(0)}–${(sorted.at(-1) ?? Number.NaN).toFixed(0)}]`;
}

interface Finished {
  readonly wallMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node <args>` to its end; wall time from spawn to exit. */
function runNode(args: readonly string[], timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let wallMs = 0;
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < 64_000) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 64_000) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', () => (wallMs = Number(process.hrtime.bigint() - started) / 1e6));
    child.on('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ wallMs, code, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// 1. The poll loop, plain and durable.

type Side = 'plain' | 'durable';

async function pollRun(side: Side, server: BenchServer, database: string, k: number) {
  await server.reset(k);
  const args = [
    BIN,
    'run',
    POLL,
    '--server',
    `jobs=${server.base}`,
    '--input',
    'token=t',
    '--input',
    'jobId=job-1',
    '--poll-interval',
    '0',
    '--max-steps',
    String(Math.max(1_000, 2 * k + 10)),
    ...(side === 'durable' ? ['--durable', '--database', database] : []),
  ];
  const run = await runNode(args, 120_000 + k * 200);
  const stats = await server.stats();
  const problems = [
    run.code === 0 ? '' : `exit code ${run.code}`,
    stats.statusCalls === k + 1 ? '' : `${stats.statusCalls} status calls (expected ${k + 1})`,
    stats.resumeCalls === 1 ? '' : `${stats.resumeCalls} resume calls (expected 1)`,
  ].filter(Boolean);
  if (problems.length > 0)
    throw new RunFailure(
      `${side} run at K=${k}: ${problems.join(', ')}\n${run.stderr.trim().slice(-1500)}`,
    );
  const runId = /durable run ([0-9a-f-]{36})/.exec(run.stderr)?.[1];
  if (side === 'durable' && runId === undefined)
    throw new RunFailure(
      `durable run at K=${k} printed no run id: ${run.stderr.trim().slice(-500)}`,
    );
  return { wallMs: run.wallMs, runId };
}

async function pollLoop(
  config: Config,
  server: BenchServer,
  database: string,
  runs: DurableRunsType,
): Promise<void> {
  const { kSmall, kBig, reps } = config;
  say(
    `### poll loop: per iteration = (wall(K=${kBig}) − wall(K=${kSmall})) / ${kBig - kSmall}, ` +
      `whole processes, median of ${reps} after a warm-up, --poll-interval 0`,
  );
  const walls: Record<Side, { small: number[]; big: number[] }> = {
    plain: { small: [], big: [] },
    durable: { small: [], big: [] },
  };
  await pollRun('plain', server, database, kSmall);
  await pollRun('durable', server, database, kSmall);
  let lastDurable: string | undefined;
  for (let rep = 0; rep < reps; rep++) {
    // Alternate the order so drift in the machine's load falls on both sides alike.
    const order: Side[] = rep % 2 === 0 ? ['plain', 'durable'] : ['durable', 'plain'];
    for (const k of [kSmall, kBig])
      for (const side of order) {
        const run = await pollRun(side, server, database, k);
        walls[side][k === kSmall ? 'small' : 'big'].push(run.wallMs);
        if (side === 'durable' && k === kBig) lastDurable = run.runId;
      }
  }
  // The run really was checkpointed: one record per exchange (K + 2) at least.
  if (lastDurable !== undefined) {
    const shown = await runs.show(lastDurable);
    const exchanges = shown.checkpoints.filter((c) => c.name !== 'wait').length;
    const waits = shown.checkpoints.length - exchanges;
    if (shown.status !== 'succeeded' || exchanges !== kBig + 2)
      throw new RunFailure(
        `durable run ${lastDurable}: ${shown.status}, ${exchanges} exchange checkpoints (expected ${kBig + 2})`,
      );
    say(
      `    durable run at K=${kBig}: ${shown.status}, ${exchanges} exchange checkpoints + ${waits} poll waits stored`,
    );
  }
  const delta = kBig - kSmall;
  const perIteration = (side: Side): number =>
    (median(walls[side].big) - median(walls[side].small)) / delta;
  const fixed = (side: Side): number => median(walls[side].small) - kSmall * perIteration(side);
  const plain = perIteration('plain');
  const durable = perIteration('durable');
  row('', 'plain', 'durable', 'relation', '');
  row(
    'wall per poll iteration',
    `${plain.toFixed(3)} ms`,
    `${durable.toFixed(3)} ms`,
    `${(durable / plain).toFixed(1)}×`,
    '(information: durable / plain)',
  );
  row(
    'fixed cost (intercept at K=0)',
    `${fixed('plain').toFixed(0)} ms`,
    `${fixed('durable').toFixed(0)} ms`,
    `+${(fixed('durable') - fixed('plain')).toFixed(0)} ms`,
    '(information: durable − plain)',
  );
  // A durable process now and then takes about a second longer to start or stop (the engine's
  // own timers; seen at every K): the minimums show the loop without those outliers.
  const least = (values: readonly number[]): number => Math.min(...values);
  const perIterationMin = (side: Side): number =>
    (least(walls[side].big) - least(walls[side].small)) / delta;
  row(
    'same from the minimums',
    `${perIterationMin('plain').toFixed(3)} ms`,
    `${perIterationMin('durable').toFixed(3)} ms`,
    `${(perIterationMin('durable') / perIterationMin('plain')).toFixed(1)}×`,
    '(information)',
  );
  for (const side of ['plain', 'durable'] as const)
    say(
      `    ${side}: wall K=${kSmall} ${median(walls[side].small).toFixed(0)} ms ${spread(walls[side].small)}, ` +
        `K=${kBig} ${median(walls[side].big).toFixed(0)} ms ${spread(walls[side].big)}`,
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Workers.

/** The job API: `POST /jobs/{n}` → `{"n":n}`; counts what it answered. */
async function jobServer(): Promise<{
  base: string;
  posts: () => number;
  close: () => Promise<void>;
}> {
  let posts = 0;
  const server: Server = createServer((req, res) => {
    const match = /^\/jobs\/(-?\d+)$/.exec(req.url ?? '');
    req.resume();
    if (req.method !== 'POST' || match?.[1] === undefined) {
      res.writeHead(404).end();
      return;
    }
    posts += 1;
    const body = `{"n":${match[1]}}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    posts: () => posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Worker {
  readonly child: ChildProcess;
  /** hrtime (ms) of each `run … succeeded` line it printed. */
  readonly ends: number[];
  stderr: string;
}

function startWorker(database: string, queue: string, id: string, concurrency: number): Worker {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--database',
      database,
      '--queue',
      queue,
      '--concurrency',
      String(concurrency),
      '--id',
      id,
    ],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  child.on('close', () => live.delete(child));
  const worker: Worker = { child, ends: [], stderr: '' };
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const now = Number(process.hrtime.bigint()) / 1e6;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (/^run \S+ job succeeded/.test(line)) worker.ends.push(now);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (worker.stderr.length < 16_000) worker.stderr += chunk;
  });
  return worker;
}

async function stopWorker(worker: Worker): Promise<number | null> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

async function workerThroughput(
  config: Config,
  database: string,
  runs: DurableRunsType,
): Promise<void> {
  const { runs: total, workers: counts, concurrency } = config;
  say(
    `### workers: ${total} queued runs of ${JOB} (one POST each), N worker processes ` +
      `(--concurrency ${concurrency}), runs/s from the first run's end to the last one's`,
  );
  const api = await jobServer();
  try {
    // The first run is queued by the CLI, as a user would; its stored record is the template.
    const submitted = await runNode(
      [
        BIN,
        'submit',
        JOB,
        '--server',
        `jobs=${api.base}`,
        '--input',
        'n=0',
        '--database',
        database,
        '--queue',
        `bench-template-${process.pid}`,
      ],
      60_000,
    );
    const templateId = submitted.stdout.trim();
    if (submitted.code !== 0 || !/^[0-9a-f-]{36}$/.test(templateId))
      throw new RunFailure(`arazzo submit: exit ${submitted.code}\n${submitted.stderr.trim()}`);
    const { spec } = await runs.spec(templateId);
    await runs.cancel(templateId);
    const results: { n: number; rate: number; wallS: number }[] = [];
    row('', 'runs/s', 'spawn→done', 'vs N=1', '');
    for (const n of counts) {
      const queue = `bench-n${n}-${process.pid}`;
      const ids = new Set<string>();
      const before = api.posts();
      // One at a time: the engine's client holds one connection (pg warns on overlapping queries).
      for (let i = 1; i <= total; i++)
        ids.add(await runs.enqueue({ ...spec, inputs: { n: i } }, queue));
      const started = Number(process.hrtime.bigint()) / 1e6;
      const workers = Array.from({ length: n }, (_, i) =>
        startWorker(database, queue, `bench-${queue}-w${i}`, concurrency),
      );
      let done = 0;
      let failed = 0;
      const until = Date.now() + 120_000 + total * 1_000;
      try {
        for (;;) {
          const mine = (await runs.list(100_000)).filter((run) => ids.has(run.runId));
          done = mine.filter((run) => run.status === 'succeeded').length;
          failed = mine.filter(
            (run) => run.status === 'failed' || run.status === 'cancelled',
          ).length;
          if (done + failed >= total) break;
          const exited = workers.find((w) => w.child.exitCode !== null);
          if (exited !== undefined)
            throw new RunFailure(
              `a worker exited (${exited.child.exitCode}): ${exited.stderr.trim().slice(-1000)}`,
            );
          if (Date.now() > until)
            throw new RunFailure(
              `N=${n}: ${done} of ${total} runs succeeded before the time limit`,
            );
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      } finally {
        const codes = await Promise.all(workers.map(stopWorker));
        if (codes.some((code) => code !== 0) && failed === 0 && done === total)
          say(`    (a worker stopped with exit ${codes.join(', ')})`);
      }
      if (failed > 0) throw new RunFailure(`N=${n}: ${failed} of ${total} runs failed`);
      const ends = workers.flatMap((w) => w.ends).sort((a, b) => a - b);
      const first = ends[0] ?? Number.NaN;
      const last = ends.at(-1) ?? Number.NaN;
      const rate = ((ends.length - 1) * 1000) / (last - first);
      const wallS = (last - started) / 1000;
      const perWorker = workers.map((w) => w.ends.length).join(' + ');
      results.push({ n, rate, wallS });
      const base = results[0]?.rate ?? Number.NaN;
      row(
        `N=${n} worker${n === 1 ? '' : 's'} (${perWorker} runs)`,
        rate.toFixed(1),
        `${wallS.toFixed(1)} s`,
        `${(rate / base).toFixed(2)}×`,
        `${api.posts() - before} POSTs for ${total} runs`,
      );
    }
  } finally {
    await api.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const unknown = argv.filter((arg) => arg !== '--quick');
  if (unknown.length > 0) {
    process.stderr.write(
      `bench/durable: unknown option ${unknown.join(' ')}\nusage: node dist/bench/durable.js [--quick]\n`,
    );
    return 2;
  }
  const config = argv.includes('--quick') ? QUICK : FULL;
  const unavailable = postgresUnavailable();
  if (unavailable !== undefined) {
    say(`skipped: ${unavailable}`);
    return 0;
  }
  let pg: BenchPostgres;
  try {
    pg = await startPostgres();
  } catch (error) {
    say(`skipped: ${(error as Error).message.split('\n', 1)[0]}`);
    return 0;
  }
  let server: BenchServer | undefined;
  let runs: DurableRunsType | undefined;
  try {
    const database = pg.database('arazzo_bench');
    server = await startServer(ROOT);
    // A durable run first: the engine creates the database and its tables on first launch.
    await pollRun('durable', server, database, 1);
    const { DurableRuns } = await import('../src/durable/runs.js');
    runs = await DurableRuns.open(database);
    await pollLoop(config, server, database, runs);
    await workerThroughput(config, database, runs);
    return 0;
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error;
    say(`✗ durable run failed, figures abandoned: ${error.message}`);
    return 1;
  } finally {
    await runs?.close();
    for (const child of live) child.kill('SIGKILL');
    await server?.stop();
    await pg.close();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of live) child.kill('SIGKILL');
    process.exit(130);
  });
}

process.exitCode = await main();
