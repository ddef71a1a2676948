import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runArazzo } from '../_helpers/cli.js';
import { caseArgs, checkCase, loadRunCases } from '../_helpers/run-case.js';
import { startScriptServer } from '../_helpers/script-server.js';

/**
 * Smoke cases of test/fixtures/run/ through the bundled binary, as installed, on the real clock:
 * a paced poll that really waits, an OAuth2 secret that stays out of a real process's output,
 * the run deadline's real timer, and a document refused with exit 2. The in-process suite
 * (fixtures.test.ts) runs every case.
 */
const SMOKE = ['poll-paced', 'oauth2-client-credentials', 'run-timeout', 'unknown-operation'];

const cases = (await loadRunCases()).filter((fixture) => SMOKE.includes(fixture.name));
test('the smoke cases exist', () => assert.equal(cases.length, SMOKE.length));

for (const fixture of cases) {
  const { spec } = fixture;
  test(`binary ${fixture.name}: ${spec.description}`, async () => {
    const server = await startScriptServer(spec.server);
    try {
      const started = Date.now();
      const run = {
        ...(await runArazzo(caseArgs(fixture, server), { env: spec.env ?? {} })),
        wallMs: Date.now() - started,
      };
      const result = checkCase(spec, run, server);
      const min = spec.expect.minDurationMs;
      if (min !== undefined && result !== undefined)
        assert.ok(result.durationMs >= min, `ran ${result.durationMs} ms`);
    } finally {
      await server.close();
    }
  });
}
