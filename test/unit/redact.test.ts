import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, Redactor } from '../../src/report/redact.js';

test('long secrets are masked wherever they appear, including URL-encoded', () => {
  const redactor = new Redactor(['s3cr3t/value+long']);
  assert.equal(redactor.text('Bearer s3cr3t/value+long'), `Bearer ${MASK}`);
  assert.equal(redactor.text('?token=s3cr3t%2Fvalue%2Blong&x=1'), `?token=${MASK}&x=1`);
});

test('a one-character secret masks whole words only and never garbles a report', () => {
  const redactor = new Redactor(['t']);
  const report = JSON.stringify({ status: 'started', url: 'http://h/t', auth: 'Bearer t' });
  const masked = redactor.text(report);
  assert.equal(
    masked,
    JSON.stringify({ status: 'started', url: `http://h/${MASK}`, auth: `Bearer ${MASK}` }),
  );
});

const inputCases = [
  {
    name: 'token-like name',
    schema: { properties: { bearerToken: { type: 'string' } } },
    inputs: { bearerToken: 'abcdef123456' },
    masked: true,
  },
  {
    name: 'format password',
    schema: { properties: { pin: { type: 'string', format: 'password' } } },
    inputs: { pin: '918273645' },
    masked: true,
  },
  {
    name: 'writeOnly',
    schema: { properties: { code: { type: 'string', writeOnly: true } } },
    inputs: { code: 'zzz-writeonly' },
    masked: true,
  },
  {
    name: 'ordinary input',
    schema: { properties: { kickoffId: { type: 'string' } } },
    inputs: { kickoffId: 'visible-id-42' },
    masked: false,
  },
];
for (const row of inputCases) {
  test(`secrets from inputs: ${row.name}`, () => {
    const redactor = Redactor.forInputs(row.schema, row.inputs);
    const value = Object.values(row.inputs)[0] ?? '';
    assert.equal(redactor.text(`x ${value} y`) === `x ${MASK} y`, row.masked);
  });
}

test('credential headers are masked whole, others pass through redacted', () => {
  const redactor = new Redactor(['abcdefghij']);
  assert.deepEqual(
    redactor.headers({ Authorization: 'Basic Zm9v', Cookie: 'a=b', 'X-Trace': 'id abcdefghij' }),
    {
      Authorization: MASK,
      Cookie: MASK,
      'X-Trace': `id ${MASK}`,
    },
  );
});

test('values are redacted deeply without touching non-strings', () => {
  const redactor = new Redactor(['tok-123456789']);
  assert.deepEqual(redactor.value({ a: ['tok-123456789', 5, null], b: { c: true } }), {
    a: [MASK, 5, null],
    b: { c: true },
  });
});
