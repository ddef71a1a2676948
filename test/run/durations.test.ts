/**
 * Durations in RunOptions (issue 21, F8): Node's timers hold at most 2^31-1 ms and fire a longer
 * delay after 1 ms, so a library caller's long `timeoutMs` ended the run at once. Every duration
 * from 0 to a year is honoured; anything else is refused before a request is sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDocument, runWorkflow, type RunOptions } from '../../src/index.js';
import { ROOT } from '../_helpers/cli.js';
import { startScriptServer } from '../_helpers/script-server.js';

const DOCUMENT = join(ROOT, 'test/fixtures/run/run-timeout/arazzo.yaml');

test('timeoutMs and requestTimeoutMs past 2^31-1 ms let a slow request finish', async () => {
  const server = await startScriptServer({ 'GET /slow': { delayMs: 300, body: {} } });
  try {
    const scope = await openDocument(DOCUMENT);
    const result = await runWorkflow(scope, {
      servers: { api: server.url },
      timeoutMs: 3_000_000_000,
      requestTimeoutMs: 3_000_000_000,
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

const refused: [keyof RunOptions, unknown][] = [
  ['timeoutMs', -1],
  ['timeoutMs', Number.NaN],
  ['requestTimeoutMs', Number.POSITIVE_INFINITY],
  ['pollIntervalMs', 366 * 24 * 3_600_000],
  ['maxWaitMs', '5s'],
];
for (const [name, value] of refused) {
  test(`${name}: ${String(value)} is refused with USAGE before any request`, async () => {
    const server = await startScriptServer({ 'GET /slow': { body: {} } });
    try {
      const scope = await openDocument(DOCUMENT);
      await assert.rejects(
        runWorkflow(scope, { servers: { api: server.url }, [name]: value }),
        (error: unknown) =>
          error instanceof Error &&
          (error as { code?: string }).code === 'USAGE' &&
          error.message.startsWith(`${name}: `) &&
          error.message.includes('one year'),
      );
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });
}
