/**
 * One RuntimeContext with something behind every expression form, shared by the expression and
 * criteria tests. `withExchange` / `withoutExchange` vary the HTTP part.
 */
import type { ExchangeView, RuntimeContext } from '../../src/expressions/index.js';

export const exchange: ExchangeView = {
  url: 'https://api.example.com/pets/42?verbose=true',
  method: 'GET',
  request: {
    headers: { accept: 'application/json', 'x-request-id': 'req-1' },
    query: { verbose: 'true', 'filter.name': 'rex' },
    path: { petId: '42' },
    body: { user: { uuid: 'u-1' } },
  },
  response: {
    statusCode: 200,
    headers: {
      'content-type': 'application/json',
      'x-rate-limit-remaining': '17',
      server: 'nginx',
    },
    body: {
      status: 'Running',
      count: 3,
      ok: true,
      done: false,
      error: null,
      ratio: 0.5,
      id: '0042',
      name: "O'Brien",
      items: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
      tags: ['x', 'y'],
      'a/b': 'slash',
      'm~n': 'tilde',
      '': 'empty key',
      nested: { deep: { value: 'v' } },
    },
  },
};

export const ctx: RuntimeContext = {
  inputs: {
    token: 'secret',
    username: 'ann',
    pet_id: 42,
    threshold: 2,
    customer: { firstName: 'Ann', address: { city: 'Oslo' } },
    'dotted.name': 'dotted',
    flags: [true, false],
    nothing: null,
  },
  outputs: { bar: 'workflow-bar', mappedResponse: { name: 'mapped' } },
  steps: {
    someStepId: { outputs: { pets: [{ id: 7 }, { id: 8 }], token: 'tok', 'out.put': 'dots' } },
    'step-2': { outputs: { n: 0 } },
  },
  workflows: {
    foo: {
      inputs: { username: 'bob' },
      outputs: { bar: 'foo-bar', mappedResponse: { name: 'Rex' } },
    },
  },
  sourceDescriptions: {
    petstore: {
      url: 'https://example.com/petstore.yaml',
      type: 'openapi',
      ids: new Set(['getPetById', 'url-like']),
    },
    flows: {
      url: 'https://example.com/flows.arazzo.yaml',
      type: 'arazzo',
      ids: new Set(['place-order']),
    },
  },
  components: {
    parameters: {
      page: { name: 'page', in: 'query', value: 1 },
      'storeId.v2': { name: 'storeId', in: 'header', value: 's' },
    },
    successActions: { notify: { name: 'notify', type: 'end' } },
    failureActions: { refreshToken: { name: 'refreshToken', type: 'retry', retryLimit: 1 } },
    inputs: { login: { type: 'object' } },
  },
  exchange,
};

/** The same context with a different (or no) HTTP exchange. */
export function withExchange(patch: Partial<ExchangeView> | undefined): RuntimeContext {
  if (patch === undefined) {
    const { inputs, outputs, steps, workflows, sourceDescriptions, components } = ctx;
    return { inputs, outputs, steps, workflows, sourceDescriptions, components };
  }
  return { ...ctx, exchange: { ...exchange, ...patch } };
}

/** The context with a response body / status replaced. */
export function withResponse(
  body: unknown,
  statusCode = 200,
  headers: Record<string, string> = {},
): RuntimeContext {
  return { ...ctx, exchange: { ...exchange, response: { statusCode, headers, body } } };
}
