import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coerceInput, parseDuration, splitAssignment } from '../../src/cli/parse-options.js';
import { ArazzoError } from '../../src/errors.js';

const durations: [string, number][] = [
  ['250ms', 250],
  ['2s', 2000],
  ['1.5s', 1500],
  ['5m', 300_000],
  ['1h', 3_600_000],
  ['1200', 1200],
  ['0', 0],
  // Past Node's longest timer (2^31-1 ms), honoured by chained timers (src/timers.ts).
  ['1000h', 3_600_000_000],
  ['8760h', 31_536_000_000],
];
for (const [text, ms] of durations) {
  test(`duration ${text} = ${ms} ms`, () => assert.equal(parseDuration(text, '--timeout'), ms));
}
for (const bad of ['', 'fast', '-1s', '2 weeks', '5d', '8761h', '99999999999999999999']) {
  test(`duration "${bad}" is a usage error`, () =>
    assert.throws(
      () => parseDuration(bad, '--timeout'),
      (e: unknown) => e instanceof ArazzoError && e.code === 'USAGE',
    ));
}

const coercions: { text: string; schema: unknown; value: unknown }[] = [
  { text: 'true', schema: { type: 'boolean' }, value: true },
  { text: 'false', schema: { type: 'boolean' }, value: false },
  { text: 'maybe', schema: { type: 'boolean' }, value: 'maybe' },
  { text: '42', schema: { type: 'integer' }, value: 42 },
  { text: '4.5', schema: { type: 'number' }, value: 4.5 },
  { text: '007', schema: { type: 'string' }, value: '007' },
  { text: 'true', schema: { type: 'string' }, value: 'true' },
  { text: '{"a":[1]}', schema: { type: 'object' }, value: { a: [1] } },
  { text: '[1,2]', schema: { type: 'array' }, value: [1, 2] },
  { text: '[1,2', schema: { type: 'array' }, value: '[1,2' },
  { text: 'null', schema: { type: ['string', 'null'] }, value: 'null' },
  { text: '12', schema: undefined, value: '12' },
];
for (const row of coercions) {
  test(`--input coercion: ${JSON.stringify(row.text)} as ${JSON.stringify(row.schema)}`, () =>
    assert.deepEqual(coerceInput(row.text, row.schema), row.value));
}

test('name=value splits at the first = only', () => {
  assert.deepEqual(splitAssignment('token=a=b', '--input'), ['token', 'a=b']);
  assert.throws(() => splitAssignment('=x', '--input'), ArazzoError);
  assert.throws(() => splitAssignment('novalue', '--input'), ArazzoError);
  assert.throws(
    () => splitAssignment('tokenSECRET', '--input'),
    (e: unknown) => e instanceof ArazzoError && !e.message.includes('SECRET'),
  );
});

test('a duration beyond a year names the flag and the limit', () =>
  assert.throws(() => parseDuration('9000h', '--poll-interval'), {
    code: 'USAGE',
    message: '--poll-interval: "9000h" is longer than a year (at most 8760h)',
  }));
