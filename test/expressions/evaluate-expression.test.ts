/**
 * evaluateExpression / resolveExpression: each form against one context, RFC 6901 details,
 * case-insensitive headers, type preservation, and "undefined, never an exception" for misses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  evaluateExpression,
  parseExpression,
  resolveExpression,
  splitDottedName,
  type RuntimeContext,
} from '../../src/expressions/index.js';
import { ctx, exchange, withExchange, withResponse } from './context-fixture.js';

const rows: { name: string; text: string; expected: unknown; context?: RuntimeContext }[] = [
  { name: 'url', text: '$url', expected: 'https://api.example.com/pets/42?verbose=true' },
  { name: 'method', text: '$method', expected: 'GET' },
  { name: 'statusCode is a number', text: '$statusCode', expected: 200 },
  { name: 'request header', text: '$request.header.accept', expected: 'application/json' },
  { name: 'request header, any case', text: '$request.header.X-Request-ID', expected: 'req-1' },
  { name: 'request query', text: '$request.query.verbose', expected: 'true' },
  { name: 'request query with a dotted name', text: '$request.query.filter.name', expected: 'rex' },
  { name: 'request path', text: '$request.path.petId', expected: '42' },
  { name: 'request body', text: '$request.body', expected: { user: { uuid: 'u-1' } } },
  { name: 'request body pointer', text: '$request.body#/user/uuid', expected: 'u-1' },
  {
    name: 'response header, any case',
    text: '$response.header.Content-Type',
    expected: 'application/json',
  },
  { name: 'response header Server', text: '$response.header.Server', expected: 'nginx' },
  { name: 'response body pointer keeps strings', text: '$response.body#/id', expected: '0042' },
  { name: 'response body pointer keeps numbers', text: '$response.body#/count', expected: 3 },
  { name: 'response body pointer keeps booleans', text: '$response.body#/done', expected: false },
  { name: 'response body pointer keeps null', text: '$response.body#/error', expected: null },
  {
    name: 'response body pointer keeps arrays',
    text: '$response.body#/tags',
    expected: ['x', 'y'],
  },
  { name: 'response body array index', text: '$response.body#/items/1/name', expected: 'b' },
  { name: 'pointer ~1', text: '$response.body#/a~1b', expected: 'slash' },
  { name: 'pointer ~0', text: '$response.body#/m~0n', expected: 'tilde' },
  { name: 'pointer to the empty key', text: '$response.body#/', expected: 'empty key' },
  {
    name: 'pointer "#" is the whole body',
    text: '$response.body#',
    expected: withResponse({ a: 1 }).exchange?.response?.body,
    context: withResponse({ a: 1 }),
  },
  { name: 'dot navigation on body', text: '$response.body.nested.deep.value', expected: 'v' },
  { name: 'index navigation on body', text: '$response.body.items[0].name', expected: 'a' },
  { name: 'numeric member on an array', text: '$response.body.tags.1', expected: 'y' },
  { name: 'inputs string', text: '$inputs.token', expected: 'secret' },
  { name: 'inputs number stays a number', text: '$inputs.pet_id', expected: 42 },
  {
    name: 'inputs object',
    text: '$inputs.customer',
    expected: { firstName: 'Ann', address: { city: 'Oslo' } },
  },
  { name: 'inputs pointer', text: '$inputs.customer#/address/city', expected: 'Oslo' },
  {
    name: 'inputs dot navigation (longest key wins)',
    text: '$inputs.customer.address.city',
    expected: 'Oslo',
  },
  {
    name: 'inputs dotted key wins over navigation',
    text: '$inputs.dotted.name',
    expected: 'dotted',
  },
  { name: 'inputs index', text: '$inputs.flags[1]', expected: false },
  { name: 'inputs null is a value', text: '$inputs.nothing', expected: null },
  { name: 'outputs', text: '$outputs.bar', expected: 'workflow-bar' },
  { name: 'outputs pointer', text: '$outputs.mappedResponse#/name', expected: 'mapped' },
  {
    name: 'steps output',
    text: '$steps.someStepId.outputs.pets',
    expected: [{ id: 7 }, { id: 8 }],
  },
  { name: 'steps output pointer', text: '$steps.someStepId.outputs.pets#/0/id', expected: 7 },
  {
    name: 'steps output with a dotted name',
    text: '$steps.someStepId.outputs.out.put',
    expected: 'dots',
  },
  { name: 'steps output zero', text: '$steps.step-2.outputs.n', expected: 0 },
  { name: 'workflows input', text: '$workflows.foo.inputs.username', expected: 'bob' },
  { name: 'workflows output', text: '$workflows.foo.outputs.bar', expected: 'foo-bar' },
  {
    name: 'workflows output pointer',
    text: '$workflows.foo.outputs.mappedResponse#/name',
    expected: 'Rex',
  },
  {
    name: 'sourceDescriptions url',
    text: '$sourceDescriptions.petstore.url',
    expected: 'https://example.com/petstore.yaml',
  },
  { name: 'sourceDescriptions type', text: '$sourceDescriptions.flows.type', expected: 'arazzo' },
  {
    name: 'sourceDescriptions operationId',
    text: '$sourceDescriptions.petstore.getPetById',
    expected: 'getPetById',
  },
  {
    name: 'sourceDescriptions workflowId',
    text: '$sourceDescriptions.flows.place-order',
    expected: 'place-order',
  },
  {
    name: 'components parameter',
    text: '$components.parameters.page',
    expected: { name: 'page', in: 'query', value: 1 },
  },
  {
    name: 'components dotted key',
    text: '$components.parameters.storeId.v2',
    expected: { name: 'storeId', in: 'header', value: 's' },
  },
  {
    name: 'components successAction',
    text: '$components.successActions.notify',
    expected: { name: 'notify', type: 'end' },
  },
  {
    name: 'components failureAction',
    text: '$components.failureActions.refreshToken',
    expected: { name: 'refreshToken', type: 'retry', retryLimit: 1 },
  },
  { name: 'components inputs', text: '$components.inputs.login', expected: { type: 'object' } },
];

for (const row of rows) {
  test(`evaluates ${row.name}: ${row.text}`, () => {
    assert.deepEqual(
      evaluateExpression(parseExpression(row.text), row.context ?? ctx),
      row.expected,
    );
  });
}

test('a whole-value expression returns the referenced value itself (type and identity preserved)', () => {
  const value = evaluateExpression(parseExpression('$inputs.customer'), ctx);
  assert.equal(value, ctx.inputs['customer']);
});

const misses: { name: string; text: string; why: RegExp; context?: RuntimeContext }[] = [
  { name: 'missing input', text: '$inputs.nope', why: /no input named "nope"/ },
  { name: 'missing output', text: '$outputs.nope', why: /no output named "nope"/ },
  {
    name: 'step that has not run',
    text: '$steps.later.outputs.x',
    why: /step "later" has not run/,
  },
  {
    name: 'missing step output',
    text: '$steps.someStepId.outputs.nope',
    why: /no output of step "someStepId" named "nope"/,
  },
  {
    name: 'workflow that has not run',
    text: '$workflows.bar.outputs.x',
    why: /workflow "bar" has not run/,
  },
  {
    name: 'unknown source description',
    text: '$sourceDescriptions.nope.url',
    why: /no source description "nope"/,
  },
  {
    name: 'unknown operation',
    text: '$sourceDescriptions.petstore.deletePet',
    why: /has no operation, workflow or field "deletePet"/,
  },
  {
    name: 'missing component',
    text: '$components.parameters.nope',
    why: /no components.parameters entry named "nope"/,
  },
  { name: 'missing header', text: '$response.header.X-Nope', why: /no header "X-Nope"/ },
  {
    name: 'missing query parameter',
    text: '$request.query.nope',
    why: /no query parameter "nope"/,
  },
  {
    name: 'response has no query',
    text: '$response.query.x',
    why: /a response has no query parameters/,
  },
  { name: 'pointer miss', text: '$response.body#/nope', why: /has no member "nope"/ },
  {
    name: 'pointer past the end of an array',
    text: '$response.body#/items/5',
    why: /has 2 element\(s\), so index 5 does not exist/,
  },
  {
    name: 'pointer "-" (after the last element)',
    text: '$response.body#/items/-',
    why: /not an array index/,
  },
  {
    name: 'pointer with a leading-zero index',
    text: '$response.body#/items/01',
    why: /not an array index/,
  },
  {
    name: 'pointer into a string',
    text: '$response.body#/status/x',
    why: /is a string, so the pointer cannot go into it/,
  },
  { name: 'pointer into null', text: '$response.body#/error/x', why: /is null/ },
  { name: 'member of a number', text: '$response.body.count.x', why: /is a number/ },
  { name: 'index on an object', text: '$response.body.nested[0]', why: /not an array/ },
  {
    name: 'no prototype members (__proto__)',
    text: '$response.body#/__proto__',
    why: /has no member "__proto__"/,
  },
  {
    name: 'no prototype members (constructor)',
    text: '$inputs.constructor',
    why: /no input named "constructor"/,
  },
  {
    name: 'no prototype members via dots',
    text: '$inputs.customer.toString',
    why: /has no member "toString"/,
  },
  {
    name: 'no exchange: $statusCode',
    text: '$statusCode',
    why: /no HTTP exchange/,
    context: withExchange(undefined),
  },
  {
    name: 'no exchange: $url',
    text: '$url',
    why: /no HTTP exchange/,
    context: withExchange(undefined),
  },
  {
    name: 'no exchange: $method',
    text: '$method',
    why: /no HTTP exchange/,
    context: withExchange(undefined),
  },
  {
    name: 'no exchange: request body',
    text: '$request.body',
    why: /no HTTP exchange/,
    context: withExchange(undefined),
  },
  {
    name: 'no response: $statusCode',
    text: '$statusCode',
    why: /no HTTP response/,
    context: withoutResponse(),
  },
  {
    name: 'no response: body',
    text: '$response.body#/a',
    why: /no HTTP response/,
    context: withoutResponse(),
  },
  {
    name: 'response without body',
    text: '$response.body',
    why: /has no body/,
    context: withResponse(undefined),
  },
];

function withoutResponse(): RuntimeContext {
  return {
    ...ctx,
    exchange: { url: exchange.url, method: exchange.method, request: exchange.request },
  };
}

for (const row of misses) {
  test(`does not resolve ${row.name}: ${row.text}`, () => {
    const expression = parseExpression(row.text);
    const context = row.context ?? ctx;
    assert.equal(evaluateExpression(expression, context), undefined);
    const resolution = resolveExpression(expression, context);
    assert.equal(resolution.found, false);
    if (!resolution.found) assert.match(resolution.why, row.why);
  });
}

test('header lookup also works when the caller did not lower-case names', () => {
  const context = withResponse({}, 200, { 'X-Mixed-Case': 'yes' });
  assert.equal(
    evaluateExpression(parseExpression('$response.header.x-mixed-case'), context),
    'yes',
  );
});

const splits: {
  name: string;
  dotted: string;
  keys: string[];
  expected: { key: string; members: string[] } | undefined;
}[] = [
  { name: 'exact key', dotted: 'a.b', keys: ['a.b', 'a'], expected: { key: 'a.b', members: [] } },
  {
    name: 'longest prefix',
    dotted: 'a.b.c',
    keys: ['a', 'a.b'],
    expected: { key: 'a.b', members: ['c'] },
  },
  {
    name: 'shortest prefix',
    dotted: 'a.b.c',
    keys: ['a'],
    expected: { key: 'a', members: ['b', 'c'] },
  },
  { name: 'no key', dotted: 'a.b', keys: ['b'], expected: undefined },
  { name: 'empty member', dotted: 'a..b', keys: ['a'], expected: undefined },
  { name: 'trailing dot', dotted: 'a.', keys: ['a'], expected: undefined },
];

for (const row of splits) {
  test(`splitDottedName: ${row.name}`, () => {
    assert.deepEqual(
      splitDottedName(row.dotted, (key) => row.keys.includes(key)),
      row.expected,
    );
  });
}

test('1.1 $message reads the AsyncAPI step message: header names case-insensitive, payload pointers', () => {
  const context: RuntimeContext = {
    ...ctx,
    message: { headers: { correlationId: 'c-42' }, payload: { order: { id: 7 } } },
  };
  const read = (text: string): unknown => evaluateExpression(parseExpression(text, '1.1'), context);
  assert.equal(read('$message.header.correlationid'), 'c-42');
  assert.equal(read('$message.payload#/order/id'), 7);
  assert.deepEqual(read('$message.payload'), { order: { id: 7 } });
  const missing = resolveExpression(parseExpression('$message.header.x-trace', '1.1'), context);
  assert.equal(missing.found, false);
  if (!missing.found) assert.match(missing.why, /the message has no header "x-trace"/);
  const none = resolveExpression(parseExpression('$message.payload', '1.1'), ctx);
  assert.equal(none.found, false);
  if (!none.found) assert.match(none.why, /there is no message here/);
});
