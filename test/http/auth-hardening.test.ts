import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArazzoError } from '../../src/errors.js';
import { credentialFor } from '../../src/http/auth/apply-security.js';
import {
  bareCredentialWarnings,
  credentialSecrets,
  credentialsFromEnv,
  parseAuthOption,
  readCredentialsFile,
} from '../../src/http/auth/credentials.js';
import { parseHeaderOption } from '../../src/http/header-option.js';

// Issue 21: F10 (user-named keys meet objects), F14 (a bare credential for several sources),
// F16 (credentials files and malformed options).

test('credentialFor reads own properties only: Object.prototype members are no credentials', () => {
  for (const name of ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__']) {
    assert.equal(credentialFor({}, 'api', name), undefined, name);
  }
  const nullProto = Object.assign(Object.create(null) as Record<string, string>, {
    'api.toString': 'scoped',
  });
  assert.equal(credentialFor(nullProto, 'api', 'toString'), 'scoped');
  assert.equal(credentialFor({ constructor: 'given' }, 'api', 'constructor'), 'given');
});

test('a scheme named __proto__ is a name like any other in the environment and in files', async () => {
  const fromEnv = credentialsFromEnv({ ARAZZO_AUTH_PROTO: 'env-tok' }, ['__proto__']);
  assert.ok(Object.hasOwn(fromEnv, '__proto__'));
  assert.equal(credentialFor(fromEnv, 'api', '__proto__'), 'env-tok');
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-auth-proto-'));
  try {
    const file = join(dir, 'creds.json');
    await writeFile(file, '{"__proto__": "file-tok", "api": {"__proto__": "scoped"}}');
    const fromFile = await readCredentialsFile(file);
    assert.equal(credentialFor(fromFile, 'other', '__proto__'), 'file-tok');
    assert.equal(credentialFor(fromFile, 'api', '__proto__'), 'scoped');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a bare credential matching schemes in several sources is named once, never its value', () => {
  const sources = new Map([
    ['api', ['bearerAuth', 'queryKey']],
    ['other', ['bearerAuth']],
    ['third', ['queryKey', 'bearerAuth']],
  ]);
  const warnings = bareCredentialWarnings(
    { bearerAuth: 'secret-value-1', queryKey: 'secret-value-2', 'api.queryKey': 'k' },
    sources,
  );
  assert.deepEqual(warnings, [
    'the credential for "bearerAuth" goes to every source declaring that scheme (api, other, third); scope it with <source>.bearerAuth=<value>, e.g. --auth api.bearerAuth=…',
  ]);
  // queryKey: api has its own scoped credential, so the bare one reaches third only.
  assert.ok(!warnings.join('\n').includes('secret-value'));
});

test('no warning for one source, for scoped credentials, or for schemes nobody declares', () => {
  const sources = new Map([
    ['api', ['bearerAuth']],
    ['other', ['otherAuth']],
  ]);
  assert.deepEqual(bareCredentialWarnings({ bearerAuth: 'x', missing: 'y' }, sources), []);
  const both = new Map([
    ['api', ['bearerAuth']],
    ['other', ['bearerAuth']],
  ]);
  assert.deepEqual(
    bareCredentialWarnings({ 'api.bearerAuth': 'x', 'other.bearerAuth': 'y' }, both),
    [],
  );
  assert.deepEqual(
    bareCredentialWarnings({ bearerAuth: 'x', 'other.bearerAuth': 'y' }, both),
    [],
    'the bare one reaches api only',
  );
});

test('a malformed --auth echoes none of its value', () => {
  for (const option of ['SECRETTOKENNOEQ', '=abcdefSECRET', ' =abcdefSECRET', '']) {
    assert.throws(
      () => parseAuthOption(option),
      (e: unknown) =>
        e instanceof ArazzoError &&
        e.code === 'USAGE' &&
        e.message === '--auth expects <schemeName>=<value> (or <source>.<schemeName>=<value>)',
      JSON.stringify(option),
    );
  }
});

test('a malformed --header echoes none of it', () => {
  for (const option of ['Bearer SECRET-abc', 'Authorization Bearer abc:def', 'Bad Name: v']) {
    assert.throws(
      () => parseHeaderOption(option),
      (e: unknown) =>
        e instanceof ArazzoError &&
        !/SECRET|abc|Bearer|Bad Name/.test(e.message) &&
        /^--header/.test(e.message),
      option,
    );
  }
});

test('credentials files: a device or a file over 16 MiB is refused before it is read', async () => {
  const started = performance.now();
  await assert.rejects(
    readCredentialsFile('/dev/zero'),
    (e: unknown) =>
      e instanceof ArazzoError &&
      e.code === 'FILE_UNREADABLE' &&
      e.message === 'credentials file /dev/zero: not a regular file',
  );
  assert.ok(performance.now() - started < 1000, 'refused at once, not read');
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-auth-file-'));
  try {
    const big = join(dir, 'big.yaml');
    const handle = await open(big, 'w');
    await handle.truncate(16 * 1024 * 1024 + 1); // sparse: no 16 MiB written
    await handle.close();
    await assert.rejects(
      readCredentialsFile(big),
      (e: unknown) =>
        e instanceof ArazzoError &&
        e.code === 'FILE_TOO_LARGE' &&
        e.message.startsWith(`credentials file ${big}: 16777217 bytes`),
    );
    await assert.rejects(
      readCredentialsFile(dir),
      (e: unknown) => e instanceof ArazzoError && e.code === 'FILE_UNREADABLE',
    );
    await assert.rejects(
      readCredentialsFile(join(dir, 'none.yaml')),
      (e: unknown) =>
        e instanceof ArazzoError &&
        e.code === 'FILE_NOT_FOUND' &&
        e.message === `credentials file ${join(dir, 'none.yaml')} does not exist`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('secrets to mask include the Basic header of the OAuth2 token request', () => {
  // RFC 6749 §2.3.1: id and secret are form-encoded before base64.
  const secrets = credentialSecrets({ oauth: 'my client:s3cret value!' });
  assert.ok(secrets.includes(Buffer.from('my+client:s3cret+value%21').toString('base64')));
  assert.ok(secrets.includes(Buffer.from('my client:s3cret value!').toString('base64')));
});
