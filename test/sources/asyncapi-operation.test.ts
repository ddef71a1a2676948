import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { asyncApiSource } from '../../src/sources/asyncapi.js';
import { resolveAsyncOperation } from '../../src/sources/asyncapi-operation.js';

const PET = fileURLToPath(
  new URL(
    '../../../test/fixtures/validate/upstream/examples/1.1.0/pet-asyncapi.yaml',
    import.meta.url,
  ),
);

async function pet(): Promise<Readonly<Record<string, unknown>>> {
  const source = await asyncApiSource(
    'orders',
    pathToFileURL(PET).href,
    parse(readFileSync(PET, 'utf8')),
  );
  assert.equal(typeof source.dereferenced, 'object', JSON.stringify(source.dereferenced));
  return source.dereferenced as Readonly<Record<string, unknown>>;
}

test('an operation resolves to its channel, its messages with their correlation, and the servers', async () => {
  const resolved = resolveAsyncOperation('orders', await pet(), { operationId: 'placeOrder' });
  assert.ok(resolved.ok, resolved.ok ? '' : resolved.message);
  const { operation } = resolved;
  assert.equal(operation.channelKey, 'place-order');
  assert.equal(operation.address, 'place-order');
  assert.deepEqual(
    operation.messages.map((m) => [
      m.name,
      m.contentType,
      m.correlation?.in,
      m.correlation?.tokens,
    ]),
    [['placeOrder.message', 'application/json', 'header', ['orderRequestId']]],
  );
  assert.deepEqual(operation.servers, [
    { name: 'localKafka', protocol: 'kafka', url: 'kafka://localhost:9092', security: [] },
  ]);
});

test('a server names its security schemes: 3.0 by the dereferenced object, 2.x by key', () => {
  const scheme = { type: 'userPassword' };
  const v3 = {
    asyncapi: '3.0.0',
    servers: { s: { host: 'h:1', protocol: 'mqtt', security: [scheme, { type: 'X509' }] } },
    channels: { c: { address: 'c', messages: { m: { payload: {} } } } },
    components: { securitySchemes: { login: scheme } },
  };
  const v2 = {
    asyncapi: '2.6.0',
    servers: {
      s: { url: 'mqtt://h:1', protocol: 'mqtt', security: [{ login: [] }, { cert: [] }] },
    },
    channels: { c: { publish: { operationId: 'o', message: { payload: {} } } } },
    components: { securitySchemes: { login: { type: 'userPassword' }, cert: { type: 'X509' } } },
  };
  const three = resolveAsyncOperation('src', v3, { channelKey: 'c' });
  const two = resolveAsyncOperation('src', v2, { operationId: 'o' });
  assert.ok(three.ok && two.ok);
  // A scheme object not found under components (written inline) has no name to take a credential by.
  assert.deepEqual(three.operation.servers[0]?.security, [{ name: 'login', type: 'userPassword' }]);
  assert.deepEqual(two.operation.servers[0]?.security, [
    { name: 'login', type: 'userPassword' },
    { name: 'cert', type: 'X509' },
  ]);
});

test('a channel resolves by its key; an unknown operation or channel is named', async () => {
  const document = await pet();
  const channel = resolveAsyncOperation('orders', document, { channelKey: 'confirm-order' });
  assert.ok(channel.ok);
  assert.equal(channel.operation.operationId, undefined);
  assert.equal(channel.operation.messages[0]?.name, 'confirmOrder.message');
  const missing = resolveAsyncOperation('orders', document, { operationId: 'confirmOrder' });
  assert.deepEqual(missing, {
    ok: false,
    message: 'AsyncAPI source "orders" has no operation "confirmOrder"',
  });
  const noChannel = resolveAsyncOperation('orders', document, { channelKey: 'nope' });
  assert.deepEqual(noChannel, {
    ok: false,
    message: 'AsyncAPI source "orders" has no channel "nope"',
  });
});

test('AsyncAPI 2.x: the channel key is the address, operations by operationId, server url as written', async () => {
  const data = {
    asyncapi: '2.6.0',
    info: { title: 't', version: '1' },
    defaultContentType: 'application/json',
    servers: {
      local: {
        url: 'mqtt://127.0.0.1:{port}',
        protocol: 'mqtt',
        variables: { port: { default: '1883' } },
      },
    },
    channels: {
      'orders/{id}': {
        parameters: { id: { schema: { type: 'string', default: 'x' } } },
        publish: {
          operationId: 'sendOrder',
          message: { name: 'Order', payload: { type: 'object' } },
        },
      },
    },
  };
  const source = await asyncApiSource('o', 'file:///tmp/o.yaml', data);
  const resolved = resolveAsyncOperation('o', source.dereferenced as Record<string, unknown>, {
    operationId: 'sendOrder',
  });
  assert.ok(resolved.ok);
  assert.equal(resolved.operation.address, 'orders/{id}');
  assert.deepEqual([...resolved.operation.parameters], [['id', { default: 'x' }]]);
  assert.equal(resolved.operation.messages[0]?.contentType, 'application/json');
  assert.equal(resolved.operation.servers[0]?.url, 'mqtt://127.0.0.1:1883');
});

test('an external $ref is not followed: the operation using it is refused, naming it', async () => {
  const data = {
    asyncapi: '3.0.0',
    info: { title: 't', version: '1' },
    channels: { c: { address: 'c', messages: { m: { $ref: './other.yaml#/Message' } } } },
    operations: { send: { action: 'send', channel: { $ref: '#/channels/c' } } },
  };
  const source = await asyncApiSource('o', 'file:///tmp/o.yaml', data);
  const resolved = resolveAsyncOperation('o', source.dereferenced as Record<string, unknown>, {
    operationId: 'send',
  });
  assert.deepEqual(resolved, {
    ok: false,
    message:
      'message "m" of channel "c" is the external $ref ./other.yaml#/Message, which is not followed',
  });
});
