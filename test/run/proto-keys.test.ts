/**
 * User-named keys called `__proto__` (issue 21, F9), through the library: an output, a step, a
 * workflow and an input of that name are plain members of plain objects. Nothing of a server's
 * `{"__proto__": {...}}` body becomes inherited, and the result survives JSON as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDocument, runWorkflow, type RunEvent } from '../../src/index.js';
import { ROOT } from '../_helpers/cli.js';
import { startScriptServer } from '../_helpers/script-server.js';

const DOCUMENT = join(ROOT, 'test/fixtures/run/proto-names/arazzo.yaml');
const BODY = '{"__proto__": {"polluted": "yes"}, "status": "ok"}';

test('outputs, steps, workflows and inputs named __proto__ are own members', async () => {
  const server = await startScriptServer({
    'GET /status': { body: BODY, headers: { 'content-type': 'application/json' } },
  });
  try {
    const scope = await openDocument(DOCUMENT);
    const events: RunEvent[] = [];
    const result = await runWorkflow(scope, {
      workflowId: 'main',
      servers: { api: server.url },
      pollIntervalMs: 0,
      // JSON.parse makes "__proto__" an own key, as a caller's parsed inputs file would.
      inputs: JSON.parse('{"__proto__": {"lib": 1}}') as Record<string, unknown>,
      onEvent: (event) => events.push(event),
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    const outputs = result.outputs;
    assert.equal(Object.getPrototypeOf(outputs), Object.prototype, 'a plain object');
    assert.ok(Object.hasOwn(outputs, '__proto__'), 'the output named __proto__ is a member');
    assert.equal((outputs as Record<string, unknown>)['polluted'], undefined, 'nothing inherited');
    assert.deepEqual(Object.keys(outputs), [
      '__proto__',
      'fromProtoStep',
      'echoed',
      'viaWorkflows',
      'input',
    ]);
    assert.deepEqual(
      JSON.parse(JSON.stringify(outputs)),
      JSON.parse(
        '{"__proto__":{"polluted":"yes"},"fromProtoStep":{"polluted":"yes"},"echoed":"ok","viaWorkflows":"ok","input":{"lib":1}}',
      ),
    );
    // The step outputs reported in events are own members too.
    const get = events.find((event) => event.type === 'step-finished' && event.stepId === 'get');
    const stepOutputs = get?.type === 'step-finished' ? get.outputs : {};
    assert.ok(Object.hasOwn(stepOutputs, '__proto__'));
    assert.equal((stepOutputs as Record<string, unknown>)['polluted'], undefined);
  } finally {
    await server.close();
  }
});
