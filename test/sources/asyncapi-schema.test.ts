/**
 * Which AsyncAPI message schemas are JSON Schema (and so checked by --check-responses and read
 * by correlation-location-invalid): sources/asyncapi-schema.ts, POSITIONS §11.11.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJsonSchemaFormat, messageSchema } from '../../src/sources/asyncapi-schema.js';

const rows: readonly [string, boolean][] = [
  ['application/vnd.aai.asyncapi;version=3.0.0', true],
  ['application/vnd.aai.asyncapi+json;version=2.6.0', true],
  ['application/vnd.aai.asyncapi+yaml; version=3.0.0', true],
  ['application/schema+json;version=draft-07', true],
  ['Application/Schema+YAML;version=draft-07', true],
  ['application/schema+json;version=draft-04', false],
  ['application/vnd.apache.avro;version=1.9.0', false],
  ['application/vnd.oai.openapi;version=3.0.0', false],
  ['application/raml+yaml;version=1.0', false],
];

for (const [format, json] of rows) {
  test(`schemaFormat ${format} is ${json ? '' : 'not '}JSON Schema`, () => {
    assert.equal(isJsonSchemaFormat(format), json);
  });
}

test('a Schema Object is JSON Schema; a Multi Format Schema Object carries its own format', () => {
  const plain = { type: 'object' };
  assert.deepEqual(messageSchema(plain, undefined), { kind: 'json-schema', schema: plain });
  assert.deepEqual(
    messageSchema(
      { schemaFormat: 'application/schema+json;version=draft-07', schema: plain },
      undefined,
    ),
    { kind: 'json-schema', schema: plain },
  );
  assert.deepEqual(
    messageSchema(
      { schemaFormat: 'application/vnd.apache.avro;version=1.9.0', schema: {} },
      undefined,
    ),
    { kind: 'other', format: 'application/vnd.apache.avro;version=1.9.0' },
  );
  // AsyncAPI 2.x: the message's schemaFormat is the payload's.
  assert.deepEqual(messageSchema(plain, 'application/vnd.apache.avro;version=1.9.0'), {
    kind: 'other',
    format: 'application/vnd.apache.avro;version=1.9.0',
  });
  assert.equal(messageSchema(undefined, undefined), undefined);
});
