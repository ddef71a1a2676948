/**
 * Property-based tests (fast-check, fixed seeds) for the request side: `buildRequest` and the
 * OpenAPI parameter serializers. Arbitrary operations (well-formed and hostile), parameter
 * names, values, styles and payloads yield a request or an `ArazzoError` — never another
 * exception — and a built request is well-formed. `form` and `simple` serializations of
 * primitive and array values round-trip where the OAS/RFC 6570 rules make them lossless.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ArazzoError } from '../../src/errors.js';
import {
  buildRequest,
  type EvaluatedParameter,
  type RequestPlan,
} from '../../src/http/build-request.js';
import {
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
  type SerializationRule,
} from '../../src/http/serialize-parameters.js';
import type { OperationRef } from '../../src/sources/operations.js';
import type { ParameterLocation } from '../../src/document/types.js';
import { Redactor } from '../../src/report/redact.js';

const SEED = 20_240_611;
const runs = (numRuns: number) => ({ numRuns, seed: SEED });

// ---------------------------------------------------------------------------------------------
// Arbitraries

const LOCATIONS: readonly ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
const STYLES = [
  'matrix',
  'label',
  'form',
  'simple',
  'spaceDelimited',
  'pipeDelimited',
  'deepObject',
  'bogus',
] as const;
const MEDIA_TYPES = [
  'application/json',
  'application/problem+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/xml',
  'text/plain',
  'text/plain; charset=latin1',
  'application/octet-stream',
  'image/png',
  '*/*',
  'application/*',
  'application/vnd.weird',
  '',
  ';;;',
  'json',
] as const;

/** Strings that make serializers and URL builders work: delimiters, escapes, non-ASCII. */
const nasty = fc.constantFrom(
  '',
  ' ',
  ',',
  ';',
  '=',
  '&',
  '?',
  '#',
  '/',
  '%',
  '%2C',
  '%zz',
  '+',
  '[',
  ']',
  '{',
  '}',
  '{id}',
  '.',
  '..',
  '|',
  '\t',
  '\r\n',
  '\u0000',
  'é',
  '😀',
  '\uD800',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
const name = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('id', 'q', 'X-Trace', 'color', 'Accept', 'Content-Type'),
  },
  { weight: 2, arbitrary: text },
);
/** Header names: mostly RFC 9110 tokens, sometimes anything. */
const headerName = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,11}$/) },
  { weight: 1, arbitrary: name },
);
/** Header values: mostly printable, sometimes with CR, LF or NUL. */
const headerValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }).filter((v) => !/[\r\n\0]/.test(v)) },
  { weight: 1, arbitrary: text },
);

/** Values a parameter or payload can evaluate to: JSON values, bytes, undefined. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: text },
  { weight: 2, arbitrary: fc.array(fc.oneof(text, fc.integer(), fc.boolean()), { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(text, fc.oneof(text, fc.integer()), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, Number.NaN, -0, 1e21, Infinity) },
);

/** A Parameter Object as a (valid) OpenAPI 3.x / Swagger 2.0 description would write it. */
const definition = fc.record(
  {
    name,
    in: fc.constantFrom('path', 'query', 'header', 'cookie', 'formData', 'body'),
    required: fc.boolean(),
    style: fc.constantFrom(...STYLES),
    explode: fc.boolean(),
    allowReserved: fc.boolean(),
    content: fc.dictionary(fc.constantFrom(...MEDIA_TYPES), fc.constant({}), { maxKeys: 1 }),
    collectionFormat: fc.constantFrom('csv', 'ssv', 'tsv', 'pipes', 'multi', 'weird'),
  },
  { requiredKeys: ['name', 'in'] },
);

/** Path templates: literal segments as OpenAPI writes them, and `{name}` with any name. */
const pathTemplate = fc
  .array(
    fc.oneof(
      fc.constantFrom('things', 'v1', ''),
      name.map((n) => `{${n}}`),
    ),
    {
      maxLength: 4,
    },
  )
  .map((segments) => `/${segments.join('/')}`);

/** Hostile templates: literal text a URL cannot carry as is, and odd `{…}`. */
const hostileTemplate = fc
  .array(
    fc.oneof(
      fc.constantFrom('a b', '%', '..', '?x', '#', '{', '}'),
      text.map((n) => `{${n}}`),
    ),
    {
      maxLength: 4,
    },
  )
  .map((segments) => `/${segments.join('/')}`);

const encoding = fc.dictionary(
  text,
  fc.record(
    {
      contentType: fc.constantFrom(...MEDIA_TYPES, 'application/json, text/plain'),
      style: fc.constantFrom(...STYLES),
      explode: fc.boolean(),
      allowReserved: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  { maxKeys: 3 },
);

const requestBody = fc.record(
  {
    required: fc.boolean(),
    content: fc.dictionary(
      fc.constantFrom(...MEDIA_TYPES),
      fc.record({ encoding }, { requiredKeys: [] }),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: [] },
);

const wellFormedOperation: fc.Arbitrary<OperationRef> = fc
  .record({
    swagger2: fc.boolean(),
    method: fc.constantFrom('get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'),
    path: pathTemplate,
    pathParameters: fc.array(definition, { maxLength: 2 }),
    parameters: fc.array(definition, { maxLength: 5 }),
    requestBody: fc.option(requestBody, { nil: undefined }),
    consumes: fc.option(fc.array(fc.constantFrom(...MEDIA_TYPES), { maxLength: 2 }), {
      nil: undefined,
    }),
  })
  .map((shape) => ({
    sourceName: 'api',
    sourceUrl: 'https://api.example.com/openapi.yaml',
    document: shape.swagger2 ? { swagger: '2.0' } : { openapi: '3.1.0' },
    path: shape.path,
    method: shape.method,
    pathItem: { parameters: shape.pathParameters },
    operation: {
      parameters: shape.parameters,
      ...(shape.requestBody === undefined ? {} : { requestBody: shape.requestBody }),
      ...(shape.consumes === undefined ? {} : { consumes: shape.consumes }),
    },
  }));

const parameter: fc.Arbitrary<EvaluatedParameter> = fc.oneof(
  fc.record({ name, in: fc.constantFrom(...LOCATIONS), value }),
  fc.record({ name: headerName, in: fc.constant('header' as const), value }),
);

type Plan = RequestPlan & { readonly serverUrl: string };

/** The (name, in) pairs an operation knows: its path template names and its definitions. */
function knownParameters(operation: OperationRef): { name: string; in: ParameterLocation }[] {
  const known: { name: string; in: ParameterLocation }[] = [
    ...operation.path.matchAll(/\{([^}]*)\}/g),
  ].map((match) => ({
    name: match[1] ?? '',
    in: 'path',
  }));
  for (const list of [operation.pathItem.parameters, operation.operation.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      const candidate = item as { name?: unknown; in?: unknown } | null;
      if (
        typeof candidate?.name === 'string' &&
        (LOCATIONS as readonly unknown[]).includes(candidate.in)
      ) {
        known.push({ name: candidate.name, in: candidate.in as ParameterLocation });
      }
    }
  }
  return known;
}

/**
 * A request plan for an operation: step parameters that mostly match what the operation
 * defines (so that serialization, not the missing-parameter check, is what gets exercised),
 * some that do not, an optional payload, default headers and security additions.
 */
const plan = (operation: fc.Arbitrary<OperationRef>): fc.Arbitrary<Plan> =>
  operation.chain((op) => {
    // Each parameter the operation knows is given (mostly), plus a few it does not know.
    const known = fc
      .tuple(
        ...knownParameters(op).map((key) =>
          fc.option(
            value.map((v) => ({ name: key.name, in: key.in, value: v })),
            { freq: 8, nil: undefined },
          ),
        ),
      )
      .map((list) => list.filter((item) => item !== undefined));
    return fc.record(
      {
        operation: fc.constant(op),
        serverUrl: fc.constantFrom('https://api.example.com', 'http://127.0.0.1:8080/base', ''),
        parameters: fc.tuple(known, fc.array(parameter, { maxLength: 3 })).chain(([given, extra]) =>
          fc.shuffledSubarray([...given, ...extra], {
            minLength: given.length + extra.length,
          }),
        ),
        body: fc.record({
          contentType: fc.option(fc.constantFrom(...MEDIA_TYPES), { nil: undefined }),
          value,
        }),
        defaultHeaders: fc.dictionary(headerName, headerValue, { maxKeys: 2 }),
        security: fc.record({
          headers: fc.dictionary(headerName, headerValue, { maxKeys: 2 }),
          query: fc.array(fc.tuple(name, text), { maxLength: 2 }),
          cookies: fc.array(fc.tuple(name, text), { maxLength: 2 }),
          schemes: fc.constant([]),
        }),
      },
      { requiredKeys: ['operation', 'serverUrl', 'parameters'] },
    );
  });

/** Runs `build`; anything it throws must be an ArazzoError. */
function typedOutcome<T>(build: () => T): T | ArazzoError {
  try {
    return build();
  } catch (error) {
    if (error instanceof ArazzoError) return error;
    throw new Error(
      `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      { cause: error },
    );
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// ---------------------------------------------------------------------------------------------
// Never another exception

/**
 * What a built request must satisfy. Each check throws with a fixed first message line, which
 * names the class of failure in the report of `failureClasses`.
 */
function checkBuilt(input: Plan): ArazzoError | undefined {
  const outcome = typedOutcome(() => buildRequest(input));
  if (outcome instanceof ArazzoError) {
    assert.equal(outcome.code, 'REQUEST_INVALID', 'an ArazzoError other than REQUEST_INVALID');
    return outcome;
  }
  const { request, view } = outcome;
  const rest = request.url.slice(input.serverUrl.length);
  assert.equal(request.method, input.operation.method.toUpperCase(), 'method');
  assert.ok(request.url.startsWith(input.serverUrl), 'the URL does not start with the server');
  // Everything after the server is percent-encoded ASCII: no space, no raw non-ASCII.
  assert.ok(!/[\s\u0080-\uffff]/.test(rest), `unencoded text in the URL\n${rest}`);
  if (input.serverUrl !== '') {
    assert.doesNotThrow(() => new URL(request.url), 'the URL does not parse');
  }
  for (const [header, headerValue] of Object.entries(request.headers)) {
    assert.ok(TOKEN.test(header), `a header name that is not a token\n${header}`);
    assert.ok(!/[\r\n\0]/.test(headerValue), `CR, LF or NUL in a header value\n${header}`);
  }
  const lower = Object.keys(request.headers).map((header) => header.toLowerCase());
  assert.equal(new Set(lower).size, lower.length, 'a header sent twice');
  assert.equal(view.url, request.url, '$url differs from the URL sent');
  assert.equal(view.method, request.method, '$method differs from the method sent');
  return undefined;
}

/**
 * Every distinct failure (an exception other than ArazzoError, or a broken check), keyed by the
 * first line of its message, with the shortest input that raised it: a complete report rather
 * than the first failure only.
 */
function failureClasses<T>(inputs: readonly T[], check: (input: T) => unknown): string[] {
  const found = new Map<string, { input: string; detail: string }>();
  for (const input of inputs) {
    try {
      check(input);
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const message = cause instanceof Error ? cause.message : String(cause);
      const key =
        cause instanceof Error && !(cause instanceof assert.AssertionError)
          ? `${cause.name}: ${message.split('\n')[0] ?? ''}`
          : (message.split('\n')[0] ?? '');
      const shown = fc.stringify(input);
      const known = found.get(key);
      if (known === undefined || shown.length < known.input.length) {
        const where =
          cause instanceof assert.AssertionError
            ? message.split('\n').slice(1, 3).join(' ')
            : cause instanceof Error
              ? (cause.stack ?? '').split('\n').slice(1, 3).join('\n')
              : '';
        found.set(key, { input: shown, detail: where });
      }
    }
  }
  return [...found].map(([key, { input, detail }]) => `${key}\n${detail}\n  input: ${input}`);
}

/**
 * Inputs that hit a bug reported (and pinned by a `todo` test below) in a file this suite does
 * not own; left out here so that this property guards everything else.
 */
function knownBug(input: Plan): boolean {
  const protoNames = input.operation.path.match(/\{([^}]*)\}/g) ?? [];
  const pathNames = [
    ...protoNames.map((braced) => braced.slice(1, -1)),
    ...input.parameters.filter((p) => p.in === 'path').map((p) => p.name),
  ];
  // build-request.ts keeps path texts in a plain object: `{__proto__}` reads Object.prototype.
  if (pathNames.includes('__proto__')) return true;
  // serialize-body.ts encodeFormComponent: a lone surrogate throws URIError.
  if (/[\uD800-\uDFFF]/.test(fc.stringify(input.body?.value))) return true;
  return false;
}

test('buildRequest: arbitrary parameters and payloads → a well-formed request or an ArazzoError', (t) => {
  const inputs = fc
    .sample(plan(wellFormedOperation), { numRuns: 4000, seed: SEED })
    .filter((input) => !knownBug(input));
  let built = 0;
  const refusals = new Map<string, number>();
  const failures = failureClasses(inputs, (input) => {
    const refused = checkBuilt(input);
    if (refused === undefined) built += 1;
    else {
      // The refusal's kind: its message without names and values.
      const kind = refused.message.replace(/"[^"]*"|\S*[/{}]\S*/g, '…');
      refusals.set(kind, (refusals.get(kind) ?? 0) + 1);
    }
  });
  t.diagnostic(`${inputs.length} plans: ${built} built, ${inputs.length - built} refused`);
  for (const [kind, count] of [...refusals].sort((a, b) => b[1] - a[1]).slice(0, 5))
    t.diagnostic(`  ${count} × ${kind}`);
  assert.deepEqual(failures, [], failures.join('\n\n'));
  assert.ok(built > inputs.length / 4, `only ${built} of ${inputs.length} plans were built`);
});

/**
 * Hostile OpenAPI descriptions: the operation's own fields with the wrong types (parameters
 * that are not lists, `content`/`encoding` entries that are null or numbers, a string
 * `consumes`). Sources are someone else's documents, so these must not crash either.
 */
const junk = fc.oneof(
  fc.constantFrom(null, 0, 7, true, '', 'application/json', [], {}, [null], { a: null }),
  fc.jsonValue({ maxDepth: 2 }),
);
const hostileOperation: fc.Arbitrary<OperationRef> = fc
  .record({
    swagger2: fc.boolean(),
    path: fc.oneof(pathTemplate, hostileTemplate),
    parameters: fc.oneof(junk, fc.array(fc.oneof(junk, definition), { maxLength: 4 })),
    pathParameters: junk,
    requestBody: fc.oneof(
      junk,
      fc.record({
        required: junk,
        content: fc.oneof(
          junk,
          fc.dictionary(
            fc.constantFrom(...MEDIA_TYPES),
            fc.oneof(junk, fc.record({ encoding: fc.oneof(junk, fc.dictionary(text, junk)) })),
            { maxKeys: 2 },
          ),
        ),
      }),
    ),
    consumes: junk,
    documentConsumes: junk,
  })
  .map((shape) => ({
    sourceName: 'api',
    sourceUrl: 'https://api.example.com/openapi.yaml',
    document: (shape.swagger2
      ? { swagger: '2.0', consumes: shape.documentConsumes }
      : { openapi: '3.1.0' }) as OperationRef['document'],
    path: shape.path,
    method: 'post' as const,
    pathItem: { parameters: shape.pathParameters } as OperationRef['pathItem'],
    operation: {
      parameters: shape.parameters,
      requestBody: shape.requestBody,
      consumes: shape.consumes,
    } as OperationRef['operation'],
  }));

test('buildRequest: a hostile OpenAPI operation (fields of the wrong type) → a request or an ArazzoError', () => {
  const inputs = fc.sample(plan(hostileOperation), { numRuns: 3000, seed: SEED });
  const failures = failureClasses(inputs, (input) => typedOutcome(() => buildRequest(input)));
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

const rule: fc.Arbitrary<SerializationRule> = fc.oneof(
  fc.record({
    kind: fc.constant('style' as const),
    style: fc.constantFrom(...STYLES.filter((style) => style !== 'bogus')),
    explode: fc.boolean(),
    allowReserved: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('content' as const), mediaType: fc.constantFrom(...MEDIA_TYPES) }),
  fc.record({
    kind: fc.constant('collection' as const),
    format: fc.constantFrom('csv', 'ssv', 'tsv', 'pipes', 'multi'),
  }),
);

test('serializers: any rule, name and value → text, never an exception', () => {
  fc.assert(
    fc.property(rule, name, value, (r, n, v) => {
      const path = serializePathParameter(n, v, r);
      const query = serializeQueryParameter(n, v, r);
      const header = serializeHeaderParameter(v, r);
      assert.equal(typeof path, 'string');
      assert.equal(typeof header, 'string');
      // Path and query text is percent-encoded: nothing outside printable ASCII, no space.
      assert.doesNotMatch(path, /[^\x21-\x7e]/, path);
      for (const pair of query) assert.doesNotMatch(pair, /[^\x21-\x7e]/, pair);
    }),
    runs(3000),
  );
});

// ---------------------------------------------------------------------------------------------
// Round trips
//
// Where the rules are lossless (checked below):
// - `form` query, primitive string: `name=value` → URLSearchParams.get(name) is the string.
//   Numbers and booleans arrive as their text (`String(v)`); parsing it back gives the same
//   number for finite values other than -0 ("0"), so those are checked as text.
// - `form` query, array of strings, explode=true: one `name=item` per item → getAll(name).
// - `form` query, array of strings, explode=false: `name=a,b` with each item percent-encoded
//   (a `,` inside an item is `%2C`), so splitting the raw value on `,` before decoding is exact.
// - `simple` path, array of strings: the same comma rule, percent-encoded.
// - `simple` header, array of strings without `,`: headers are not percent-encoded (OAS
//   Appendix D), so an item containing `,` cannot be told from two items — lossy there.
// Lossy everywhere, hence not checked: an empty array (RFC 6570 "undefined": nothing is sent),
// nested arrays/objects inside an array (sent as JSON text), string vs number vs boolean items
// (all text), lone surrogates (sent as U+FFFD), and `allowReserved` (an item written `%41`
// arrives as `A`).

/** Well-formed strings (no lone surrogates), delimiters and escapes included. */
const wellFormed = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 10 }),
  nasty.filter((s) => s !== '\uD800'),
);
const FORM_EXPLODE: SerializationRule = {
  kind: 'style',
  style: 'form',
  explode: true,
  allowReserved: false,
};
const FORM: SerializationRule = { ...FORM_EXPLODE, explode: false };
const SIMPLE: SerializationRule = { ...FORM, style: 'simple' };

/** The raw (still encoded) value of each `name=value` pair. */
function rawValues(pairs: readonly string[], encodedName: string): string[] {
  return pairs
    .map((pair) => {
      const index = pair.indexOf('=');
      return index < 0 ? [pair, ''] : [pair.slice(0, index), pair.slice(index + 1)];
    })
    .filter(([key]) => key === encodedName)
    .map(([, raw]) => raw ?? '');
}

test('form query, primitive: name=value round-trips through URLSearchParams', () => {
  fc.assert(
    fc.property(
      wellFormed,
      fc.oneof(wellFormed, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()),
      (n, v) => {
        for (const r of [FORM, FORM_EXPLODE]) {
          const params = new URLSearchParams(serializeQueryParameter(n, v, r).join('&'));
          assert.deepEqual(params.getAll(n), [String(v)]);
          if (typeof v === 'number' && !Object.is(v, -0)) {
            assert.equal(Number(params.get(n)), v);
          }
        }
      },
    ),
    runs(2000),
  );
});

test('form query, array, explode=true: one pair per item, getAll gives the items back', () => {
  fc.assert(
    fc.property(wellFormed, fc.array(wellFormed, { minLength: 1, maxLength: 6 }), (n, items) => {
      const params = new URLSearchParams(serializeQueryParameter(n, items, FORM_EXPLODE).join('&'));
      assert.deepEqual(params.getAll(n), items);
    }),
    runs(2000),
  );
});

test('form query, array, explode=false: split on the literal comma, then decode', () => {
  fc.assert(
    fc.property(wellFormed, fc.array(wellFormed, { minLength: 1, maxLength: 6 }), (n, items) => {
      const pairs = serializeQueryParameter(n, items, FORM);
      assert.equal(pairs.length, 1);
      const raw = rawValues(pairs, encodeURIComponent(n).replace(/[!'()*]/g, percent));
      assert.equal(raw.length, 1);
      assert.deepEqual((raw[0] ?? '').split(',').map(decodeURIComponent), items);
    }),
    runs(2000),
  );
});

test('simple path, primitive and array: percent-decoding (and splitting arrays) round-trips', () => {
  fc.assert(
    fc.property(
      fc.oneof(wellFormed, fc.array(wellFormed, { minLength: 1, maxLength: 6 })),
      fc.boolean(),
      (v, explode) => {
        const out = serializePathParameter('p', v, { ...SIMPLE, explode });
        assert.doesNotMatch(out, /[/?#]/, 'a path segment stays one segment');
        const decoded = Array.isArray(v)
          ? out.split(',').map(decodeURIComponent)
          : decodeURIComponent(out);
        assert.deepEqual(decoded, v);
      },
    ),
    runs(2000),
  );
});

test('simple path via buildRequest: the URL path segment decodes to the value', () => {
  // "." and ".." are the dot-segment bug pinned by a todo test below.
  const segment = wellFormed.filter((v) => v !== '.' && v !== '..');
  fc.assert(
    fc.property(segment, (v) => {
      const { request } = buildRequest({
        operation: {
          sourceName: 'api',
          sourceUrl: 'https://api.example.com/openapi.yaml',
          document: { openapi: '3.1.0' },
          path: '/things/{id}/x',
          method: 'get',
          pathItem: {},
          operation: { parameters: [{ name: 'id', in: 'path', required: true }] },
        },
        serverUrl: 'https://api.example.com',
        parameters: [{ name: 'id', in: 'path', value: v }],
      });
      const url = new URL(request.url);
      const segment = url.pathname.split('/')[2] ?? '';
      assert.equal(url.pathname.split('/').length, 4, url.pathname);
      assert.equal(decodeURIComponent(segment), v);
    }),
    runs(1500),
  );
});

test('simple header, array of comma-free items: splitting on "," round-trips', () => {
  const headerSafe = wellFormed.filter((s) => !/[,\r\n\0]/.test(s));
  fc.assert(
    fc.property(fc.array(headerSafe, { minLength: 1, maxLength: 6 }), (items) => {
      assert.deepEqual(serializeHeaderParameter(items, SIMPLE).split(','), items);
    }),
    runs(2000),
  );
});

test('form query via buildRequest: URLSearchParams of the URL gives every item back', () => {
  fc.assert(
    fc.property(
      fc.array(wellFormed, { minLength: 1, maxLength: 5 }),
      wellFormed,
      (items, single) => {
        const { request } = buildRequest({
          operation: {
            sourceName: 'api',
            sourceUrl: 'https://api.example.com/openapi.yaml',
            document: { openapi: '3.1.0' },
            path: '/things',
            method: 'get',
            pathItem: {},
            operation: {
              parameters: [
                { name: 'tags', in: 'query', style: 'form', explode: true },
                { name: 'one', in: 'query' },
              ],
            },
          },
          serverUrl: 'https://api.example.com',
          parameters: [
            { name: 'tags', in: 'query', value: items },
            { name: 'one', in: 'query', value: single },
          ],
        });
        const params = new URL(request.url).searchParams;
        assert.deepEqual(params.getAll('tags'), items);
        assert.deepEqual(params.getAll('one'), [single]);
      },
    ),
    runs(1500),
  );
});

// ---------------------------------------------------------------------------------------------
// Bugs found by the properties above, each pinned by its smallest input (all fixed).

const op = (path: string, operation: OperationRef['operation'] = {}): OperationRef => ({
  sourceName: 'api',
  sourceUrl: 'https://api.example.com/openapi.yaml',
  document: { openapi: '3.1.0' },
  path,
  method: 'post',
  pathItem: {},
  operation,
});

test('a path parameter named __proto__ is a name like any other', () => {
  const { request } = buildRequest({
    operation: op('/things/{__proto__}'),
    serverUrl: 'https://api.example.com',
    parameters: [{ name: '__proto__', in: 'path', value: 'x' }],
  });
  assert.equal(request.url, 'https://api.example.com/things/x');
});

for (const [style, value] of [
  ['simple', '..'],
  ['simple', '.'],
  ['label', '.'],
] as const) {
  test(`a ${style} path parameter ${JSON.stringify(value)} that would make a dot segment is refused`, () => {
    const outcome = typedOutcome(() =>
      buildRequest({
        operation: op('/users/{id}/delete', { parameters: [{ name: 'id', in: 'path', style }] }),
        serverUrl: 'https://api.example.com',
        parameters: [{ name: 'id', in: 'path', value }],
      }),
    );
    if (outcome instanceof ArazzoError) return;
    const { pathname } = new URL(outcome.request.url);
    assert.match(pathname, /^\/users\/[^/]+\/delete$/, `${outcome.request.url} → ${pathname}`);
  });
}

test('a lone surrogate in a form-urlencoded payload is sent as U+FFFD, not a URIError', () => {
  const outcome = typedOutcome(() =>
    buildRequest({
      operation: op('/things'),
      serverUrl: 'https://api.example.com',
      parameters: [],
      body: { contentType: 'application/x-www-form-urlencoded', value: { a: '\uD800' } },
    }),
  );
  if (!(outcome instanceof ArazzoError)) assert.equal(outcome.request.body, 'a=%EF%BF%BD');
});

// Found by the hostile-operation property: fields of the wrong type are treated as absent.
for (const [label, operation, contentType, body] of [
  ['operation.consumes: 7', { consumes: 7 }, 'application/json', '{"a":1}'],
  ['operation.consumes: [null]', { consumes: [null] }, 'application/json', '{"a":1}'],
  [
    'an encoding entry that is null',
    ENCODING({ a: null }),
    'application/x-www-form-urlencoded',
    'a=1',
  ],
  [
    'an encoding contentType: 5',
    ENCODING({ a: { contentType: 5 } }),
    'application/x-www-form-urlencoded',
    'a=1',
  ],
  [
    'a parameter with content: null',
    { parameters: [{ name: 'a', in: 'query', content: null }] },
    'application/json',
    '{"a":1}',
  ],
] as const) {
  test(`OpenAPI field of the wrong type, ${label}: treated as absent`, () => {
    const { request } = buildRequest({
      operation: op('/things', operation as OperationRef['operation']),
      serverUrl: 'https://api.example.com',
      parameters: [{ name: 'a', in: 'query', value: 1 }],
      body: { contentType: undefined, value: { a: 1 } },
    });
    assert.equal(request.url, 'https://api.example.com/things?a=1');
    assert.equal(request.headers['content-type'], contentType);
    assert.equal(request.body, body);
  });
}

function ENCODING(encoding: Record<string, unknown>): unknown {
  return { requestBody: { content: { 'application/x-www-form-urlencoded': { encoding } } } };
}

function percent(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

// ---------------------------------------------------------------------------------------------
// Redaction (issue 21 F5): whatever the secret, the encodings the request builder sends it in
// are masked. Checked by decoding, not by listing encodings: after redaction, no query value,
// form field or JSON string of the request, decoded as a server would, still holds the secret.

/** Characters that every encoding treats differently: RFC 6570, form, JSON, allowReserved. */
const SECRET_CHARS = [...'abcXYZ019 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\t\n\u0001é€😀'];
const secret = fc.oneof(
  fc.string({ unit: fc.constantFrom(...SECRET_CHARS), minLength: 8, maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 8, maxLength: 16 }),
);

/** Every string a server would decode from `text`: query/form values, and JSON inside them. */
function decodedStrings(text: string, into: string[] = []): string[] {
  into.push(text);
  try {
    collectJsonStrings(JSON.parse(text) as unknown, into);
  } catch {
    // not JSON text
  }
  return into;
}

function collectJsonStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') decodedStrings(value, into);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) collectJsonStrings(item, into);
}

test('redaction: a secret sent in a query, allowReserved, JSON content, a form or JSON body, nested or not, decodes to no secret', () => {
  fc.assert(
    fc.property(
      secret,
      fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
      (value, contentType) => {
        const { request } = buildRequest({
          operation: op('/things', {
            parameters: [
              { name: 'q', in: 'query' },
              { name: 'r', in: 'query', allowReserved: true },
              { name: 'c', in: 'query', content: { 'application/json': {} } },
            ],
          } as OperationRef['operation']),
          serverUrl: 'https://api.example.com',
          parameters: [
            { name: 'q', in: 'query', value },
            { name: 'r', in: 'query', value },
            { name: 'c', in: 'query', value: { db: { password: value } } },
          ],
          body: { contentType, value: { pw: value, config: { db: { password: value } } } },
        });
        const redactor = new Redactor([value]);
        const url = new URL(redactor.text(request.url));
        assert.equal(typeof request.body, 'string');
        const body = redactor.text(typeof request.body === 'string' ? request.body : '');
        const strings = [
          ...[...url.searchParams.values()].flatMap((text) => decodedStrings(text)),
          ...(contentType === 'application/json'
            ? decodedStrings(body)
            : [...new URLSearchParams(body).values()].flatMap((text) => decodedStrings(text))),
        ];
        const leak = strings.find((text) => text.includes(value));
        assert.equal(leak, undefined, `${JSON.stringify(value)} left in ${url.href} / ${body}`);
      },
    ),
    runs(1500),
  );
});
