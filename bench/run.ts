/**
 * `npm run bench` (= `node dist/bench/run.js`): the runner's own cost next to a hand-written
 * undici loop, measured side by side in one run (see bench/README.md for the method).
 *
 *   node dist/bench/run.js [--quick] [--profile] [--no-micro]
 *
 * - `--quick`: small K and few repetitions; checks that everything runs (the CI smoke).
 * - `--profile`: also CPU-profile a runner and a baseline process at K = 10,000 and a 3-step
 *   run, summarised (bench/profile.ts), and run the in-process diagnosis (bench/transport.ts).
 * - `--no-micro`: skip the expression and validation micro benchmarks.
 * - `--no-durable`: skip the durable-run section (bench/durable.ts; it needs Postgres and says
 *   `skipped: <reason>` without it).
 *
 * Every figure is printed next to its target with ✓ or ✗. The exit code is 0 when every run
 * completed correctly (right number of requests, same requests as the baseline), whatever the
 * figures; 1 when a run failed, which makes the figures meaningless.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeLargeDocument } from './large-document.js';
import { formatSummary, summariseProfile } from './profile.js';
import type { RequestShape, ServerStats } from './server.js';
import { startServer, type BenchServer as Server } from './server-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const BIN = join(DIST, 'bundle/arazzo.js');
const BASELINE = join(DIST, 'bench/baseline.js');
const SERVER = join(DIST, 'bench/server.js');
const HOOK = pathToFileURL(join(DIST, 'bench/maxrss-hook.js')).href;
const WORKFLOW = 'bench/poll.arazzo.yaml';
const VALIDATE_TARGET = 'workflows/resume.yml';
const MICRO = ['bench/expressions.bench.js', 'bench/validate.bench.js'];

interface Config {
  readonly mode: 'quick' | 'full';
  /** Per-iteration cost: (wall(kBig) − wall(kSmall)) / (kBig − kSmall). */
  readonly kSmall: number;
  readonly kBig: number;
  readonly loopReps: number;
  /** Start-up figures: medians of this many runs after one warm-up. */
  readonly startReps: number;
  /** Peak memory at kSmall (from the loop runs) and at this K. */
  readonly memK: number;
  readonly profileK: number;
  /** Step counts of the generated documents `validate` is timed on (bench/large-document.ts). */
  readonly validateSteps: readonly number[];
}

const FULL: Config = {
  mode: 'full',
  kSmall: 1_000,
  kBig: 20_000,
  loopReps: 5,
  startReps: 15,
  memK: 100_000,
  profileK: 10_000,
  validateSteps: [1_000, 10_000, 100_000],
};
const QUICK: Config = {
  mode: 'quick',
  kSmall: 20,
  kBig: 300,
  loopReps: 1,
  startReps: 2,
  memK: 2_500,
  profileK: 500,
  validateSteps: [1_000],
};

const argv = process.argv.slice(2);
const known = new Set(['--quick', '--profile', '--no-micro', '--no-durable']);
const unknown = argv.filter((arg) => !known.has(arg));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown option ${unknown.join(' ')}\n`);
  process.stderr.write(
    'usage: node dist/bench/run.js [--quick] [--profile] [--no-micro] [--no-durable]\n',
  );
  process.exit(2);
}
const config = argv.includes('--quick') ? QUICK : FULL;
const withProfile = argv.includes('--profile');
const withMicro = !argv.includes('--no-micro');
const withDurable = !argv.includes('--no-durable');

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked, bounded by a timeout, and killed with its group.

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of live) killGroup(child, 'SIGKILL');
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  });
}

interface Measured {
  readonly wallMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak RSS in KiB, user and system CPU in ms: from GNU time or the preload hook. */
  readonly maxRssKiB?: number;
  readonly cpuMs?: number;
}

let scratch = '';
let gnuTime: boolean | undefined;

/** GNU time with `-f` and `-o` (not BusyBox's), unless `BENCH_RSS=hook` asks for the hook. */
async function hasGnuTime(): Promise<boolean> {
  if (gnuTime !== undefined) return gnuTime;
  gnuTime = false;
  if (process.env['BENCH_RSS'] !== 'hook' && existsSync('/usr/bin/time')) {
    const out = join(scratch, 'probe.time');
    const probe = await execute('/usr/bin/time', ['-f', '%M %U %S', '-o', out, 'true'], {
      timeoutMs: 5_000,
    });
    gnuTime = probe.code === 0 && /^\d+ [\d.]+ [\d.]+$/m.test(readFileSync(out, 'utf8'));
  }
  return gnuTime;
}

interface ExecuteOptions {
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep stdout (default: discarded to /dev/null, so a slow reader never paces the child). */
  readonly keepStdout?: boolean;
}

/** Runs a command to its end; wall time from spawn to exit. */
function execute(command: string, args: readonly string[], options: ExecuteOptions) {
  return new Promise<{ wallMs: number; code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const started = process.hrtime.bigint();
      let wallMs = 0;
      const child = spawn(command, args, {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
        detached: true,
      });
      live.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        if (stderr.length < 64_000) stderr += chunk;
      });
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs);
      child.on('exit', () => (wallMs = Number(process.hrtime.bigint() - started) / 1e6));
      child.on('error', (error) => {
        clearTimeout(timer);
        live.delete(child);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        live.delete(child);
        if (signal !== null) stderr += `\n(killed by ${signal} after ${options.timeoutMs} ms?)`;
        resolve({ wallMs, code, stdout, stderr });
      });
    },
  );
}

let measureCount = 0;

/** Runs `node <args>`; with `resources`, also its peak RSS and CPU time (measured outside it). */
async function measureNode(
  args: readonly string[],
  options: ExecuteOptions & { readonly resources?: boolean },
): Promise<Measured> {
  if (!options.resources) return execute(process.execPath, args, options);
  const file = join(scratch, `m${(measureCount += 1)}.usage`);
  const result = (await hasGnuTime())
    ? await execute(
        '/usr/bin/time',
        ['-f', '%M %U %S', '-o', file, process.execPath, ...args],
        options,
      )
    : await execute(process.execPath, ['--import', HOOK, ...args], {
        ...options,
        env: { ...options.env, BENCH_MAXRSS_FILE: file },
      });
  const line = existsSync(file) ? (readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '') : '';
  rmSync(file, { force: true });
  const [rss, user, system] = line.split(' ').map(Number);
  return {
    ...result,
    ...(rss === undefined || Number.isNaN(rss) ? {} : { maxRssKiB: rss }),
    ...(user === undefined || system === undefined || Number.isNaN(user + system)
      ? {}
      : { cpuMs: (user + system) * 1000 }),
  };
}

// ---------------------------------------------------------------------------------------------
// The two clients.

type Side = 'runner' | 'baseline';

function maxSteps(k: number): number {
  return Math.max(1_000, 2 * k + 10);
}

function clientArgs(side: Side, server: Server, k: number, json = false): string[] {
  if (side === 'baseline') return [BASELINE, server.base, String(k + 10)];
  return [
    BIN,
    'run',
    WORKFLOW,
    '--server',
    `jobs=${server.base}`,
    '--input',
    'token=t',
    '--input',
    'jobId=job-1',
    '--poll-interval',
    '0',
    '--max-steps',
    String(maxSteps(k)),
    ...(json ? ['--json'] : []),
  ];
}

interface PollRun extends Measured {
  readonly k: number;
  readonly stats: ServerStats;
}

class RunFailure extends Error {}

/** One client run against a freshly reset server, checked: exit 0, K + 1 status calls, 1 resume. */
async function pollRun(
  side: Side,
  server: Server,
  k: number,
  extra: { readonly nodeFlags?: readonly string[]; readonly json?: boolean } = {},
): Promise<PollRun> {
  await server.reset(k);
  const measured = await measureNode(
    [...(extra.nodeFlags ?? []), ...clientArgs(side, server, k, extra.json)],
    { timeoutMs: 120_000 + k * 20, resources: true, keepStdout: extra.json === true },
  );
  const stats = await server.stats();
  const problems = [
    measured.code === 0 ? '' : `exit code ${measured.code}`,
    stats.statusCalls === k + 1 ? '' : `${stats.statusCalls} status calls (expected ${k + 1})`,
    stats.resumeCalls === 1 ? '' : `${stats.resumeCalls} resume calls (expected 1)`,
    stats.unauthorized === 0 ? '' : `${stats.unauthorized} unauthorized requests`,
    stats.notFound === 0 ? '' : `${stats.notFound} requests to unknown paths`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new RunFailure(
      `${side} at K=${k}: ${problems.join(', ')}\n${measured.stderr.trim().slice(-2000)}`,
    );
  }
  return { ...measured, k, stats };
}

function sameShape(a: RequestShape | null, b: RequestShape | null): string[] {
  const text = (shape: RequestShape | null): string =>
    shape === null
      ? '(none)'
      : `${shape.method} ${shape.url} | ${shape.headers.join(' | ')} | ${shape.body}`;
  return text(a) === text(b) ? [] : [`runner:   ${text(a)}`, `baseline: ${text(b)}`];
}

// ---------------------------------------------------------------------------------------------
// Figures.

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function spread(values: readonly number[], digits = 0): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `[${(sorted[0] ?? Number.NaN).toFixed(digits)}–${(sorted.at(-1) ?? Number.NaN).toFixed(digits)}]`;
}

const MiB = (kib: number | undefined): number => (kib ?? Number.NaN) / 1024;

const lines: string[] = [];
let met = 0;
let missed = 0;

function say(text = ''): void {
  lines.push(text);
  console.log(text);
}

function heading(text: string): void {
  say();
  say(`## ${text}`);
}

/** One row: label, runner figure, reference figure, ratio or difference, target, ✓/✗. */
function row(
  label: string,
  ours: string,
  reference: string,
  relation: string,
  target: string,
  ok?: boolean,
): void {
  const mark = ok === undefined ? ' ' : ok ? '✓' : '✗';
  if (ok === true) met += 1;
  if (ok === false) missed += 1;
  say(
    `${label.padEnd(42)} ${ours.padStart(12)} ${reference.padStart(12)} ${relation.padStart(10)}  ${target.padEnd(26)} ${mark}`,
  );
}

function columns(): void {
  row('', 'runner', 'reference', 'relation', 'target');
}

const ms = (value: number, digits = 1): string => `${value.toFixed(digits)} ms`;
const times = (value: number): string => `${value.toFixed(2)}×`;

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  for (const file of [BIN, BASELINE, SERVER]) {
    if (!existsSync(file)) {
      process.stderr.write(`bench: ${file} is missing: run \`npx tsc -p tsconfig.json\` first\n`);
      return 1;
    }
  }
  scratch = mkdtempSync(join(tmpdir(), 'arazzo-bench-'));
  const load = loadavg().map((value) => value.toFixed(2));
  say(`# Arazzo runner benchmark (${config.mode}${config.mode === 'quick' ? ': smoke only' : ''})`);
  say(
    `${new Date().toISOString()} · node ${process.version} · ${availableParallelism()} × ${cpus()[0]?.model ?? '?'} · ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB · load ${load.join(' ')}`,
  );
  say(
    `peak RSS and CPU from ${(await hasGnuTime()) ? 'GNU time (/usr/bin/time -f %M %U %S)' : 'process.resourceUsage() (maxrss-hook)'}`,
  );
  const server = await startServer(ROOT);
  live.add(server.child);
  try {
    return await measureAll(server);
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error;
    say(`✗ run failed, figures abandoned: ${error.message}`);
    return 1;
  } finally {
    await server.stop();
    live.delete(server.child);
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function measureAll(server: Server): Promise<number> {
  const { kSmall, kBig, loopReps, startReps, memK } = config;
  say(`server ${server.base} (own process) · workflow ${WORKFLOW} · --poll-interval 0`);

  // --- Correctness: the runner's result, and the same requests on the wire as the baseline.
  heading('Same requests');
  const checkK = 3;
  const runnerCheck = await pollRun('runner', server, checkK, { json: true });
  const baselineCheck = await pollRun('baseline', server, checkK);
  const result = JSON.parse(runnerCheck.stdout) as {
    success?: boolean;
    outputs?: { result?: unknown };
    steps?: { stepId: string; executions: number }[];
  };
  const polls = result.steps?.find((step) => step.stepId === 'poll')?.executions;
  const resultOk = result.success === true && result.outputs?.result === 'done' && polls === checkK;
  row(
    `runner --json at K=${checkK}: outputs, poll record`,
    resultOk ? 'done' : 'wrong',
    '',
    `${polls ?? '?'} polls`,
    `success, result=done, ${checkK} polls`,
    resultOk,
  );
  if (!resultOk) throw new RunFailure(`runner --json result: ${runnerCheck.stdout.slice(0, 2000)}`);
  const diff = [
    ...sameShape(runnerCheck.stats.firstStatus, baselineCheck.stats.firstStatus),
    ...sameShape(runnerCheck.stats.lastStatus, baselineCheck.stats.lastStatus),
    ...sameShape(runnerCheck.stats.resume, baselineCheck.stats.resume),
  ];
  const sockets = `${runnerCheck.stats.connections} / ${baselineCheck.stats.connections}`;
  row(
    'TCP connections opened (runner / baseline)',
    String(runnerCheck.stats.connections),
    String(baselineCheck.stats.connections),
    '',
    'equal (keep-alive)',
    runnerCheck.stats.connections === baselineCheck.stats.connections,
  );
  if (runnerCheck.stats.connections !== baselineCheck.stats.connections) say(`    ${sockets}`);
  row(
    'method, path, headers, body vs baseline',
    diff.length === 0 ? 'identical' : 'differ',
    '',
    '',
    'identical',
    diff.length === 0,
  );
  for (const line of diff) say(`    ${line}`);
  const shown = runnerCheck.stats.resume;
  if (shown) say(`    resume request: ${shown.headers.join(' | ')} | ${shown.body}`);

  // --- Poll loop: whole processes at two K, interleaved; the difference is the loop's cost.
  heading(
    `Poll loop: cost per iteration = (wall(K=${kBig}) − wall(K=${kSmall})) / ${kBig - kSmall}, ` +
      `whole processes, median of ${loopReps} after a warm-up`,
  );
  const loop: Record<Side, { small: PollRun[]; big: PollRun[] }> = {
    runner: { small: [], big: [] },
    baseline: { small: [], big: [] },
  };
  await pollRun('runner', server, kSmall);
  await pollRun('baseline', server, kSmall);
  for (let rep = 0; rep < loopReps; rep++) {
    // Alternate the order so drift in the machine's load falls on both sides alike.
    const order: Side[] = rep % 2 === 0 ? ['runner', 'baseline'] : ['baseline', 'runner'];
    for (const side of order) loop[side].small.push(await pollRun(side, server, kSmall));
    for (const side of order) loop[side].big.push(await pollRun(side, server, kBig));
  }
  const delta = kBig - kSmall;
  const perIteration = (side: Side, pick: (run: PollRun) => number | undefined): number =>
    ((median(loop[side].big.map((run) => pick(run) ?? Number.NaN)) -
      median(loop[side].small.map((run) => pick(run) ?? Number.NaN))) *
      1000) /
    delta;
  const wallUs = {
    runner: perIteration('runner', (run) => run.wallMs),
    baseline: perIteration('baseline', (run) => run.wallMs),
  };
  const cpuUs = {
    runner: perIteration('runner', (run) => run.cpuMs),
    baseline: perIteration('baseline', (run) => run.cpuMs),
  };
  const serverUs = {
    runner: perIteration('runner', (run) => run.stats.cpuMicros / 1000),
    baseline: perIteration('baseline', (run) => run.stats.cpuMicros / 1000),
  };
  columns();
  row(
    'wall per poll iteration',
    `${wallUs.runner.toFixed(1)} µs`,
    `${wallUs.baseline.toFixed(1)} µs`,
    times(wallUs.runner / wallUs.baseline),
    '≤ 1.2× baseline',
    wallUs.runner / wallUs.baseline <= 1.2,
  );
  row(
    'client CPU per iteration (user+sys)',
    `${cpuUs.runner.toFixed(1)} µs`,
    `${cpuUs.baseline.toFixed(1)} µs`,
    times(cpuUs.runner / cpuUs.baseline),
    '(information)',
  );
  row(
    'server CPU per iteration (same server)',
    `${serverUs.runner.toFixed(1)} µs`,
    `${serverUs.baseline.toFixed(1)} µs`,
    '',
    '(information)',
  );
  for (const side of ['runner', 'baseline'] as const) {
    const { small, big } = loop[side];
    say(
      `    ${side}: wall K=${kSmall} ${ms(median(small.map((r) => r.wallMs)), 0)} ${spread(small.map((r) => r.wallMs))}, ` +
        `K=${kBig} ${ms(median(big.map((r) => r.wallMs)), 0)} ${spread(big.map((r) => r.wallMs))}`,
    );
  }

  // --- Start-up: short whole processes, interleaved, median after a warm-up.
  heading(`Start-up: process start to exit, median [min–max] of ${startReps} after a warm-up`);
  const short = {
    run: [] as number[],
    baseline: [] as number[],
    help: [] as number[],
    bare: [] as number[],
    validate: [] as number[],
  };
  let validateCode: number | null = null;
  for (let rep = -1; rep < startReps; rep++) {
    const run = await pollRun('runner', server, 1);
    const baseline = await pollRun('baseline', server, 1);
    const help = await measureNode([BIN, '--help'], { timeoutMs: 30_000 });
    const bare = await measureNode(['-e', '0'], { timeoutMs: 30_000 });
    const validate = await measureNode([BIN, 'validate', VALIDATE_TARGET], { timeoutMs: 60_000 });
    if (help.code !== 0) throw new RunFailure(`arazzo --help: exit ${help.code}\n${help.stderr}`);
    validateCode = validate.code;
    if (rep < 0) continue;
    short.run.push(run.wallMs);
    short.baseline.push(baseline.wallMs);
    short.help.push(help.wallMs);
    short.bare.push(bare.wallMs);
    short.validate.push(validate.wallMs);
  }
  columns();
  const runRatio = median(short.run) / median(short.baseline);
  row(
    '3-step run (K=1) vs baseline script',
    ms(median(short.run), 0),
    ms(median(short.baseline), 0),
    times(runRatio),
    '≤ 1.3× baseline',
    runRatio <= 1.3,
  );
  const helpRatio = median(short.help) / median(short.bare);
  row(
    'arazzo --help vs node -e 0',
    ms(median(short.help), 0),
    ms(median(short.bare), 0),
    times(helpRatio),
    '≤ 2× node -e 0',
    helpRatio <= 2,
  );
  row(
    `arazzo validate ${VALIDATE_TARGET}`,
    ms(median(short.validate), 0),
    ms(median(short.bare), 0),
    times(median(short.validate) / median(short.bare)),
    `(information; exit ${validateCode})`,
  );
  say(
    `    spreads: run ${spread(short.run)}, baseline ${spread(short.baseline)}, --help ${spread(short.help)}, ` +
      `node -e 0 ${spread(short.bare)}, validate ${spread(short.validate)}`,
  );

  // --- What start-up leaves out: the durable engine and the brokers' clients (bench/imports.ts).
  const lazy = await measureNode([join(DIST, 'bench/imports.js'), '--must-not-load'], {
    timeoutMs: 120_000,
    keepStdout: true,
  });
  row(
    '--help, plain run: no DBOS/pg/broker clients',
    lazy.code === 0 ? 'none loaded' : 'loaded',
    '',
    '',
    'imports.js --must-not-load',
    lazy.code === 0,
  );
  for (const line of lazy.stdout.trimEnd().split('\n')) say(`    ${line}`);
  if (lazy.code !== 0 && lazy.stderr.trim() !== '') say(`    ${lazy.stderr.trim().slice(-500)}`);

  // --- Peak memory: K = kSmall (the loop runs) and K = memK.
  heading(`Peak memory (RSS) at K=${kSmall} and K=${memK}`);
  const big = {
    runner: await pollRun('runner', server, memK),
    baseline: await pollRun('baseline', server, memK),
  };
  const rss = {
    runner: median(loop.runner.small.map((run) => MiB(run.maxRssKiB))),
    baseline: median(loop.baseline.small.map((run) => MiB(run.maxRssKiB))),
  };
  const rssBig = { runner: MiB(big.runner.maxRssKiB), baseline: MiB(big.baseline.maxRssKiB) };
  columns();
  row(
    `peak RSS at K=${kSmall}`,
    `${rss.runner.toFixed(1)} MiB`,
    `${rss.baseline.toFixed(1)} MiB`,
    `+${(rss.runner - rss.baseline).toFixed(1)} MiB`,
    '≤ baseline + 40 MiB',
    rss.runner - rss.baseline <= 40,
  );
  row(
    `peak RSS at K=${memK}`,
    `${rssBig.runner.toFixed(1)} MiB`,
    `${rssBig.baseline.toFixed(1)} MiB`,
    times(rssBig.runner / rss.runner),
    `≤ 1.25× own K=${kSmall}`,
    rssBig.runner / rss.runner <= 1.25,
  );
  row(
    `K=${memK} completes (${memK + 2} steps, no recursion)`,
    `${big.runner.stats.statusCalls} GETs`,
    `${big.baseline.stats.statusCalls} GETs`,
    'exit 0',
    `${memK + 1} status requests`,
    true,
  );
  const crossCheck = (side: Side): number =>
    ((big[side].wallMs - median(loop[side].small.map((run) => run.wallMs))) * 1000) /
    (memK - kSmall);
  row(
    `cross-check: wall/iteration K=${kSmall}→${memK}`,
    `${crossCheck('runner').toFixed(1)} µs`,
    `${crossCheck('baseline').toFixed(1)} µs`,
    times(crossCheck('runner') / crossCheck('baseline')),
    '(one run each)',
  );
  say(
    `    wall at K=${memK}: runner ${ms(big.runner.wallMs / 1000, 2).replace(' ms', ' s')}, ` +
      `baseline ${ms(big.baseline.wallMs / 1000, 2).replace(' ms', ' s')}`,
  );

  await validateScaling();

  const durableOk = await durable();

  if (withProfile) await profile(server);

  // --- Micro benchmarks of the other issues, same command.
  heading('Micro benchmarks (expression evaluation, validation throughput)');
  if (!withMicro || config.mode === 'quick') {
    say(`    skipped (${config.mode === 'quick' ? '--quick' : '--no-micro'})`);
  } else {
    for (const micro of MICRO) {
      const file = join(DIST, micro);
      if (!existsSync(file)) {
        say(`    ${micro}: not built`);
        continue;
      }
      say(`### node dist/${micro}`);
      const out = await measureNode([file], { timeoutMs: 600_000, keepStdout: true });
      for (const line of out.stdout.trimEnd().split('\n')) say(`    ${line}`);
      if (out.code !== 0) say(`    ✗ exit ${out.code}: ${out.stderr.trim().slice(-500)}`);
    }
  }

  heading('Summary');
  say(`targets met: ${met} of ${met + missed}${missed > 0 ? ` (${missed} missed: ✗ above)` : ''}`);
  say(
    `load average at the end: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  return durableOk ? 0 : 1;
}

/**
 * `run` against `run --durable` and the workers' throughput (bench/durable.ts), in its own
 * process: it starts its own Postgres and servers. False when one of its runs failed.
 */
async function durable(): Promise<boolean> {
  heading('Durable runs (node dist/bench/durable.js: Postgres through DBOS Transact)');
  if (!withDurable) {
    say('    skipped (--no-durable)');
    return true;
  }
  const out = await measureNode(
    [join(DIST, 'bench/durable.js'), ...(config.mode === 'quick' ? ['--quick'] : [])],
    { timeoutMs: 1_800_000, keepStdout: true },
  );
  for (const line of out.stdout.trimEnd().split('\n')) say(`    ${line}`);
  if (out.code !== 0) say(`    ✗ exit ${out.code}: ${out.stderr.trim().slice(-1000)}`);
  return out.code === 0;
}

/**
 * `validate` on generated documents of 1k, 10k and 100k steps (issue 21, F7): one run each, whole
 * process, wall time and peak RSS. Time per step and RSS per step should stay about flat from one
 * size to the next (near-linear); the n² flow analysis this guards against took a 20,000-step
 * document past 4 GB.
 */
async function validateScaling(): Promise<void> {
  const sizes = config.validateSteps;
  heading(`Validate scaling: generated documents of ${sizes.join(', ')} steps, one run each`);
  row('', 'wall', 'peak RSS', 'per step', 'target');
  const measured: { steps: number; wallMs: number; rssMiB: number }[] = [];
  for (const steps of sizes) {
    const { path, bytes } = writeLargeDocument(scratch, steps);
    const run = await measureNode([BIN, 'validate', path], {
      timeoutMs: 600_000,
      resources: true,
    });
    rmSync(path, { force: true });
    if (run.code !== 0)
      throw new RunFailure(`validate of ${steps} steps: exit ${run.code}\n${run.stderr.trim()}`);
    const rssMiB = MiB(run.maxRssKiB);
    measured.push({ steps, wallMs: run.wallMs, rssMiB });
    const first = measured[0];
    row(
      `validate ${steps} steps (${(bytes / 2 ** 20).toFixed(2)} MiB)`,
      ms(run.wallMs, 0),
      `${rssMiB.toFixed(1)} MiB`,
      first === undefined || first.steps === steps
        ? ''
        : `${times(run.wallMs / first.wallMs / (steps / first.steps))}`,
      `(information; exit ${run.code})`,
    );
  }
  say('    per step: wall time per step relative to the smallest document (≈ 1× or less: linear)');
}

/** `--profile`: where the time goes, for the diagnosis in bench/README.md. */
async function profile(server: Server): Promise<void> {
  const runs: [string, Side, number][] = [
    ['runner', 'runner', config.profileK],
    ['baseline', 'baseline', config.profileK],
    ['runner, 3-step run', 'runner', 1],
  ];
  for (const [label, side, k] of runs) {
    heading(`CPU profile: ${label} at K=${k} (node --cpu-prof)`);
    const dir = join(scratch, `profile-${side}-${k}`);
    await pollRun(side, server, k, {
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval', '250'],
    });
    const file = readdirSync(dir)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => join(dir, name))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (file === undefined) {
      say('    no profile written');
      continue;
    }
    for (const line of formatSummary(summariseProfile(file, 20)).split('\n')) say(`    ${line}`);
  }
  heading('Per-request cost in process (node dist/bench/transport.js)');
  const count = config.mode === 'quick' ? '200' : '2000';
  const out = await measureNode([join(DIST, 'bench/transport.js'), count], {
    timeoutMs: 600_000,
    keepStdout: true,
  });
  for (const line of out.stdout.trimEnd().split('\n')) say(`    ${line}`);
  if (out.code !== 0) say(`    ✗ exit ${out.code}: ${out.stderr.trim().slice(-500)}`);
}

process.exitCode = await main();
