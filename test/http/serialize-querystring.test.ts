/** `in: querystring` in the request builder (POSITIONS §11.6). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest } from '../../src/http/build-request.js';
import { encodeForQuery } from '../../src/http/serialize-querystring.js';
import type { OpenApiParameter } from '../../src/sources/openapi-types.js';
import { operation } from './helpers.js';

const V32 = { openapi: '3.2.0' };

function querystringOperation(mediaType: string, encoding?: unknown) {
  const definition = {
    name: 'q',
    in: 'querystring',
    content: { [mediaType]: encoding === undefined ? {} : { encoding } },
  } as unknown as OpenApiParameter;
  return operation({ path: '/search', operation: { parameters: [definition] } }, V32);
}

function url(
  mediaType: string,
  value: unknown,
  extra: { name: string; in: 'query' | 'querystring'; value: unknown }[] = [],
): string {
  return buildRequest({
    operation: querystringOperation(mediaType),
    serverUrl: 'http://api.test',
    parameters: [{ name: 'q', in: 'querystring', value }, ...extra],
  }).request.url;
}

test('form-urlencoded: a string is the query string as written', () => {
  assert.equal(
    url('application/x-www-form-urlencoded', 'a=1&b=x%20y&c=d+e'),
    'http://api.test/search?a=1&b=x%20y&c=d+e',
  );
});

test('form-urlencoded: what a query cannot hold is percent-encoded, nothing else', () => {
  assert.equal(
    encodeForQuery('a=red shoes&b=#1&c=ü&d=100%&e=[x]'),
    'a=red%20shoes&b=%231&c=%C3%BC&d=100%25&e=%5Bx%5D',
  );
  assert.equal(encodeForQuery("k=a/b?c:d@e!$'()*,;"), "k=a/b?c:d@e!$'()*,;");
});

test('form-urlencoded: an object is form-encoded, per the media type Encoding Object', () => {
  assert.equal(
    url('application/x-www-form-urlencoded', { category: 'red shoes', size: ['s', 'm'] }),
    'http://api.test/search?category=red+shoes&size=s&size=m',
  );
  const built = buildRequest({
    operation: querystringOperation('application/x-www-form-urlencoded', {
      size: { style: 'form', explode: false },
    }),
    serverUrl: 'http://api.test',
    parameters: [{ name: 'q', in: 'querystring', value: { size: ['s', 'm'] } }],
  });
  assert.equal(built.request.url, 'http://api.test/search?size=s,m');
  assert.deepEqual(built.view.request.query, { size: 's,m' });
});

test('application/json: JSON text, percent-encoded; a string must be JSON text', () => {
  const expected = 'http://api.test/search?%7B%22filter%22%3A%22active%22%2C%22limit%22%3A50%7D';
  assert.equal(url('application/json', { filter: 'active', limit: 50 }), expected);
  assert.equal(url('application/json', '{"filter":"active","limit":50}'), expected);
  assert.throws(() => url('application/json', '{filter'), { code: 'REQUEST_INVALID' });
});

test('no value, no query string', () => {
  assert.equal(url('application/x-www-form-urlencoded', undefined), 'http://api.test/search');
});

test('querystring with a query parameter, or twice, is refused before sending', () => {
  assert.throws(
    () => url('application/x-www-form-urlencoded', 'a=1', [{ name: 'b', in: 'query', value: 2 }]),
    { code: 'REQUEST_INVALID', message: /querystring parameter "q" is the whole query string/ },
  );
  assert.throws(
    () =>
      url('application/x-www-form-urlencoded', 'a=1', [
        { name: 'r', in: 'querystring', value: 'b=2' },
      ]),
    { code: 'REQUEST_INVALID', message: /"q" and "r" both give the whole query string/ },
  );
});

test('an operation without a querystring parameter: form-urlencoded, with a warning', () => {
  const built = buildRequest({
    operation: operation({ path: '/search' }),
    serverUrl: 'http://api.test',
    parameters: [{ name: 'q', in: 'querystring', value: { a: 1 } }],
  });
  assert.equal(built.request.url, 'http://api.test/search?a=1');
  assert.match(built.warnings.join('\n'), /"q" \(in querystring\) is not defined by the operation/);
});

test('a required querystring parameter without a value is refused', () => {
  const definition = {
    name: 'q',
    in: 'querystring',
    required: true,
    content: { 'application/x-www-form-urlencoded': {} },
  } as unknown as OpenApiParameter;
  assert.throws(
    () =>
      buildRequest({
        operation: operation({ path: '/s', operation: { parameters: [definition] } }, V32),
        serverUrl: 'http://api.test',
        parameters: [],
      }),
    { code: 'REQUEST_INVALID', message: /required querystring parameter "q"/ },
  );
});
