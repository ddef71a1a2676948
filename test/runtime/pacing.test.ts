import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pollDelay, retryDelay, serverDelay } from '../../src/runtime/pacing.js';

// The runner's delay arithmetic (src/runtime/pacing.ts) as tables; no clock, no waiting.

const now = Date.parse('2026-11-23T12:00:00Z');
const limits = { pollIntervalMs: 1000, maxWaitMs: 60_000 };

const polls: {
  name: string;
  retryAfter?: string;
  limits?: { pollIntervalMs: number; maxWaitMs: number };
  ms: number | undefined;
}[] = [
  { name: 'the poll interval when the server asks nothing', ms: 1000 },
  { name: 'a shorter Retry-After does not shorten it', retryAfter: '0', ms: 1000 },
  { name: 'a longer Retry-After (seconds) lengthens it', retryAfter: '5', ms: 5000 },
  {
    name: 'a Retry-After HTTP-date counts from now',
    retryAfter: 'Mon, 23 Nov 2026 12:00:07 GMT',
    ms: 7000,
  },
  { name: 'an unreadable Retry-After is ignored', retryAfter: 'soon', ms: 1000 },
  { name: 'a huge Retry-After is capped by maxWaitMs', retryAfter: '99999999', ms: 60_000 },
  {
    name: 'the cap never goes below the interval the user chose',
    retryAfter: '120',
    limits: { pollIntervalMs: 90_000, maxWaitMs: 60_000 },
    ms: 90_000,
  },
  {
    name: 'interval 0: polls are not paced, whatever the server says',
    retryAfter: '5',
    limits: { pollIntervalMs: 0, maxWaitMs: 60_000 },
    ms: undefined,
  },
];
for (const row of polls) {
  test(`pollDelay: ${row.name}`, () =>
    assert.equal(pollDelay(row.retryAfter, now, row.limits ?? limits), row.ms));
}

const retries: { name: string; retryAfter?: number; server?: number; ms: number }[] = [
  { name: 'no retryAfter and no Retry-After: at once', ms: 0 },
  { name: 'retryAfter is in seconds', retryAfter: 1.5, ms: 1500 },
  {
    name: 'a Retry-After from the response overrules retryAfter',
    retryAfter: 10,
    server: 2000,
    ms: 2000,
  },
  { name: 'a Retry-After of 0 overrules it too', retryAfter: 10, server: 0, ms: 0 },
  { name: 'retryAfter is capped by maxWaitMs', retryAfter: 3600, ms: 60_000 },
];
for (const row of retries) {
  test(`retryDelay: ${row.name}`, () =>
    assert.equal(
      retryDelay(
        row.retryAfter === undefined ? {} : { retryAfter: row.retryAfter },
        row.server,
        limits,
      ),
      row.ms,
    ));
}

const servers: { header: string | undefined; ms: number | undefined }[] = [
  { header: undefined, ms: undefined },
  { header: '3', ms: 3000 },
  { header: 'Mon, 23 Nov 2026 12:00:05 GMT', ms: 5000 },
  { header: 'Mon, 23 Nov 2026 11:00:00 GMT', ms: 0 },
  { header: '86400', ms: 60_000 },
  { header: '-1', ms: undefined },
];
for (const row of servers) {
  test(`serverDelay: Retry-After ${JSON.stringify(row.header)}`, () =>
    assert.equal(serverDelay(row.header, now, limits), row.ms));
}
