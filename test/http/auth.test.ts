import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArazzoError } from '../../src/errors.js';
import { applySecurity } from '../../src/http/auth/apply-security.js';
import {
  authEnvVarName,
  credentialSecrets,
  credentialsFromEnv,
  parseAuthOption,
  parseAuthOptions,
  readCredentialsFile,
} from '../../src/http/auth/credentials.js';
import { TokenCache } from '../../src/http/auth/oauth2.js';
import type { Credentials, SecurityAdditions } from '../../src/http/auth/types.js';
import { buildRequest } from '../../src/http/build-request.js';
import { parseHeaderOption, parseHeaderOptions } from '../../src/http/header-option.js';
import type { HttpTransport } from '../../src/http/types.js';
import { UndiciTransport } from '../../src/http/undici-transport.js';
import type { OpenApiDocument, OpenApiOperation } from '../../src/sources/openapi-types.js';
import { operation, SEND, startServer, type TestServer } from './helpers.js';

/** A transport that must not be used (schemes that need no token request). */
const NO_NETWORK: HttpTransport = {
  send: () => Promise.reject(new Error('no network expected')),
};

const SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer' },
  Basic: { type: 'http', scheme: 'Basic' },
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'session' },
  oidc: {
    type: 'openIdConnect',
    openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration',
  },
  digest: { type: 'http', scheme: 'digest' },
  authCode: {
    type: 'oauth2',
    flows: {
      authorizationCode: { authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {} },
    },
  },
};

function secured(
  security: OpenApiOperation['security'],
  documentSecurity?: OpenApiDocument['security'],
) {
  return operation(
    { operation: security === undefined ? {} : { security } },
    {
      openapi: '3.1.0',
      components: { securitySchemes: SCHEMES },
      ...(documentSecurity === undefined ? {} : { security: documentSecurity }),
    },
  );
}

const rows: readonly {
  readonly name: string;
  readonly security?: OpenApiOperation['security'];
  readonly documentSecurity?: OpenApiDocument['security'];
  readonly credentials: Credentials;
  readonly expected?: Partial<SecurityAdditions>;
  readonly error?: RegExp;
}[] = [
  {
    name: 'http bearer',
    security: [{ bearer: [] }],
    credentials: { bearer: 't0k' },
    expected: { headers: { Authorization: 'Bearer t0k' }, schemes: ['bearer'] },
  },
  {
    name: 'http basic (scheme name case-insensitive)',
    security: [{ Basic: [] }],
    credentials: { Basic: 'aladdin:open sesame' },
    expected: { headers: { Authorization: 'Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==' } },
  },
  {
    name: 'apiKey in a header',
    security: [{ headerKey: [] }],
    credentials: { headerKey: 'k' },
    expected: { headers: { 'X-API-Key': 'k' } },
  },
  {
    name: 'apiKey in the query',
    security: [{ queryKey: [] }],
    credentials: { queryKey: 'k' },
    expected: { headers: {}, query: [['api_key', 'k']] },
  },
  {
    name: 'apiKey in a cookie',
    security: [{ cookieKey: [] }],
    credentials: { cookieKey: 'k' },
    expected: { headers: {}, cookies: [['session', 'k']] },
  },
  {
    name: 'an oauth2 scheme with an access token',
    security: [{ authCode: ['read'] }],
    credentials: { authCode: 'access' },
    expected: { headers: { Authorization: 'Bearer access' } },
  },
  {
    name: 'all schemes of one requirement together',
    security: [{ bearer: [], queryKey: [] }],
    credentials: { bearer: 'b', queryKey: 'q' },
    expected: {
      headers: { Authorization: 'Bearer b' },
      query: [['api_key', 'q']],
      schemes: ['bearer', 'queryKey'],
    },
  },
  {
    name: 'the first requirement whose schemes all have credentials',
    security: [{ bearer: [], queryKey: [] }, { headerKey: [] }, { bearer: [] }],
    credentials: { bearer: 'b', headerKey: 'h' },
    expected: { headers: { 'X-API-Key': 'h' }, schemes: ['headerKey'] },
  },
  {
    name: 'the document security applies when the operation has none',
    documentSecurity: [{ bearer: [] }],
    credentials: { bearer: 'b' },
    expected: { headers: { Authorization: 'Bearer b' } },
  },
  {
    name: 'operation security overrides the document',
    security: [{ headerKey: [] }],
    documentSecurity: [{ bearer: [] }],
    credentials: { bearer: 'b', headerKey: 'h' },
    expected: { headers: { 'X-API-Key': 'h' } },
  },
  {
    name: 'security: [] means none',
    security: [],
    documentSecurity: [{ bearer: [] }],
    credentials: { bearer: 'b' },
    expected: { headers: {}, schemes: [] },
  },
  {
    name: 'optional auth ({}) still uses credentials when given',
    security: [{}, { bearer: [] }],
    credentials: { bearer: 'b' },
    expected: { headers: { Authorization: 'Bearer b' } },
  },
  {
    name: 'optional auth without credentials adds nothing',
    security: [{}, { bearer: [] }],
    credentials: {},
    expected: { headers: {}, schemes: [] },
  },
  {
    name: 'no credentials: nothing, no error',
    security: [{ bearer: [] }],
    credentials: {},
    expected: { headers: {}, schemes: [] },
  },
  {
    name: 'a source-qualified credential wins',
    security: [{ bearer: [] }],
    credentials: { bearer: 'plain', 'api.bearer': 'qualified' },
    expected: { headers: { Authorization: 'Bearer qualified' } },
  },
  {
    name: 'an unsupported scheme is skipped when another one works',
    security: [{ oidc: [] }, { bearer: [] }],
    credentials: { oidc: 'x', bearer: 'b' },
    expected: { headers: { Authorization: 'Bearer b' } },
  },
  {
    name: 'openIdConnect as the only option is an error',
    security: [{ oidc: [] }],
    credentials: { oidc: 'x' },
    error: /unsupported security scheme "oidc" \(openIdConnect\)/,
  },
  {
    name: 'http digest as the only option is an error',
    security: [{ digest: [] }],
    credentials: { digest: 'x' },
    error: /unsupported security scheme "digest" \(http digest\)/,
  },
  {
    name: 'a scheme the document does not define',
    security: [{ ghost: [] }],
    credentials: { ghost: 'x' },
    error: /security scheme "ghost" is not defined by source "api"/,
  },
  {
    name: 'basic credentials must be user:password',
    security: [{ Basic: [] }],
    credentials: { Basic: 'nocolon' },
    error: /must be user:password/,
  },
];

for (const row of rows) {
  test(`security: ${row.name}`, async () => {
    const run = applySecurity(
      secured(row.security, row.documentSecurity),
      row.credentials,
      new TokenCache(),
      NO_NETWORK,
    );
    if (row.error !== undefined) {
      await assert.rejects(
        run,
        (e: unknown) => e instanceof ArazzoError && row.error!.test(e.message),
      );
      return;
    }
    const additions = await run;
    const expected = {
      headers: {},
      query: [],
      cookies: [],
      schemes: additions.schemes,
      ...row.expected,
    };
    assert.deepEqual(additions, expected);
  });
}

test('Swagger 2.0 securityDefinitions: basic and apiKey', async () => {
  const document: OpenApiDocument & { securityDefinitions: unknown } = {
    swagger: '2.0',
    securityDefinitions: {
      basicAuth: { type: 'basic' },
      key: { type: 'apiKey', in: 'query', name: 'k' },
    },
    security: [{ basicAuth: [] }, { key: [] }],
  };
  const basic = await applySecurity(
    operation({}, document),
    { basicAuth: 'u:p' },
    new TokenCache(),
    NO_NETWORK,
  );
  assert.deepEqual(basic.headers, { Authorization: 'Basic dTpw' });
  const key = await applySecurity(
    operation({}, document),
    { key: 'v' },
    new TokenCache(),
    NO_NETWORK,
  );
  assert.deepEqual(key.query, [['k', 'v']]);
});

test('the step’s own Authorization header wins over authentication (the seed workflow’s way)', async () => {
  const ref = secured([{ bearer: [] }]);
  const security = await applySecurity(ref, { bearer: 'from-auth' }, new TokenCache(), NO_NETWORK);
  const { request } = buildRequest({
    operation: ref,
    serverUrl: 'http://h',
    parameters: [{ name: 'Authorization', in: 'header', value: 'Bearer from-step' }],
    security,
  });
  assert.deepEqual(request.headers, { Authorization: 'Bearer from-step' });
});

// ---------------------------------------------------------------------------------------------
// OAuth2 client credentials against a real token endpoint on 127.0.0.1.

let server: TestServer;
const transport = new UndiciTransport();
const tokenCalls: { authorization: string | undefined; form: URLSearchParams }[] = [];
let tokenNumber = 0;
let failNext = false;

before(async () => {
  server = await startServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    if (path.endsWith('/oauth/token')) {
      tokenCalls.push({
        authorization: request.headers.authorization,
        form: new URLSearchParams(request.body.toString()),
      });
      if (failNext) {
        failNext = false;
        response
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"error":"invalid_client","error_description":"bad secret"}');
        return;
      }
      tokenNumber += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: `token-${tokenNumber}`,
          token_type: 'Bearer',
          expires_in: 3600,
        }),
      );
      return;
    }
    if (path === '/form-token') {
      tokenCalls.push({
        authorization: request.headers.authorization,
        form: new URLSearchParams(request.body.toString()),
      });
      response
        .writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' })
        .end('access_token=form-token&expires_in=60');
      return;
    }
    // The API: answers with the Authorization header it received.
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ authorization: request.headers.authorization ?? null }));
  });
});

after(async () => {
  await transport.close();
  await server.close();
});

function oauthOperation(tokenUrl: string, scopes: readonly string[] = ['pets:read']) {
  return operation(
    { path: '/me', operation: { security: [{ cc: scopes }] } },
    {
      openapi: '3.0.3',
      components: {
        securitySchemes: {
          cc: {
            type: 'oauth2',
            flows: {
              clientCredentials: { tokenUrl, scopes: { 'pets:read': '', 'pets:write': '' } },
            },
          },
        },
      },
    },
  );
}

test('oauth2 client credentials: one token request, cached for every later request', async () => {
  const before = tokenCalls.length;
  const cache = new TokenCache();
  const ref = oauthOperation(`${server.url}/oauth/token`);
  const credentials = { cc: 'my client:s3cr:t' };
  for (let index = 0; index < 3; index += 1) {
    const security = await applySecurity(ref, credentials, cache, transport, {
      signal: SEND.signal,
    });
    const { request } = buildRequest({
      operation: ref,
      serverUrl: server.url,
      parameters: [],
      security,
    });
    const response = await transport.send(request, SEND);
    assert.deepEqual(response.body, { authorization: `Bearer token-${tokenNumber}` });
  }
  assert.equal(tokenCalls.length - before, 1, 'the token endpoint is called once');
  const call = tokenCalls.at(-1);
  assert.equal(call?.form.get('grant_type'), 'client_credentials');
  assert.equal(call?.form.get('scope'), 'pets:read');
  // RFC 6749 §2.3.1: id and secret are form-encoded, then Basic-encoded.
  assert.equal(
    call?.authorization,
    `Basic ${Buffer.from('my+client:s3cr%3At').toString('base64')}`,
  );
});

test('oauth2 tokens are cached per (tokenUrl, clientId, scopes) and renewed before expires_in', async () => {
  let now = 1_000_000;
  const cache = new TokenCache({ now: () => now, marginMs: 30_000 });
  const before = tokenCalls.length;
  const read = oauthOperation(`${server.url}/oauth/token`, ['pets:read']);
  const both = oauthOperation(`${server.url}/oauth/token`, ['pets:write', 'pets:read']);
  const bothReordered = oauthOperation(`${server.url}/oauth/token`, ['pets:read', 'pets:write']);
  await applySecurity(read, { cc: 'a:b' }, cache, transport);
  await applySecurity(both, { cc: 'a:b' }, cache, transport);
  await applySecurity(bothReordered, { cc: 'a:b' }, cache, transport);
  await applySecurity(read, { cc: 'other:b' }, cache, transport);
  assert.equal(
    tokenCalls.length - before,
    3,
    'scopes in any order share a token; another client does not',
  );
  assert.equal(tokenCalls.at(-2)?.form.get('scope'), 'pets:write pets:read');
  now += 3_600_000 - 31_000; // still inside the lifetime minus the margin
  await applySecurity(read, { cc: 'a:b' }, cache, transport);
  assert.equal(tokenCalls.length - before, 3);
  now += 2_000; // inside the margin: renewed
  const renewed = await applySecurity(read, { cc: 'a:b' }, cache, transport);
  assert.equal(tokenCalls.length - before, 4);
  assert.equal(renewed.headers['Authorization'], `Bearer token-${tokenNumber}`);
});

test('concurrent requests share one token request', async () => {
  const cache = new TokenCache();
  const before = tokenCalls.length;
  const ref = oauthOperation(`${server.url}/oauth/token`);
  const results = await Promise.all(
    [1, 2, 3].map(() => applySecurity(ref, { cc: 'c:d' }, cache, transport)),
  );
  assert.equal(tokenCalls.length - before, 1);
  assert.equal(new Set(results.map((result) => result.headers['Authorization'])).size, 1);
});

test('a failed token request is a clear error and is not cached', async () => {
  const cache = new TokenCache();
  const ref = oauthOperation(`${server.url}/oauth/token`);
  failNext = true;
  await assert.rejects(
    applySecurity(ref, { cc: 'e:f' }, cache, transport),
    (e: unknown) =>
      e instanceof ArazzoError &&
      e.code === 'REQUEST_INVALID' &&
      /OAuth2 token request for security scheme "cc" \(POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token\) failed with HTTP 401 \(invalid_client: bad secret\)/.test(
        e.message,
      ),
  );
  const retried = await applySecurity(ref, { cc: 'e:f' }, cache, transport);
  assert.match(retried.headers['Authorization'] ?? '', /^Bearer token-\d+$/);
});

test('a relative tokenUrl resolves against the server URL; form-encoded token responses work', async () => {
  const ref = oauthOperation('form-token');
  const before = tokenCalls.length;
  const security = await applySecurity(ref, { cc: 'g:h' }, new TokenCache(), transport, {
    serverUrl: `${server.url}/`,
  });
  assert.equal(tokenCalls.length - before, 1);
  assert.deepEqual(security.headers, { Authorization: 'Bearer form-token' });
  const nested = oauthOperation('oauth/token');
  await applySecurity(nested, { cc: 'g:h' }, new TokenCache(), transport, {
    serverUrl: `${server.url}/v1`,
  });
  assert.equal(tokenCalls.length - before, 2, '…/v1/oauth/token');
});

test('a token endpoint that does not answer is a network error naming the scheme', async () => {
  const ref = oauthOperation('http://127.0.0.1:1/oauth/token');
  await assert.rejects(
    applySecurity(ref, { cc: 'i:j' }, new TokenCache(), transport),
    (e: unknown) =>
      e instanceof ArazzoError &&
      e.code === 'HTTP_NETWORK' &&
      /^OAuth2 token request for security scheme "cc"/.test(e.message),
  );
});

// ---------------------------------------------------------------------------------------------
// Where credentials and headers come from.

test('environment variable names for schemes', () => {
  const rows: readonly [string, string][] = [
    ['bearerAuth', 'ARAZZO_AUTH_BEARER_AUTH'],
    ['petstore_auth', 'ARAZZO_AUTH_PETSTORE_AUTH'],
    ['api-key', 'ARAZZO_AUTH_API_KEY'],
    ['crew.bearerAuth', 'ARAZZO_AUTH_CREW_BEARER_AUTH'],
    ['OAuth2', 'ARAZZO_AUTH_OAUTH2'],
    ['key2Value', 'ARAZZO_AUTH_KEY2_VALUE'],
  ];
  for (const [name, variable] of rows) assert.equal(authEnvVarName(name), variable, name);
});

test('credentials from the environment', () => {
  const env = { ARAZZO_AUTH_BEARER_AUTH: 'b', ARAZZO_AUTH_API_KEY: '', OTHER: 'x' };
  assert.deepEqual(credentialsFromEnv(env, ['bearerAuth', 'api-key', 'missing']), {
    bearerAuth: 'b',
  });
});

test('--auth options', () => {
  assert.deepEqual(parseAuthOption('bearerAuth=abc=='), ['bearerAuth', 'abc==']);
  assert.deepEqual(parseAuthOptions(['a=1', 'b=x:y', 'a=2']), { a: '2', b: 'x:y' });
  assert.throws(
    () => parseAuthOption('secretvalue'),
    (e: unknown) =>
      e instanceof ArazzoError && e.code === 'USAGE' && !/secretvalue/.test(e.message),
  );
  assert.throws(() => parseAuthOption('=x'), /--auth expects <schemeName>=<value>/);
});

test('credentials files: JSON, YAML, grouped by source; errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-auth-'));
  try {
    const json = join(dir, 'creds.json');
    await writeFile(json, '{"bearerAuth": "t", "port": 8080}');
    assert.deepEqual(await readCredentialsFile(json), { bearerAuth: 't', port: '8080' });
    const yaml = join(dir, 'creds.yaml');
    await writeFile(yaml, 'petstore:\n  api_key: k\nbasic: "u:p"\n');
    assert.deepEqual(await readCredentialsFile(yaml), { 'petstore.api_key': 'k', basic: 'u:p' });
    const empty = join(dir, 'empty.yaml');
    await writeFile(empty, '');
    assert.deepEqual(await readCredentialsFile(empty), {});
    const list = join(dir, 'list.yaml');
    await writeFile(list, '- a\n- b\n');
    await assert.rejects(
      readCredentialsFile(list),
      (e: unknown) => e instanceof ArazzoError && e.code === 'USAGE',
    );
    const nested = join(dir, 'nested.yaml');
    await writeFile(nested, 'a:\n  b: [1]\n');
    await assert.rejects(readCredentialsFile(nested), /"a\.b" must be a string/);
    await assert.rejects(
      readCredentialsFile(join(dir, 'none.json')),
      (e: unknown) => e instanceof ArazzoError && e.code === 'FILE_NOT_FOUND',
    );
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('secrets to mask include the forms credentials are sent in', () => {
  const secrets = credentialSecrets({ bearer: 'tok', basic: 'user:pass', empty: '' });
  assert.deepEqual(
    new Set(secrets),
    new Set(['tok', 'user:pass', 'pass', Buffer.from('user:pass').toString('base64')]),
  );
});

test('--header options', () => {
  const rows: readonly [string, readonly [string, string] | RegExp][] = [
    ['X-Trace: abc', ['X-Trace', 'abc']],
    ['Authorization:Bearer a:b', ['Authorization', 'Bearer a:b']],
    ['X-Empty:', ['X-Empty', '']],
    ['  X-Pad  :   v  ', ['X-Pad', 'v']],
    ['no colon', /expects 'Name: value'/],
    ['Bad Name: v', /not a valid header name/],
    [': v', /not a valid header name/],
  ];
  for (const [option, expected] of rows) {
    if (expected instanceof RegExp)
      assert.throws(() => parseHeaderOption(option), expected, option);
    else assert.deepEqual(parseHeaderOption(option), expected, option);
  }
  assert.deepEqual(parseHeaderOptions(['x-a: 1', 'X-A: 2', 'X-B: 3']), { 'X-A': '2', 'X-B': '3' });
});
