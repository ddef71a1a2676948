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

/**
 * Every form the runner itself sends a secret in must be masked (issue 21 F5): the
 * percent-encodings of query, path and cookie values (RFC 6570: `!'()*` too), the form-body one
 * (`+` for a space, `!'()~` encoded), `allowReserved`, JSON string escaping (`"`, `\`,
 * control characters, lone surrogates) and the percent-encoding of JSON text (a `content`
 * parameter or a JSON form field).
 */
const encodedForms: readonly {
  readonly name: string;
  readonly secret: string;
  /** What goes on the wire (or in a report) … */
  readonly sent: string;
  /** … and what it must become. */
  readonly masked: string;
}[] = [
  {
    name: 'query value (RFC 6570 encodes !*)',
    secret: 'Tok3n!Secret*2026',
    sent: '/r?q=Tok3n%21Secret%2A2026&x=1',
    masked: `/r?q=${MASK}&x=1`,
  },
  {
    name: "query value (RFC 6570 encodes '())",
    secret: "it's(ok)now",
    sent: 'q=it%27s%28ok%29now',
    masked: `q=${MASK}`,
  },
  {
    name: 'form body: + for a space',
    secret: 'key with spaces 123',
    sent: 'k=key+with+spaces+123&n=1',
    masked: `k=${MASK}&n=1`,
  },
  {
    name: 'form body: ~ and ! encoded',
    secret: 'tilde~bang!x',
    sent: 'k=tilde%7Ebang%21x',
    masked: `k=${MASK}`,
  },
  {
    name: 'allowReserved keeps / and @',
    secret: 'a b/c@d:e',
    sent: 'q=a%20b/c@d:e',
    masked: `q=${MASK}`,
  },
  {
    name: 'JSON escapes " and \\',
    secret: 'p@ss"w0rd\\zz',
    sent: '{"pw":"p@ss\\"w0rd\\\\zz"}',
    masked: `{"pw":"${MASK}"}`,
  },
  {
    name: 'JSON escapes control characters',
    secret: 'line1\nline2\tEND',
    sent: '{"pw":"line1\\nline2\\tEND"}',
    masked: `{"pw":"${MASK}"}`,
  },
  {
    name: 'JSON escapes a lone surrogate',
    secret: 'abc\uD800defgh',
    sent: '{"pw":"abc\\ud800defgh"}',
    masked: `{"pw":"${MASK}"}`,
  },
  {
    name: 'percent-encoding sends a lone surrogate as U+FFFD',
    secret: 'abc\uD800defgh',
    sent: 'q=abc%EF%BF%BDdefgh',
    masked: `q=${MASK}`,
  },
  {
    name: 'JSON text in a query (content: application/json)',
    secret: 'p@ss"w0rd\\zz',
    sent: 'q=%7B%22pw%22%3A%22p%40ss%5C%22w0rd%5C%5Czz%22%7D',
    masked: `q=%7B%22pw%22%3A%22${MASK}%22%7D`,
  },
  {
    name: 'JSON text in a form field',
    secret: 'say "hi there"',
    sent: 'f=%7B%22a%22%3A%22say+%5C%22hi+there%5C%22%22%7D',
    masked: `f=%7B%22a%22%3A%22${MASK}%22%7D`,
  },
];
for (const row of encodedForms) {
  test(`encoded secrets are masked: ${row.name}`, () => {
    assert.equal(new Redactor([row.secret]).text(row.sent), row.masked);
  });
}

/** Secret-named (or `format: password`) fields nested at any depth in an object input (F5). */
const nestedCases: readonly {
  readonly name: string;
  readonly schema: unknown;
  readonly inputs: Record<string, unknown>;
  /** Must be masked … */
  readonly secret: string;
  /** … while this ordinary value next to it stays. */
  readonly visible?: string;
}[] = [
  {
    name: 'a password field inside an object input',
    schema: { properties: { config: { type: 'object' } } },
    inputs: { config: { region: 'eu-west-12345', password: 'NestedPassw0rdXYZ' } },
    secret: 'NestedPassw0rdXYZ',
    visible: 'eu-west-12345',
  },
  {
    name: 'three levels down',
    schema: undefined,
    inputs: { config: { db: { primary: { apiKey: 'deep-key-0001' } } } },
    secret: 'deep-key-0001',
  },
  {
    name: 'inside an array of objects',
    schema: undefined,
    inputs: { accounts: [{ user: 'ada' }, { user: 'bob', token: 'bob-token-777' }] },
    secret: 'bob-token-777',
  },
  {
    name: 'a nested property the schema says is format: password',
    schema: {
      properties: {
        config: { type: 'object', properties: { pin: { type: 'string', format: 'password' } } },
      },
    },
    inputs: { config: { pin: '918273645' } },
    secret: '918273645',
  },
  {
    name: 'array items the schema says are writeOnly',
    schema: {
      properties: { codes: { type: 'array', items: { type: 'string', writeOnly: true } } },
    },
    inputs: { codes: ['code-one-11', 'code-two-22'] },
    secret: 'code-two-22',
  },
];
for (const row of nestedCases) {
  test(`secrets from inputs, nested: ${row.name}`, () => {
    const redactor = Redactor.forInputs(row.schema as never, row.inputs);
    assert.equal(redactor.text(`x ${row.secret} y`), `x ${MASK} y`);
    if (row.visible !== undefined) assert.equal(redactor.text(row.visible), row.visible);
  });
}

test('a credential the run obtains (a `credential` event) is masked from then on', () => {
  const redactor = new Redactor(['given-secret-1']);
  assert.equal(redactor.text('Bearer OAUTH-TOKEN-abc!def'), 'Bearer OAUTH-TOKEN-abc!def');
  redactor.onEvent({
    type: 'credential',
    workflowId: 'w',
    stepId: 's',
    schemeName: 'oauth',
    value: 'OAUTH-TOKEN-abc!def',
  });
  assert.equal(redactor.text('Bearer OAUTH-TOKEN-abc!def'), `Bearer ${MASK}`);
  assert.equal(redactor.text('?t=OAUTH-TOKEN-abc%21def'), `?t=${MASK}`);
  assert.equal(redactor.text('given-secret-1'), MASK);
});
