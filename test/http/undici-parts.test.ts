import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as undici from 'undici';
import { Agent, FormData, errors, request } from '../../src/http/undici-parts.js';
import { startScriptServer } from '../_helpers/script-server.js';

// undici-parts.ts imports undici's modules one by one (its index costs ~35 ms of every start).
// They must stay the objects the index exports: an undici upgrade that moves or replaces one
// fails here.

test('each part is the object undici’s index exports under that name', () => {
  assert.equal(Agent, undici.Agent);
  assert.equal(FormData, undici.FormData);
  assert.equal(errors, undici.errors);
});

test('request(dispatcher, url, options) sends what undici.request(url, options) sends', async () => {
  const server = await startScriptServer({ 'POST /things': { body: { ok: true } } });
  const dispatcher = new Agent();
  try {
    const url = `${server.url}/things?a=1&b=%20`;
    const options = {
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', 'x-n': '1' },
      body: '{"a":1}',
    };
    const ours = await request(dispatcher, url, options);
    const theirs = await undici.request(url, { ...options, dispatcher });
    assert.equal(ours.statusCode, 200);
    assert.deepEqual(await ours.body.json(), await theirs.body.json());
    const [first, second] = server.requests;
    assert.ok(first && second);
    assert.equal(first.url, '/things?a=1&b=%20');
    assert.deepEqual(
      { method: first.method, url: first.url, headers: first.headers, body: first.body },
      { method: second.method, url: second.url, headers: second.headers, body: second.body },
    );
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('request sends each URL to its own origin and path, one after another', async () => {
  const one = await startScriptServer({ 'GET /a': { body: 'a' }, 'GET /b': { body: 'b' } });
  const two = await startScriptServer({ 'GET /a': { body: 'other a' } });
  const dispatcher = new Agent();
  try {
    const urls = [`${one.url}/a`, `${one.url}/b?x=1`, `${two.url}/a`, `${one.url}/a`];
    const bodies = [];
    for (const url of urls)
      bodies.push(await (await request(dispatcher, url, { method: 'GET' })).body.text());
    assert.deepEqual(bodies, ['a', 'b', 'other a', 'a']);
    assert.deepEqual(
      one.requests.map((r) => r.url),
      ['/a', '/b?x=1', '/a'],
    );
  } finally {
    await dispatcher.close();
    await one.close();
    await two.close();
  }
});
