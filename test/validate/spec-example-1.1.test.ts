/**
 * The Arazzo 1.1 specification's root example (1.1 §Arazzo Specification Object Example, copied
 * verbatim to upstream/examples/1.1.0/pet-purchase.arazzo.yaml, with the AsyncAPI document it
 * names): every diagnostic is one of its real defects, named precisely (POSITIONS §11.9).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runCommand } from '../../src/cli/commands/run.js';
import { parseArazzoText } from '../../src/document/load-document.js';
import { validateFile, validateLoaded, type Diagnostic } from '../../src/validate/index.js';
import { FIXTURES, recordingIo } from './helpers.js';

const EXAMPLE = `${FIXTURES}/upstream/examples/1.1.0/pet-purchase.arazzo.yaml`;
const ASYNCAPI = `${FIXTURES}/upstream/examples/1.1.0/pet-asyncapi.yaml`;
const PETSTORE = `${FIXTURES}/spec-example-1.1/petstore.openapi.yaml`;

const STEPS = '/workflows/0/steps';

function located(d: Diagnostic) {
  return { code: d.code, severity: d.severity, pointer: d.pointer, line: d.line, column: d.column };
}

/** The defects that do not depend on the sources being loaded. */
const OWN_DEFECTS = [
  // `petstoreDescription` where `petStoreDescription` is declared (twice).
  {
    code: 'source-not-found',
    severity: 'error',
    pointer: `${STEPS}/0/operationId`,
    line: 33,
    column: 38,
  },
  {
    code: 'source-not-found',
    severity: 'error',
    pointer: `${STEPS}/1/operationPath`,
    line: 52,
    column: 42,
  },
  // The send and receive steps name their AsyncAPI operation with operationPath.
  {
    code: 'async-step-operation-path',
    severity: 'error',
    pointer: `${STEPS}/2/operationPath`,
    line: 71,
    column: 5,
  },
  // A receive step without successCriteria (a SHOULD); the send step needs none.
  {
    code: 'success-criteria-missing',
    severity: 'warning',
    pointer: `${STEPS}/3/stepId`,
    line: 81,
    column: 5,
  },
  {
    code: 'async-step-operation-path',
    severity: 'error',
    pointer: `${STEPS}/3/operationPath`,
    line: 83,
    column: 5,
  },
  // `payload-reference = "payload" ["#" json-pointer]`: no "." navigation in the 1.1 grammar.
  {
    code: 'expression-dot-navigation',
    severity: 'warning',
    pointer: `${STEPS}/3/outputs/orderId`,
    line: 88,
    column: 16,
  },
];

test('1.1 root example, offline: exactly its defects, each once', async () => {
  const result = await validateFile(EXAMPLE, { resolveRemote: false });
  assert.deepEqual(result.diagnostics.map(located), [
    {
      code: 'source-remote-skipped',
      severity: 'warning',
      pointer: '/sourceDescriptions/0/url',
      line: 11,
      column: 3,
    },
    // The github.com /blob/ URL is an HTML page, not the OpenAPI document.
    {
      code: 'source-url-html-page',
      severity: 'warning',
      pointer: '/sourceDescriptions/0/url',
      line: 11,
      column: 3,
    },
    {
      code: 'source-remote-skipped',
      severity: 'warning',
      pointer: '/sourceDescriptions/1/url',
      line: 14,
      column: 3,
    },
    ...OWN_DEFECTS,
  ]);
  const message = (code: string, pointer: string) =>
    result.diagnostics.find((d) => d.code === code && d.pointer === pointer)?.message ?? '';
  assert.match(
    message('source-url-html-page', '/sourceDescriptions/0/url'),
    /use https:\/\/raw\.githubusercontent\.com\/swagger-api\/swagger-petstore\/master\/src\/main\/resources\/openapi\.yaml$/,
  );
  assert.match(
    message('async-step-operation-path', `${STEPS}/2/operationPath`),
    /^step "purchasePetStep" sends a message \(action: send\): an AsyncAPI step names its operation with operationId or channelPath, not operationPath .*; write operationId: \$sourceDescriptions\.asyncOrderApiDescription\.placeOrder$/,
  );
  assert.match(
    message('async-step-operation-path', `${STEPS}/3/operationPath`),
    /^step "confirmPetPurchaseStep" receives a message \(action: receive\):/,
  );
  assert.match(
    message('success-criteria-missing', `${STEPS}/3/stepId`),
    /any message received matching its correlationId within its timeout will count as success/,
  );
  assert.match(
    message('expression-dot-navigation', `${STEPS}/3/outputs/orderId`),
    /\$message\.payload#\/orderId$/,
  );
});

test('1.1 root example with local sources: the missing confirmOrder operation too', async () => {
  // The two source URLs are rewritten (same lines) to the local copy of pet-asyncapi.yaml and a
  // local stand-in for the swagger petstore, so that the AsyncAPI document is read offline.
  // They must be absolute: the example's $self would resolve a relative url to api.example.com.
  const text = readFileSync(EXAMPLE, 'utf8')
    .replace(
      'https://github.com/swagger-api/swagger-petstore/blob/master/src/main/resources/openapi.yaml',
      pathToFileURL(PETSTORE).href,
    )
    .replace(
      'https://raw.githubusercontent.com/OAI/Arazzo-Specification/main/examples/1.1.0/pet-asyncapi.yaml',
      pathToFileURL(ASYNCAPI).href,
    );
  assert.notEqual(text, readFileSync(EXAMPLE, 'utf8'));
  const loaded = parseArazzoText(text, EXAMPLE, pathToFileURL(EXAMPLE).href);
  const result = await validateLoaded(loaded);
  assert.deepEqual([...(result.sources?.keys() ?? [])].sort(), [
    'asyncOrderApiDescription',
    'petStoreDescription',
  ]);
  const confirmOrder = {
    code: 'async-operation-not-found',
    severity: 'error',
    pointer: `${STEPS}/3/operationPath`,
    line: 83,
    column: 65,
  };
  const expected = [...OWN_DEFECTS];
  expected.splice(5, 0, confirmOrder);
  assert.deepEqual(result.diagnostics.map(located), expected);
  assert.equal(
    result.diagnostics.find((d) => d.code === 'async-operation-not-found')?.message,
    'AsyncAPI source "asyncOrderApiDescription" has no operation "confirmOrder" (its operations: placeOrder); ' +
      `or the channel "confirm-order": channelPath: '{$sourceDescriptions.asyncOrderApiDescription.url}#/channels/confirm-order'`,
  );
});

test('run runs AsyncAPI steps: a source with no server fails the first one in one line naming --server', async () => {
  const io = recordingIo();
  const code = await runCommand(`${FIXTURES}/async-step/valid.arazzo.yaml`, {}, io);
  assert.equal(code, 1, io.err.join(''));
  assert.equal(io.err.join(''), '');
  assert.match(
    io.out.join(''),
    /✖ {2}place {2}send orders {2}\d+ms\n {4}AsyncAPI source "orders" has no server for channel "orders"; give one with --server orders=<url>\n/,
  );
});
