import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArazzoError } from '../../src/errors.js';
import { applyReplacements, type Replacement } from '../../src/http/replacements.js';

const rows: readonly {
  readonly name: string;
  readonly body: unknown;
  readonly contentType: string | undefined;
  readonly replacements: readonly Replacement[];
  readonly expected?: unknown;
  readonly error?: RegExp;
}[] = [
  // JSON Pointer (RFC 6901): RFC 6902 `replace` where the target exists, else `add`.
  {
    name: 'replace a member',
    body: { a: { b: 1 } },
    contentType: 'application/json',
    replacements: [{ target: '/a/b', value: 2 }],
    expected: { a: { b: 2 } },
  },
  {
    name: 'add a member whose parent exists',
    body: { a: {} },
    contentType: 'application/json',
    replacements: [{ target: '/a/c', value: 'x' }],
    expected: { a: { c: 'x' } },
  },
  {
    name: 'append with -',
    body: { list: [1] },
    contentType: 'application/json',
    replacements: [{ target: '/list/-', value: 2 }],
    expected: { list: [1, 2] },
  },
  {
    // §Payload Replacement Object: "the value set within the target location" (issue 14: an
    // RFC 6902 add inserted a new element before it).
    name: 'replace an existing array element',
    body: { list: [1, 3, 4] },
    contentType: 'application/json',
    replacements: [{ target: '/list/1', value: 2 }],
    expected: { list: [1, 2, 4] },
  },
  {
    name: 'add the element just past the end',
    body: { list: [1, 3] },
    contentType: 'application/json',
    replacements: [{ target: '/list/2', value: 5 }],
    expected: { list: [1, 3, 5] },
  },
  {
    name: 'replace an element of a structured form payload',
    body: { tags: ['a', 'b'] },
    contentType: 'application/x-www-form-urlencoded',
    replacements: [{ target: '/tags/0', value: 'z' }],
    expected: { tags: ['z', 'b'] },
  },
  {
    name: 'the whole body',
    body: { a: 1 },
    contentType: 'application/json',
    replacements: [{ target: '', value: { b: 2 } }],
    expected: { b: 2 },
  },
  {
    name: 'escaped tokens ~0 ~1',
    body: { 'a/b': { 'c~d': 0 } },
    contentType: 'application/json',
    replacements: [{ target: '/a~1b/c~0d', value: 1 }],
    expected: { 'a/b': { 'c~d': 1 } },
  },
  {
    name: 'URI fragment form',
    body: { 'a b': 0 },
    contentType: 'application/json',
    replacements: [{ target: '#/a%20b', value: 1 }],
    expected: { 'a b': 1 },
  },
  {
    name: 'structured values keep their type',
    body: {},
    contentType: 'application/json',
    replacements: [{ target: '/o', value: { n: [1, null] } }],
    expected: { o: { n: [1, null] } },
  },
  {
    name: 'in list order',
    body: {},
    contentType: 'application/json',
    replacements: [
      { target: '/a', value: {} },
      { target: '/a/b', value: 1 },
    ],
    expected: { a: { b: 1 } },
  },
  {
    name: 'a JSON template string is parsed first',
    body: '{"qty": 1}',
    contentType: 'application/json',
    replacements: [{ target: '/qty', value: 5 }],
    expected: { qty: 5 },
  },
  {
    name: 'a form object takes pointers too',
    body: { a: '1' },
    contentType: 'application/x-www-form-urlencoded',
    replacements: [{ target: '/b', value: '2' }],
    expected: { a: '1', b: '2' },
  },
  {
    name: 'no content type, structured',
    body: { a: 1 },
    contentType: undefined,
    replacements: [{ target: '/a', value: 2 }],
    expected: { a: 2 },
  },
  {
    name: 'no replacements: the body as it is',
    body: 'anything',
    contentType: 'text/plain',
    replacements: [],
    expected: 'anything',
  },
  {
    name: 'missing parent',
    body: { a: 1 },
    contentType: 'application/json',
    replacements: [{ target: '/x/y', value: 1 }],
    error: /^replacement target \/x\/y: .*'\/x'/,
  },
  {
    name: 'a text payload',
    body: 'hello',
    contentType: 'text/plain',
    replacements: [{ target: '/a', value: 1 }],
    error: /text\/plain payload is text/,
  },
  {
    name: 'a JSON string that is not JSON',
    body: 'nope',
    contentType: 'application/json',
    replacements: [{ target: '/a', value: 1 }],
    error: /not JSON text/,
  },
  // XPath (fontoxpath over xmldom).
  {
    name: 'XPath: element text',
    body: '<order><qty>1</qty></order>',
    contentType: 'application/xml',
    replacements: [{ target: '/order/qty', value: 5 }],
    expected: '<order><qty>5</qty></order>',
  },
  {
    name: 'XPath: every selected node',
    body: '<o><i>1</i><i>2</i></o>',
    contentType: 'text/xml',
    replacements: [{ target: '//i', value: 'x' }],
    expected: '<o><i>x</i><i>x</i></o>',
  },
  {
    name: 'XPath: an attribute',
    body: '<o id="1"/>',
    contentType: 'application/xml',
    replacements: [{ target: '/o/@id', value: 'a&b' }],
    expected: '<o id="a&amp;b"/>',
  },
  {
    name: 'XPath: an element with children becomes text (escaped)',
    body: '<o><n>a<b/></n></o>',
    contentType: 'application/xml',
    replacements: [{ target: '/o/n', value: '<x>' }],
    expected: '<o><n>&lt;x&gt;</n></o>',
  },
  {
    name: 'XPath: root namespace prefixes resolve',
    body: '<p:o xmlns:p="urn:x"><p:q>1</p:q></p:o>',
    contentType: 'application/soap+xml',
    replacements: [{ target: '/p:o/p:q', value: true }],
    expected: '<p:o xmlns:p="urn:x"><p:q>true</p:q></p:o>',
  },
  {
    name: 'XPath: the declaration is kept',
    body: '<?xml version="1.0"?><o><q>1</q></o>',
    contentType: 'application/xml',
    replacements: [{ target: '/o/q', value: 2 }],
    expected: '<?xml version="1.0"?><o><q>2</q></o>',
  },
  {
    name: 'XPath: no content type, XML-looking text',
    body: ' <o><q>1</q></o>',
    contentType: undefined,
    replacements: [{ target: '/o/q', value: 2 }],
    expected: ' <o><q>2</q></o>',
  },
  {
    name: 'XPath: no node selected',
    body: '<o/>',
    contentType: 'application/xml',
    replacements: [{ target: '/o/missing', value: 1 }],
    error: /selects no node/,
  },
  {
    name: 'XPath: not a node sequence',
    body: '<o/>',
    contentType: 'application/xml',
    replacements: [{ target: 'count(/o)', value: 1 }],
    error: /^replacement target count\(\/o\): /,
  },
  {
    name: 'XPath: malformed XML',
    body: '<o>',
    contentType: 'application/xml',
    replacements: [{ target: '/o', value: 1 }],
    error: /not well-formed/,
  },
  {
    name: 'XPath: a structured value',
    body: '<o/>',
    contentType: 'application/xml',
    replacements: [{ target: '/o', value: { a: 1 } }],
    error: /must be a string, number or boolean/,
  },
  {
    name: 'XPath: a structured payload',
    body: { a: 1 },
    contentType: 'application/xml',
    replacements: [{ target: '/o', value: 1 }],
    error: /need the application\/xml payload as XML text/,
  },
];

for (const row of rows) {
  test(`replacement: ${row.name}`, () => {
    const before = structuredClone(row.body);
    if (row.error !== undefined) {
      assert.throws(
        () => applyReplacements(row.body, row.contentType, row.replacements),
        (e: unknown) =>
          e instanceof ArazzoError && e.code === 'REQUEST_INVALID' && row.error!.test(e.message),
      );
      return;
    }
    assert.deepEqual(applyReplacements(row.body, row.contentType, row.replacements), row.expected);
    assert.deepEqual(row.body, before, 'the payload is not mutated');
  });
}
