/**
 * Diagnosis of the per-request cost, in one process against the bench server:
 * `node dist/bench/transport.js [requests]` (`npm run bench -- --profile` runs it too).
 *
 * The same `GET /status/job-1` sent two ways, rounds interleaved, median wall and process CPU
 * per request: undici `request()` + `body.json()` (the baseline's way), and
 * `UndiciTransport.send` (src/http/undici-transport.ts: deadline, run signal, byte cap, decode,
 * parse). Then the whole engine in process (library API): `runWorkflow` on
 * bench/poll.arazzo.yaml, per poll iteration = (time(K=200+n) − time(K=200)) / n, without an
 * event listener and with the CLI's human reporter writing to /dev/null.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import {
  createScope,
  loadDocument,
  loadSources,
  Redactor,
  runWorkflow,
  UndiciTransport,
  type DocumentScope,
  type HttpRequest,
} from '../src/index.js';
import { HumanReporter } from '../src/report/human-reporter.js';
import { startServer } from './server-process.js';

const perRound = Number.parseInt(process.argv[2] ?? '2000', 10);
const rounds = 9;

export interface TransportFigure {
  readonly name: string;
  readonly microsPerRequest: number;
  /** This process's CPU time (all its threads: JIT, GC) per request. */
  readonly cpuMicrosPerRequest: number;
}

interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

function clock(): () => Sample {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: Number(process.hrtime.bigint() - wall) / 1000, cpu: used.user + used.system };
  };
}

function figures(names: readonly string[], samples: readonly Sample[][]): TransportFigure[] {
  const median = (values: number[]): number =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  return names.map((name, index) => ({
    name,
    microsPerRequest: median((samples[index] ?? []).map((sample) => sample.wall)),
    cpuMicrosPerRequest: median((samples[index] ?? []).map((sample) => sample.cpu)),
  }));
}

export async function measureTransport(cwd: string, count = perRound): Promise<TransportFigure[]> {
  const server = await startServer(cwd);
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const transport = new UndiciTransport();
  const runSignal = new AbortController().signal;
  const url = `${server.base}/status/job-1`;
  const headers = { Authorization: 'Bearer t' };
  const req: HttpRequest = { method: 'GET', url, headers };
  const sendOptions = { signal: runSignal, timeoutMs: 30_000, maxBodyBytes: 10 * 2 ** 20 };
  const variants: [string, () => Promise<unknown>][] = [
    [
      'undici request + body.json() (baseline)',
      async () => (await request(url, { method: 'GET', headers, dispatcher })).body.json(),
    ],
    ['UndiciTransport.send', () => transport.send(req, sendOptions)],
  ];
  const samples = variants.map(() => [] as Sample[]);
  try {
    await server.reset(Number.MAX_SAFE_INTEGER);
    for (const [, send] of variants) for (let i = 0; i < 500; i++) await send(); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const [index, [, send]] of variants.entries()) {
        const stop = clock();
        for (let i = 0; i < count; i++) await send();
        const { wall, cpu } = stop();
        samples[index]?.push({ wall: wall / count, cpu: cpu / count });
      }
    }
  } finally {
    await transport.close();
    await dispatcher.close();
    await server.stop();
  }
  return figures(
    variants.map(([name]) => name),
    samples,
  );
}

async function openScope(cwd: string): Promise<DocumentScope> {
  const loaded = await loadDocument(`${cwd}bench/poll.arazzo.yaml`);
  const { sources, errors } = await loadSources(loaded);
  if (errors[0] !== undefined) throw errors[0];
  return createScope(loaded, sources);
}

/** The engine's cost per poll iteration, in process, without and with the human reporter. */
export async function measureEngine(cwd: string, count = perRound): Promise<TransportFigure[]> {
  const server = await startServer(cwd);
  const scope = await openScope(cwd);
  const devNull = openSync('/dev/null', 'w');
  const timed = async (k: number, reporter: boolean): Promise<Sample> => {
    await server.reset(k);
    const stop = clock();
    const human = reporter
      ? new HumanReporter({
          write: (text) => writeSync(devNull, text),
          redactor: new Redactor(['t']),
          live: false,
          color: false,
        })
      : undefined;
    const result = await runWorkflow(scope, {
      inputs: { token: 't', jobId: 'job-1' },
      servers: { jobs: server.base },
      pollIntervalMs: 0,
      maxSteps: 2 * k + 10,
      ...(human === undefined ? {} : { onEvent: human.onEvent }),
    });
    if (!result.success) throw new Error(`runWorkflow failed at K=${k}: ${result.error?.message}`);
    human?.finish(result);
    return stop();
  };
  const variants: [string, boolean][] = [
    ['runWorkflow per poll iteration (no listener)', false],
    ['runWorkflow per poll iteration + human reporter', true],
  ];
  const samples = variants.map(() => [] as Sample[]);
  try {
    await timed(500, true);
    for (let round = 0; round < rounds; round++) {
      for (const [index, [, reporter]] of variants.entries()) {
        const small = await timed(200, reporter);
        const big = await timed(200 + count, reporter);
        samples[index]?.push({
          wall: (big.wall - small.wall) / count,
          cpu: (big.cpu - small.cpu) / count,
        });
      }
    }
  } finally {
    closeSync(devNull);
    await server.stop();
  }
  return figures(
    variants.map(([name]) => name),
    samples,
  );
}

export function formatTransport(list: readonly TransportFigure[]): string {
  const first = list[0];
  const wall0 = first?.microsPerRequest ?? Number.NaN;
  const cpu0 = first?.cpuMicrosPerRequest ?? Number.NaN;
  const cell = (value: number, base: number): string =>
    `${value.toFixed(1).padStart(7)} µs ${(value / base).toFixed(2).padStart(5)}×`;
  return [
    `${''.padEnd(56)} ${'wall'.padStart(16)}  ${'process CPU'.padStart(16)}`,
    ...list.map(
      (figure) =>
        `${figure.name.padEnd(56)} ${cell(figure.microsPerRequest, wall0)}  ` +
        cell(figure.cpuMicrosPerRequest, cpu0),
    ),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cwd = fileURLToPath(new URL('../../', import.meta.url));
  console.log(`in process, ${rounds} interleaved rounds of ${perRound} GETs, median per request`);
  const transport = await measureTransport(cwd);
  const engine = await measureEngine(cwd);
  console.log(formatTransport([...transport, ...engine]));
}
