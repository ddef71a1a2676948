import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormData, Response } from 'undici';
import { ArazzoError } from '../../src/errors.js';
import { serializeBody, type SerializeBodyOptions } from '../../src/http/serialize-body.js';
import { bodyKind } from '../../src/http/media-type.js';

const ok: readonly {
  readonly name: string;
  readonly contentType: string;
  readonly value: unknown;
  readonly body: string | Uint8Array;
  readonly options?: SerializeBodyOptions;
}[] = [
  {
    name: 'JSON object',
    contentType: 'application/json',
    value: { a: [1, true, null] },
    body: '{"a":[1,true,null]}',
  },
  { name: 'JSON number', contentType: 'application/json', value: 5, body: '5' },
  { name: 'JSON null', contentType: 'application/json', value: null, body: 'null' },
  {
    name: 'JSON text as written',
    contentType: 'application/json; charset=utf-8',
    value: '{ "a" : 1 }',
    body: '{ "a" : 1 }',
  },
  {
    name: '+json suffix',
    contentType: 'application/problem+json',
    value: { title: 't' },
    body: '{"title":"t"}',
  },
  {
    name: 'form object (WHATWG encoding, space → +)',
    contentType: 'application/x-www-form-urlencoded',
    value: { grant_type: 'client credentials', n: 2, s: "a&b=c+d/e~!'()*" },
    body: 'grant_type=client+credentials&n=2&s=a%26b%3Dc%2Bd%2Fe%7E%21%27%28%29*',
  },
  {
    name: 'form: objects are JSON text, arrays repeat the name (OAS 3.1 contentType defaults)',
    contentType: 'application/x-www-form-urlencoded',
    value: { address: { city: 'X' }, tag: ['a', 'b'] },
    body: 'address=%7B%22city%22%3A%22X%22%7D&tag=a&tag=b',
  },
  {
    name: 'form: encoding style deepObject',
    contentType: 'application/x-www-form-urlencoded',
    value: { filter: { a: 1, b: 'x y' } },
    options: { encoding: { filter: { style: 'deepObject', explode: true } } },
    body: 'filter%5Ba%5D=1&filter%5Bb%5D=x+y',
  },
  {
    name: 'form: encoding explode (form style hoists keys)',
    contentType: 'application/x-www-form-urlencoded',
    value: { filter: { a: 1, b: 2 } },
    options: { encoding: { filter: { explode: true } } },
    body: 'a=1&b=2',
  },
  {
    name: 'form: encoding style form without explode',
    contentType: 'application/x-www-form-urlencoded',
    value: { ids: [1, 2] },
    options: { encoding: { ids: { style: 'form', explode: false } } },
    body: 'ids=1,2',
  },
  {
    name: 'form: encoding pipeDelimited',
    contentType: 'application/x-www-form-urlencoded',
    value: { ids: [1, 2] },
    options: { encoding: { ids: { style: 'pipeDelimited' } } },
    body: 'ids=1%7C2',
  },
  {
    name: 'form: encoding contentType JSON quotes a string (OAS example)',
    contentType: 'application/x-www-form-urlencoded',
    value: { id: 'f81d' },
    options: { encoding: { id: { contentType: 'application/json' } } },
    body: 'id=%22f81d%22',
  },
  {
    name: 'form string as written',
    contentType: 'application/x-www-form-urlencoded',
    value: 'a=1&b=2',
    body: 'a=1&b=2',
  },
  {
    name: 'XML text as written',
    contentType: 'application/xml',
    value: '<a>1</a>',
    body: '<a>1</a>',
  },
  { name: 'text/xml', contentType: 'text/xml', value: '<a/>', body: '<a/>' },
  { name: '+xml', contentType: 'application/soap+xml', value: '<e/>', body: '<e/>' },
  { name: 'text/plain string', contentType: 'text/plain', value: 'hello', body: 'hello' },
  { name: 'text/plain number', contentType: 'text/plain', value: 42, body: '42' },
  { name: 'text/csv', contentType: 'text/csv', value: 'a,b\n1,2', body: 'a,b\n1,2' },
  {
    name: 'octet-stream string',
    contentType: 'application/octet-stream',
    value: 'raw',
    body: 'raw',
  },
  {
    name: 'octet-stream bytes',
    contentType: 'application/octet-stream',
    value: new Uint8Array([0, 255]),
    body: new Uint8Array([0, 255]),
  },
  {
    name: 'octet-stream Buffer',
    contentType: 'application/octet-stream',
    value: Buffer.from('hi'),
    body: Buffer.from('hi'),
  },
  {
    name: 'octet-stream ArrayBuffer',
    contentType: 'application/octet-stream',
    value: new Uint8Array([7]).buffer,
    body: new Uint8Array([7]),
  },
  {
    name: 'octet-stream byte array (bytes after JSON)',
    contentType: 'application/octet-stream',
    value: [1, 2, 3],
    body: new Uint8Array([1, 2, 3]),
  },
  {
    name: 'image/png bytes',
    contentType: 'image/png',
    value: new Uint8Array([137, 80]),
    body: new Uint8Array([137, 80]),
  },
  {
    name: 'bytes with a JSON type are sent as they are',
    contentType: 'application/json',
    value: new Uint8Array([123, 125]),
    body: new Uint8Array([123, 125]),
  },
  { name: 'unknown type, string', contentType: 'application/vnd.custom', value: 'x', body: 'x' },
];

for (const row of ok) {
  test(`body: ${row.name}`, () => {
    const serialized = serializeBody(row.value, row.contentType, row.options);
    assert.deepEqual(
      serialized.body instanceof Uint8Array ? new Uint8Array(serialized.body) : serialized.body,
      row.body instanceof Uint8Array ? new Uint8Array(row.body) : row.body,
    );
    assert.equal(serialized.contentType, row.contentType);
  });
}

const refused: readonly {
  readonly name: string;
  readonly contentType: string;
  readonly value: unknown;
  readonly error: RegExp;
}[] = [
  {
    name: 'an object as XML',
    contentType: 'application/xml',
    value: { a: 1 },
    error: /an object as application\/xml: an XML body must be XML text/,
  },
  {
    name: 'an object as text/plain',
    contentType: 'text/plain',
    value: { a: 1 },
    error: /an object as text\/plain; give the body as a string/,
  },
  {
    name: 'an object as octet-stream',
    contentType: 'application/octet-stream',
    value: { a: 1 },
    error: /string or as bytes/,
  },
  {
    name: 'an array as a form',
    contentType: 'application/x-www-form-urlencoded',
    value: [1],
    error: /give an object/,
  },
  {
    name: 'a number as multipart',
    contentType: 'multipart/form-data',
    value: 5,
    error: /give an object/,
  },
  {
    name: 'JSON text that is not JSON',
    contentType: 'application/json',
    value: 'not json',
    error: /not JSON text/,
  },
];

for (const row of refused) {
  test(`body refused: ${row.name}`, () => {
    assert.throws(
      () => serializeBody(row.value, row.contentType),
      (e: unknown) =>
        e instanceof ArazzoError && e.code === 'REQUEST_INVALID' && row.error.test(e.message),
    );
  });
}

test('multipart: parts per property, arrays repeat, objects are JSON, bytes are files (RFC 7578 via undici)', async () => {
  const serialized = serializeBody(
    {
      name: 'Rex',
      age: 3,
      tags: ['a', 'b'],
      meta: { x: 1 },
      photo: new Uint8Array([1, 2]),
      skip: null,
      xml: '<m/>',
    },
    'multipart/form-data',
    {
      encoding: {
        photo: { contentType: 'image/png, image/jpeg' },
        xml: { contentType: 'application/xml; charset=utf-8' },
      },
    },
  );
  assert.equal(serialized.contentType, undefined, 'undici sets the boundary');
  assert.ok(serialized.body instanceof FormData);
  const response = new Response(serialized.body);
  const contentType = response.headers.get('content-type') ?? '';
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1] ?? '';
  const text = await response.text();
  const parts = text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => part.replace(/^\r\n|\r\n$/g, ''));
  assert.deepEqual(parts, [
    'Content-Disposition: form-data; name="name"\r\n\r\nRex',
    'Content-Disposition: form-data; name="age"\r\n\r\n3',
    'Content-Disposition: form-data; name="tags"\r\n\r\na',
    'Content-Disposition: form-data; name="tags"\r\n\r\nb',
    'Content-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"x":1}',
    'Content-Disposition: form-data; name="photo"; filename="photo"\r\nContent-Type: image/png\r\n\r\n\u0001\u0002',
    'Content-Disposition: form-data; name="xml"\r\nContent-Type: application/xml; charset=utf-8\r\n\r\n<m/>',
  ]);
});

test('media type kinds', () => {
  const rows: readonly [string, string][] = [
    ['application/json', 'json'],
    ['Application/JSON; charset=UTF-8', 'json'],
    ['application/hal+json', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['multipart/form-data; boundary=x', 'multipart'],
    ['application/xml', 'xml'],
    ['text/xml', 'xml'],
    ['application/atom+xml', 'xml'],
    ['text/plain', 'text'],
    ['text/html', 'text'],
    ['application/octet-stream', 'binary'],
    ['image/png', 'binary'],
    ['application/pdf', 'binary'],
    ['application/yaml', 'other'],
  ];
  for (const [type, kind] of rows) assert.equal(bodyKind(type), kind, type);
});
