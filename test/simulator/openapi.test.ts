// Keeps openapi/crewai-amp-rest-api-openapi.yml and the simulator honest with each other: the
// description validates, and every simulator response matches the schema documented for its
// operation and status code.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

import { startSimulator } from '../../examples/crewai/simulator/index.js';
import type { Simulator } from '../../examples/crewai/simulator/index.js';
import { call, kickoffId, resumeBody } from './helpers.js';
import type { CallOptions, Reply } from './helpers.js';

// The tests run compiled from dist/test/simulator/, three levels below the package root.
const SPEC = fileURLToPath(
  new URL('../../../openapi/crewai-amp-rest-api-openapi.yml', import.meta.url),
);
const OPERATION_IDS = [
  'healthCheck',
  'listInputs',
  'kickoffCrew',
  'getKickoffStatus',
  'resumeKickoff',
];

interface MediaType {
  schema?: object;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

let api: Document;
// Strict about unknown keywords (catches typos in the description); not about types and
// `required` without `properties`, which the `not: {required: [...]}` exclusions rely on.
const ajv = new Ajv2020({
  strictSchema: true,
  strictTypes: false,
  strictRequired: false,
  allErrors: true,
});
// ajv-formats is CommonJS: its default export is the module object under nodenext typings.
addFormatsModule.default(ajv);
const validators = new Map<object, ValidateFunction>();

void before(async () => {
  api = (await SwaggerParser.validate(SPEC)) as unknown as Document;
  // Our `x-` schema annotations are not JSON Schema keywords; declare them so strict mode accepts them.
  const xKeys = new Set<string>();
  JSON.stringify(api, (key, value: unknown) => {
    if (key.startsWith('x-')) xKeys.add(key);
    return value;
  });
  for (const key of xKeys)
    ajv.addKeyword({
      keyword: key,
      schemaType: ['boolean', 'string', 'object', 'array', 'number'],
    });
});

function validatorFor(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** Asserts that `reply` is documented for `method template` and matches the documented schema. */
function assertConforms(method: string, template: string, reply: Reply): void {
  const operation = api.paths[template]?.[method.toLowerCase()];
  assert.ok(operation, `${method} ${template} is not in the description`);
  const response = operation.responses?.[String(reply.status)];
  assert.ok(response, `${method} ${template}: status ${reply.status} is not documented`);
  const mediaType = reply.contentType.split(';')[0]?.trim() ?? '';
  const media = response.content?.[mediaType];
  assert.ok(
    media?.schema,
    `${method} ${template} ${reply.status}: content type ${mediaType} is not documented`,
  );
  const validate = validatorFor(media.schema);
  assert.ok(
    validate(reply.body),
    `${method} ${template} ${reply.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(reply.body)}`,
  );
}

async function check(
  sim: Simulator,
  method: string,
  template: string,
  path: string,
  options?: CallOptions,
): Promise<Reply> {
  const reply = await call(sim, method, path, options);
  assertConforms(method, template, reply);
  return reply;
}

void test('the description validates and keeps the operationIds the Arazzo workflows use', async () => {
  const fresh = (await SwaggerParser.validate(SPEC)) as unknown as Document;
  const ids = Object.values(fresh.paths).flatMap((item) =>
    Object.values(item).map((op) => op.operationId),
  );
  assert.deepEqual(ids.sort(), [...OPERATION_IDS].sort());
});

void test('the paused status is a marked extension; running/completed/error exclude each other', () => {
  const schema =
    api.paths['/status/{kickoff_id}']?.get?.responses?.['200']?.content?.['application/json']
      ?.schema;
  assert.ok(schema);
  const validate = validatorFor(schema);
  const ok = (body: unknown): boolean => validate(body);
  assert.ok(
    ok({
      status: 'pending_human_input',
      current_task: 't',
      progress: { completed_tasks: 0, total_tasks: 1 },
    }),
  );
  assert.ok(!ok({ status: 'running', current_task: 't', result: { output: 'x' } }));
  assert.ok(!ok({ status: 'completed', result: { output: 'x' }, error: 'e' }));
  assert.ok(!ok({ status: 'error', error: 'e', result: { output: 'x' } }));
  assert.ok(!ok({ status: 'paused' }));
  const options = (
    schema as {
      oneOf: {
        status?: unknown;
        'x-crewai-simulator-extension'?: boolean;
        properties: { status: { const: string } };
      }[];
    }
  ).oneOf;
  const extension = options.find(
    (option) => option.properties.status.const === 'pending_human_input',
  );
  assert.equal(extension?.['x-crewai-simulator-extension'], true);
  assert.equal(
    options.filter((option) => option['x-crewai-simulator-extension'] === true).length,
    1,
  );
});

void test('every simulator response matches the description', async () => {
  const sim = await startSimulator({
    taskDurationMs: 2,
    requiredInputs: ['topic'],
    tasks: [
      { id: 'research_task', agent: 'Researcher' },
      { id: 'draft_task', agent: 'Writer', humanInput: true },
      { id: 'final_task', agent: 'Editor' },
    ],
  });
  try {
    // healthCheck and listInputs
    await check(sim, 'GET', '/', '/');
    await check(sim, 'GET', '/', '/', { token: null });
    await check(sim, 'GET', '/inputs', '/inputs');
    await check(sim, 'GET', '/inputs', '/inputs', { token: 'bad' });

    // kickoffCrew: 200, 400, 401, 422
    const id = kickoffId(
      await check(sim, 'POST', '/kickoff', '/kickoff', { body: { inputs: { topic: 't' } } }),
    );
    await check(sim, 'POST', '/kickoff', '/kickoff', { body: { meta: {} } });
    await check(sim, 'POST', '/kickoff', '/kickoff', { raw: '{' });
    await check(sim, 'POST', '/kickoff', '/kickoff', { token: null, body: { inputs: {} } });
    await check(sim, 'POST', '/kickoff', '/kickoff', { body: { inputs: {} } });

    // getKickoffStatus: running, pending_human_input, completed, error, 401, 404
    const status = (path: string, options?: CallOptions): Promise<Reply> =>
      check(sim, 'GET', '/status/{kickoff_id}', path, options);
    const inProcess = sim.kickoff({ topic: 't' }, [{ id: 'slow', agent: 'S', durationMs: 60_000 }]);
    assert.equal(
      ((await status(`/status/${inProcess}`)).body as { status: string }).status,
      'running',
    );
    await sim.waitForStatus(id, 'pending_human_input', 2000);
    await status(`/status/${id}`);
    await status(`/status/${id}`, { token: null });
    await status('/status/00000000-0000-4000-8000-000000000000');
    const failing = sim.kickoff({}, [
      { id: 'x', agent: 'X', fails: 'Task execution failed', durationMs: 1 },
    ]);
    await sim.waitForStatus(failing, 'error', 2000);
    assert.equal(((await status(`/status/${failing}`)).body as { status: string }).status, 'error');

    // resumeKickoff: 400 (not pending, bad body), 401, 404 (execution, task), 200 (retrying, resumed, completed)
    const resume = (options: CallOptions): Promise<Reply> =>
      check(sim, 'POST', '/resume', '/resume', options);
    await resume({ body: resumeBody(inProcess, 'slow', true) });
    await resume({ body: { execution_id: id } });
    await resume({ raw: 'nope' });
    await resume({ token: 'bad', body: resumeBody(id, 'draft_task', true) });
    await resume({ body: resumeBody('00000000-0000-4000-8000-000000000000', 'draft_task', true) });
    await resume({ body: resumeBody(id, 'nope', true) });
    assert.equal(
      ((await resume({ body: resumeBody(id, 'draft_task', false) })).body as { status: string })
        .status,
      'retrying',
    );
    await sim.waitForStatus(id, 'pending_human_input', 2000);
    assert.equal(
      ((await resume({ body: resumeBody(id, 'draft_task', true) })).body as { status: string })
        .status,
      'resumed',
    );
    await sim.waitForStatus(id, 'completed', 2000);
    assert.equal(((await status(`/status/${id}`)).body as { status: string }).status, 'completed');

    const last = sim.kickoff({}, [{ id: 'only', agent: 'O', humanInput: true, durationMs: 1 }]);
    await sim.waitForStatus(last, 'pending_human_input', 2000);
    assert.equal(
      ((await resume({ body: resumeBody(last, 'only', true) })).body as { status: string }).status,
      'completed',
    );
  } finally {
    await sim.close();
  }
});
