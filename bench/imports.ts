/**
 * Start-up diagnosis: the import cost of each heavy dependency, loaded one after the other in
 * one process (each figure is the increment over the ones before it), then of our own entry
 * points. `node dist/bench/imports.js [specifier …]`; median of 5 fresh processes per list.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

const specifiers = process.argv.slice(2).filter((arg) => arg !== '--child');

if (process.argv.includes('--child')) {
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
