import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBody, parseBody } from '../../src/http/parse-body.js';

const rows: readonly [
  name: string,
  text: string,
  contentType: string | undefined,
  expected: unknown,
][] = [
  ['JSON', '{"a":[1,2]}', 'application/json', { a: [1, 2] }],
  ['JSON with parameters', '[true]', 'application/json; charset=utf-8', [true]],
  ['+json', '{"title":"t"}', 'application/problem+json', { title: 't' }],
  ['JSON scalar', '"s"', 'application/json', 's'],
  ['malformed JSON stays text', '{"a":', 'application/json', '{"a":'],
  ['XML stays text', '<a>1</a>', 'application/xml', '<a>1</a>'],
  ['text/xml stays text', '<a/>', 'text/xml', '<a/>'],
  ['+xml stays text', '<feed/>', 'application/atom+xml', '<feed/>'],
  ['text', 'hello', 'text/plain', 'hello'],
  ['JSON-looking text without a JSON type stays text', '{"a":1}', 'text/plain', '{"a":1}'],
  ['no content type', 'x', undefined, 'x'],
  ['empty body', '', 'application/json', undefined],
];

for (const [name, text, contentType, expected] of rows) {
  test(`response body: ${name}`, () => assert.deepEqual(parseBody(text, contentType), expected));
}

test('response bytes decode by charset; JSON is always UTF-8; a BOM is dropped', () => {
  const latin1 = Uint8Array.from([0x63, 0x61, 0x66, 0xe9]);
  assert.equal(decodeBody(latin1, 'text/plain; charset=ISO-8859-1'), 'café');
  assert.equal(decodeBody(Buffer.from('café'), 'text/plain'), 'café');
  assert.equal(decodeBody(Buffer.from('"é"'), 'application/json; charset=iso-8859-1'), '"é"');
  assert.equal(decodeBody(Buffer.from('\uFEFF{}'), 'application/json'), '{}');
  assert.equal(decodeBody(Buffer.from('x'), 'text/plain; charset=no-such-charset'), 'x');
  assert.equal(decodeBody(Uint8Array.from([0xff]), 'text/plain'), '\uFFFD');
});
