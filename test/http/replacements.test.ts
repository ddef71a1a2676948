import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArazzoError } from '../../src/errors.js';
import type { ExpressionType } from '../../src/expressions/index.js';
import { applyReplacements, type Replacement } from '../../src/http/replacements.js';

const RFC9535: ExpressionType = { type: 'jsonpath', version: 'rfc9535' };
const GOESSNER: ExpressionType = {
  type: 'jsonpath',
  version: 'draft-goessner-dispatch-jsonpath-00',
};
const POINTER: ExpressionType = { type: 'jsonpointer', version: 'rfc6901' };
const XPATH: ExpressionType = { type: 'xpath', version: 'xpath-31' };

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
  // Arazzo 1.1 targetSelectorType (POSITIONS §11.8).
  {
    name: 'JSONPath (RFC 9535): every matched node gets the value',
    body: {
      items: [
        { sku: 'ABC123', quantity: 1 },
        { sku: 'X', quantity: 2 },
        { sku: 'ABC123', quantity: 3 },
      ],
    },
    contentType: 'application/json',
    replacements: [
      { target: "$.items[?(@.sku=='ABC123')].quantity", targetType: RFC9535, value: 10 },
    ],
    expected: {
      items: [
        { sku: 'ABC123', quantity: 10 },
        { sku: 'X', quantity: 2 },
        { sku: 'ABC123', quantity: 10 },
      ],
    },
  },
  {
    name: 'JSONPath (Goessner draft): every matched node gets the value',
    body: { a: [{ n: 1 }, { n: 2 }], b: { n: 3 } },
    contentType: 'application/json',
    replacements: [{ target: '$..n', targetType: GOESSNER, value: 0 }],
    expected: { a: [{ n: 0 }, { n: 0 }], b: { n: 0 } },
  },
  {
    name: 'JSONPath: a Goessner filter uses the draft syntax',
    body: { items: [{ p: 5 }, { p: 15 }] },
    contentType: 'application/json',
    replacements: [{ target: '$.items[?(@.p > 10)].p', targetType: GOESSNER, value: 10 }],
    expected: { items: [{ p: 5 }, { p: 10 }] },
  },
  {
    name: 'JSONPath: names that need escaping in a pointer',
    body: { 'a/b': { 'c~d': 0 } },
    contentType: 'application/json',
    replacements: [{ target: "$['a/b']['c~d']", targetType: RFC9535, value: 1 }],
    expected: { 'a/b': { 'c~d': 1 } },
  },
  {
    name: 'JSONPath: the root',
    body: { a: 1 },
    contentType: 'application/json',
    replacements: [{ target: '$', targetType: RFC9535, value: [] }],
    expected: [],
  },
  {
    name: 'JSONPath: a match inside another match is covered by the outer one',
    body: { a: { a: 1 } },
    contentType: 'application/json',
    replacements: [{ target: '$..a', targetType: RFC9535, value: { z: true } }],
    expected: { a: { z: true } },
  },
  {
    name: 'JSONPath: a key named __proto__ is a key like any other',
    body: JSON.parse('{"__proto__": {"x": 1}}') as unknown,
    contentType: 'application/json',
    replacements: [{ target: "$['__proto__'].x", targetType: RFC9535, value: 2 }],
    expected: JSON.parse('{"__proto__": {"x": 2}}') as unknown,
  },
  {
    name: 'JSONPath and JSON Pointer targets mix, in list order',
    body: '{"list": [{"v": 1}, {"v": 2}]}',
    contentType: 'application/json',
    replacements: [
      { target: '/list/-', targetType: POINTER, value: { v: 3 } },
      { target: '$.list[*].v', targetType: RFC9535, value: 'x' },
    ],
    expected: { list: [{ v: 'x' }, { v: 'x' }, { v: 'x' }] },
  },
  {
    name: 'JSONPath on a structured form payload',
    body: { tags: ['a', 'b'] },
    contentType: 'application/x-www-form-urlencoded',
    replacements: [{ target: '$.tags[1]', targetType: RFC9535, value: 'z' }],
    expected: { tags: ['a', 'z'] },
  },
  {
    name: 'JSONPath: a query that matches nothing',
    body: { items: [] },
    contentType: 'application/json',
    replacements: [{ target: '$.items[*].q', targetType: RFC9535, value: 1 }],
    error: /^replacement target \$\.items\[\*\]\.q \(JSONPath\) matches nothing in the payload; /,
  },
  {
    name: 'JSONPath: a query that does not parse',
    body: { a: 1 },
    contentType: 'application/json',
    replacements: [{ target: '$.a[', targetType: RFC9535, value: 1 }],
    error: /^replacement target \$\.a\[: invalid JSONPath \(RFC 9535\)/,
  },
  {
    name: 'explicit jsonpointer: as without a type',
    body: { a: {} },
    contentType: 'application/json',
    replacements: [{ target: '/a/b', targetType: POINTER, value: 1 }],
    expected: { a: { b: 1 } },
  },
  {
    name: 'explicit xpath (an Expression Type Object, xpath-30) on XML',
    body: '<Envelope><Header><CustomerId>0</CustomerId></Header></Envelope>',
    contentType: 'application/xml',
    replacements: [
      {
        target: '/Envelope/Header/CustomerId',
        targetType: { type: 'xpath', version: 'xpath-30' },
        value: 'C-7',
      },
    ],
    expected: '<Envelope><Header><CustomerId>C-7</CustomerId></Header></Envelope>',
  },
  {
    name: 'xpath on a JSON payload',
    body: { a: 1 },
    contentType: 'application/json',
    replacements: [{ target: '/a', targetType: XPATH, value: 1 }],
    error:
      /^replacement target \/a: targetSelectorType xpath needs an XML payload, and the application\/json payload is not XML$/,
  },
  {
    name: 'jsonpath on an XML payload',
    body: '<o/>',
    contentType: 'application/xml',
    replacements: [{ target: '$.o', targetType: RFC9535, value: 1 }],
    error:
      /^replacement target \$\.o: targetSelectorType jsonpath does not apply to the application\/xml payload/,
  },
  {
    name: 'jsonpointer on an XML payload, refused before any other replacement',
    body: '<o><q>1</q></o>',
    contentType: 'text/xml',
    replacements: [
      { target: '/o/q', value: 2 },
      { target: '/o/q', targetType: POINTER, value: 3 },
    ],
    error: /targetSelectorType jsonpointer does not apply to the text\/xml payload/,
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

test('replacement: neither the payload nor an evaluated value is mutated', () => {
  // json-p3 patches in place: a later replacement inside an earlier one's value must not reach
  // the value itself (it may be a step output).
  const value = { b: 1 };
  const body = { a: null as unknown };
  const result = applyReplacements(body, 'application/json', [
    { target: '/a', value },
    { target: '/a/c', value: 2 },
    { target: '$.a.b', targetType: RFC9535, value: 3 },
  ]);
  assert.deepEqual(result, { a: { b: 3, c: 2 } });
  assert.deepEqual(value, { b: 1 });
  assert.deepEqual(body, { a: null });
});

test('replacement: each JSONPath match gets its own copy of the value', () => {
  const result = applyReplacements({ x: [0, 0] }, 'application/json', [
    { target: '$.x[*]', targetType: RFC9535, value: { n: 1 } },
    { target: '/x/0/n', value: 2 },
  ]);
  assert.deepEqual(result, { x: [{ n: 2 }, { n: 1 }] });
});
