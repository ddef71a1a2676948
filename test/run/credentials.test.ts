import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDocument, runWorkflow } from '../../src/index.js';
import { ROOT } from '../_helpers/cli.js';
import { startScriptServer } from '../_helpers/script-server.js';

// Credentials through the library: the request carries what the credentials say at the time
// of the run (issue 21 F15).

const DOCUMENT = join(ROOT, 'test/fixtures/run/auth-from-security-schemes/arazzo.yaml');

test('a credentials object changed between two runs sends its new token in the second', async () => {
  const server = await startScriptServer({
    'GET /me': { body: { name: 'ada' } },
    'GET /report': { body: {} },
  });
  try {
    const document = await openDocument(DOCUMENT);
    // Plain JavaScript callers can mutate what the type calls readonly.
    const credentials: Record<string, string> = { bearerAuth: 'OLD-rotated-out-token' };
    const options = { servers: { api: server.url }, credentials };
    const first = await runWorkflow(document, options);
    credentials['bearerAuth'] = 'NEW-current-token';
    const second = await runWorkflow(document, options);
    assert.equal(first.success, true);
    assert.equal(second.success, true);
    const sent = server.requests
      .filter((request) => request.url === '/me')
      .map((request) => request.headers['authorization']);
    assert.deepEqual(sent, ['Bearer OLD-rotated-out-token', 'Bearer NEW-current-token']);
  } finally {
    await server.close();
  }
});

test('a credential added to the same object between runs is used, one removed is not', async () => {
  const server = await startScriptServer({
    'GET /me': { body: { name: 'ada' } },
    'GET /report': { body: {} },
  });
  try {
    const document = await openDocument(DOCUMENT);
    const credentials: Record<string, string> = { bearerAuth: 'tok-1' };
    const options = { servers: { api: server.url }, credentials };
    await runWorkflow(document, options);
    credentials['queryKey'] = 'key-2';
    delete credentials['bearerAuth'];
    await runWorkflow(document, options);
    assert.deepEqual(
      server.requests.map((r) => `${r.url} ${String(r.headers['authorization'])}`),
      ['/me Bearer tok-1', '/report undefined', '/me undefined', '/report?api_key=key-2 undefined'],
    );
  } finally {
    await server.close();
  }
});
