import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, runArazzo } from '../_helpers/cli.js';
import { startScriptServer, type Script } from '../_helpers/script-server.js';

/**
 * One folder per case under test/fixtures/run/: `arazzo.yaml` (+ the shared OpenAPI), and
 * `case.json` with the server script, extra CLI arguments and what must come out. The real
 * CLI runs each against a real local server.
 */
interface Case {
  readonly description: string;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /** false: do not pass `--server api=<url>` (the document's own servers are used). */
  readonly serverOverride?: boolean;
  readonly server: Script;
  readonly expect: {
    readonly exitCode: number;
    readonly success?: boolean;
    readonly outputs?: Record<string, unknown>;
    /** Step records in order: "stepId" or "stepId:attempts" or "stepId×executions". */
    readonly steps?: readonly string[];
    /** Requests in order, "METHOD /path?query". */
    readonly requests?: readonly string[];
    readonly errorCode?: string;
    readonly errorMatches?: string;
    /** Lower bound on the run's wall time, for waits the runner must honour. */
    readonly minDurationMs?: number;
    /** Upper bound on the CLI's wall time (process start to exit), for bounds the runner must keep. */
    readonly maxWallMs?: number;
    /** A pattern some step record's reasons (joined by "; ") must match. */
    readonly reasonsMatch?: string;
    /** Request headers that must have been sent, by request index. */
    readonly headers?: Record<string, Record<string, string>>;
    readonly stderrMatches?: string;
    /** Secrets that must appear in no output. */
    readonly absentFromOutput?: readonly string[];
    readonly warningMatches?: string;
    /** Request bodies that must match, by request index (regular expressions). */
    readonly bodies?: Record<string, string>;
  };
}

const FIXTURES = join(ROOT, 'test/fixtures/run');
const cases = (await readdir(FIXTURES, { withFileTypes: true })).filter(
  (d) => d.isDirectory() && !d.name.startsWith('_'),
);

for (const entry of cases) {
  const dir = join(FIXTURES, entry.name);
  const spec = JSON.parse(await readFile(join(dir, 'case.json'), 'utf8')) as Case;
  test(`${entry.name}: ${spec.description}`, async () => {
    const server = await startScriptServer(spec.server);
    try {
      const port = new URL(server.url).port;
      const args = [
        'run',
        join(dir, 'arazzo.yaml'),
        ...(spec.serverOverride === false ? [] : ['--server', `api=${server.url}`]),
        '--json',
        '--poll-interval',
        '0',
        // `{port}` and `{serverUrl}` in a case's arguments are the scripted server's.
        ...(spec.args ?? []).map((arg) =>
          arg.replaceAll('{port}', port).replaceAll('{serverUrl}', server.url),
        ),
      ];
      const started = Date.now();
      const run = await runArazzo(args, spec.env === undefined ? {} : { env: spec.env });
      const wallMs = Date.now() - started;
      const { expect } = spec;
      assert.equal(
        run.code,
        expect.exitCode,
        `exit code\nstdout: ${run.stdout}\nstderr: ${run.stderr}`,
      );
      if (expect.maxWallMs !== undefined)
        assert.ok(wallMs <= expect.maxWallMs, `the run took ${wallMs} ms`);
      if (expect.stderrMatches) assert.match(run.stderr, new RegExp(expect.stderrMatches));
      for (const [index, pattern] of Object.entries(expect.bodies ?? {})) {
        assert.match(
          server.requests[Number(index)]?.body ?? '',
          new RegExp(pattern),
          `body ${index}`,
        );
      }
      for (const secret of expect.absentFromOutput ?? []) {
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${secret} leaked`);
      }
      if (expect.requests) {
        assert.deepEqual(
          server.requests.map((r) => `${r.method} ${r.url}`),
          expect.requests,
        );
      }
      for (const [index, headers] of Object.entries(expect.headers ?? {})) {
        const request = server.requests[Number(index)];
        for (const [name, value] of Object.entries(headers))
          assert.equal(request?.headers[name.toLowerCase()], value, name);
      }
      if (expect.exitCode === 2) return;
      const result = JSON.parse(run.stdout) as {
        success: boolean;
        outputs: Record<string, unknown>;
        durationMs: number;
        steps: { stepId: string; attempts: number; executions: number; reasons?: string[] }[];
        error?: { code: string; message: string };
        warnings?: string[];
      };
      if (expect.success !== undefined) assert.equal(result.success, expect.success);
      if (expect.outputs) assert.deepEqual(result.outputs, expect.outputs);
      if (expect.steps) {
        assert.deepEqual(
          result.steps.map(
            (s) =>
              s.stepId +
              (s.attempts > 1 ? `:${s.attempts}` : '') +
              (s.executions > 1 ? `×${s.executions}` : ''),
          ),
          expect.steps,
        );
      }
      if (expect.reasonsMatch) {
        const pattern = new RegExp(expect.reasonsMatch);
        assert.ok(
          result.steps.some((s) => pattern.test((s.reasons ?? []).join('; '))),
          JSON.stringify(result.steps),
        );
      }
      if (expect.warningMatches)
        assert.match((result.warnings ?? []).join('\n'), new RegExp(expect.warningMatches));
      if (expect.errorCode)
        assert.equal(result.error?.code, expect.errorCode, JSON.stringify(result.error));
      if (expect.errorMatches)
        assert.match(result.error?.message ?? '', new RegExp(expect.errorMatches));
      if (expect.minDurationMs !== undefined)
        assert.ok(result.durationMs >= expect.minDurationMs, `ran ${result.durationMs} ms`);
    } finally {
      await server.close();
    }
  });
}
