/**
 * Generated documents for the validate-scaling figures of `npm run bench` (issue 21, F7): one
 * workflow of N steps against a one-operation OpenAPI written next to it. Every step declares an
 * output; every 10th step loops back 5 steps with a `goto` (and every 50th retries itself), so
 * the step graph has cycles; the last step reads `$steps.s0.outputs.o` and `$steps.s1.outputs.o`
 * (the references that made the old flow analysis build a reachability set per step). Compact
 * JSON with one-letter descriptions, so the document stays under the 16 MiB cap at 100,000
 * steps and validates without a finding.
 *
 *   node dist/bench/large-document.js <steps> <dir>   # writes <dir>/large-<steps>.arazzo.json
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'One operation', version: '1.0.0' },
  paths: {
    '/items': {
      get: {
        operationId: 'list',
        parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

function step(index: number, count: number): Record<string, unknown> {
  const last = index === count - 1;
  const onSuccess: Record<string, unknown>[] = [];
  if (index % 10 === 9 && index >= 5)
    onSuccess.push({
      name: 'again',
      type: 'goto',
      stepId: `s${index - 5}`,
      criteria: [{ condition: '$statusCode == 202' }],
    });
  const onFailure =
    index % 50 === 49 ? [{ name: 'retry', type: 'retry', retryAfter: 1, retryLimit: 2 }] : [];
  return {
    stepId: `s${index}`,
    description: 'd',
    operationId: 'list',
    ...(last
      ? {
          parameters: [
            { name: 'q', in: 'query', value: '{$steps.s0.outputs.o}-{$steps.s1.outputs.o}' },
          ],
        }
      : {}),
    successCriteria: [{ condition: '$statusCode == 200' }],
    ...(onSuccess.length > 0 ? { onSuccess } : {}),
    ...(onFailure.length > 0 ? { onFailure } : {}),
    outputs: { o: '$statusCode' },
  };
}

export function largeDocument(count: number): Record<string, unknown> {
  return {
    arazzo: '1.0.1',
    info: { title: `${count} steps`, version: '1.0.0', description: 'Validate scaling.' },
    sourceDescriptions: [{ name: 'api', url: './one-operation.openapi.json', type: 'openapi' }],
    workflows: [
      {
        workflowId: 'long',
        description: `${count} steps, gotos every 10th step, the last one reads s0.`,
        steps: Array.from({ length: count }, (_, index) => step(index, count)),
        outputs: { first: '$steps.s0.outputs.o' },
      },
    ],
  };
}

/** Writes the document and its OpenAPI into `dir`; returns the document's path and size. */
export function writeLargeDocument(dir: string, count: number): { path: string; bytes: number } {
  writeFileSync(join(dir, 'one-operation.openapi.json'), JSON.stringify(OPENAPI));
  const path = join(dir, `large-${count}.arazzo.json`);
  const text = JSON.stringify(largeDocument(count));
  writeFileSync(path, text);
  return { path, bytes: Buffer.byteLength(text) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [count, dir] = process.argv.slice(2);
  if (count === undefined || dir === undefined || !/^\d+$/.test(count)) {
    process.stderr.write('usage: node dist/bench/large-document.js <steps> <dir>\n');
    process.exit(2);
  }
  const { path, bytes } = writeLargeDocument(dir, Number(count));
  console.log(`${path} (${bytes} bytes)`);
}
