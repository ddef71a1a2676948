/**
 * Start-up diagnosis: the import cost of each heavy dependency, loaded one after the other in
 * one process (each figure is the increment over the ones before it), then of our own entry
 * points. `node dist/bench/imports.js [specifier …]`; median of 5 fresh processes per list.
 *
 * `node dist/bench/imports.js --must-not-load`: checks that `arazzo --help` and a plain HTTP run
 * (bench/poll.arazzo.yaml at K = 1 against bench/server.ts) load none of MUST_NOT_LOAD, the
 * packages the CLI loads only when a run needs them (durable runs: DBOS Transact and its
 * Postgres driver, src/durable/dbos.ts; message brokers: src/messaging). It first checks that
 * the detector sees each of them when one is imported, so that the check can fail. One line per
 * process; exit 1 when one loaded a package it must not. `npm run bench` runs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './server-process.js';

const DEFAULT = [
  'commander',
  'undici',
  'yaml',
  '@apidevtools/swagger-parser',
  'ajv/dist/2020.js',
  'ajv-formats',
  'json-p3',
  'jsonpath-plus',
  '@xmldom/xmldom',
  'fontoxpath',
  '../src/cli/commands/run.js',
];

/** External to the bundle and CommonJS (so `require.cache` sees them: bench/loaded-hook.ts). */
const MUST_NOT_LOAD = [
  '@dbos-inc/dbos-sdk',
  'pg',
  'mqtt',
  'amqplib',
  'ws',
  '@nats-io/transport-node',
];

const specifiers = process.argv
  .slice(2)
  .filter((arg) => arg !== '--child' && arg !== '--must-not-load');

/** The MUST_NOT_LOAD packages `node <args>` loaded (run with bench/loaded-hook.ts preloaded). */
function loadedBy(
  args: readonly string[],
  cwd: string,
  dir: string,
): { code: number | null; loaded: string[] } {
  const file = join(dir, 'loaded.txt');
  rmSync(file, { force: true });
  const hook = pathToFileURL(fileURLToPath(new URL('./loaded-hook.js', import.meta.url))).href;
  const result = spawnSync(process.execPath, ['--import', hook, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', BENCH_LOADED_FILE: file },
    stdio: 'ignore',
    timeout: 60_000,
  });
  const files = readFileSync(file, 'utf8').split('\n');
  const loaded = MUST_NOT_LOAD.filter((name) =>
    files.some((path) => path.includes(`/node_modules/${name}/`)),
  );
  return { code: result.status, loaded };
}

async function mustNotLoad(): Promise<number> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const bin = join(root, 'dist/bundle/arazzo.js');
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-imports-'));
  const server = await startServer(root);
  let failed = 0;
  try {
    const control = loadedBy(
      [
        '--input-type=module',
        '-e',
        MUST_NOT_LOAD.map((name) => `await import('${name}');`).join(''),
      ],
      root,
      dir,
    );
    const unseen = MUST_NOT_LOAD.filter((name) => !control.loaded.includes(name));
    console.log(
      `detector: importing ${MUST_NOT_LOAD.join(', ')} is seen: ${unseen.length === 0 ? 'all ✓' : `not ${unseen.join(', ')} ✗`}`,
    );
    if (unseen.length > 0 || control.code !== 0) failed += 1;
    await server.reset(1);
    const checks: [string, string[]][] = [
      ['arazzo --help', [bin, '--help']],
      [
        'arazzo run (plain HTTP run, K=1)',
        [
          bin,
          'run',
          'bench/poll.arazzo.yaml',
          '--server',
          `jobs=${server.base}`,
          '--input',
          'token=t',
          '--input',
          'jobId=job-1',
          '--poll-interval',
          '0',
        ],
      ],
    ];
    for (const [label, args] of checks) {
      const { code, loaded } = loadedBy(args, root, dir);
      const ok = code === 0 && loaded.length === 0;
      if (!ok) failed += 1;
      console.log(
        `${label}: ${code === 0 ? '' : `exit ${code}, `}${loaded.length === 0 ? 'loads none of them ✓' : `loads ${loaded.join(', ')} ✗`}`,
      );
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv.includes('--must-not-load')) {
  process.exitCode = await mustNotLoad();
} else if (process.argv.includes('--child')) {
  const costs: number[] = [performance.now()];
  let last = costs[0] ?? 0;
  for (const specifier of specifiers) {
    await import(specifier);
    const now = performance.now();
    costs.push(now - last);
    last = now;
  }
  process.stdout.write(`${JSON.stringify(costs)}\n`);
} else {
  const list = specifiers.length > 0 ? specifiers : DEFAULT;
  const self = fileURLToPath(import.meta.url);
  const runs: number[][] = [];
  for (let i = 0; i < 6; i++) {
    const out = execFileSync(process.execPath, [self, '--child', ...list], { encoding: 'utf8' });
    if (i > 0) runs.push(JSON.parse(out) as number[]); // the first run warms the file cache
  }
  const median = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const labels = ['(node start → first import)', ...list];
  labels.forEach((label, index) => {
    const value = median(runs.map((run) => run[index] ?? Number.NaN));
    console.log(`${value.toFixed(1).padStart(8)} ms  ${label}`);
  });
}
