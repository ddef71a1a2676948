import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRetryAfter, wait } from '../../src/runtime/waits.js';

const now = Date.parse('2026-11-23T12:00:00Z');
const rows: { header: string | undefined; ms: number | undefined }[] = [
  { header: '3', ms: 3000 },
  { header: ' 0 ', ms: 0 },
  { header: 'Mon, 23 Nov 2026 12:00:05 GMT', ms: 5000 },
  { header: 'Mon, 23 Nov 2026 11:00:00 GMT', ms: 0 },
  { header: 'soon', ms: undefined },
  { header: '-1', ms: undefined },
  { header: undefined, ms: undefined },
];
for (const row of rows) {
  test(`Retry-After ${JSON.stringify(row.header)}`, () =>
    assert.equal(parseRetryAfter(row.header, now), row.ms));
}

test('wait rejects as soon as its signal aborts', async () => {
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(), 10);
  await assert.rejects(wait(10_000, controller.signal));
  assert.ok(Date.now() - started < 1000);
});

test('a wait past 2^31-1 ms stays pending (Node would fire it after 1 ms) until aborted', async () => {
  const controller = new AbortController();
  let settled = 'pending';
  const waiting = wait(3_000_000_000, controller.signal).then(
    () => (settled = 'resolved'),
    () => (settled = 'rejected'),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(settled, 'pending');
  controller.abort();
  await waiting;
  assert.equal(settled, 'rejected');
});
