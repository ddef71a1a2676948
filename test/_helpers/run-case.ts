import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import type { Script, ScriptServer } from './script-server.js';

/**
 * One folder per case under test/fixtures/run/: `arazzo.yaml` (+ the shared OpenAPI), and
 * `case.json` with the server script, extra CLI arguments and what must come out. The same
 * cases run in-process (test/run/fixtures.test.ts) and, a few of them, through the binary
 * (test/run/fixtures-binary.test.ts), each against a real local server.
 */
export interface RunCase {
  readonly description: string;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /**
   * false: run without `--json`, for cases about the terminal output (`stdoutMatches`); what
   * only the JSON result says (`success`, `outputs`, `steps`, …) is then not checked.
   */
  readonly json?: boolean;
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
    /** Lower bound on the run's duration (on its clock), for waits the runner must honour. */
    readonly minDurationMs?: number;
    /** Upper bound on the run's wall time, for bounds the runner must keep (real time). */
    readonly maxWallMs?: number;
    /** A pattern some step record's reasons (joined by "; ") must match. */
    readonly reasonsMatch?: string;
    /** Request headers that must have been sent, by request index. */
    readonly headers?: Record<string, Record<string, string>>;
    /** Request headers that must not have been sent, by request index. */
    readonly absentHeaders?: Record<string, readonly string[]>;
    readonly stderrMatches?: string;
    /** Patterns the terminal output (a `json: false` case's stdout) must each match. */
    readonly stdoutMatches?: readonly string[];
    /** Secrets that must appear in no output. */
    readonly absentFromOutput?: readonly string[];
    readonly warningMatches?: string;
    /** Request bodies that must match, by request index (regular expressions). */
    readonly bodies?: Record<string, string>;
  };
}

export interface LoadedCase {
  readonly name: string;
  readonly dir: string;
  readonly spec: RunCase;
}

/** What a run printed and how it ended, from the binary or in-process. */
export interface CaseRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from start to exit. */
  readonly wallMs: number;
}

/** The `--json` result, as far as the cases look at it. */
export interface CaseResult {
  readonly success: boolean;
  readonly outputs: Record<string, unknown>;
  readonly durationMs: number;
  readonly steps: readonly {
    stepId: string;
    attempts: number;
    executions: number;
    reasons?: string[];
  }[];
  readonly error?: { code: string; message: string };
  readonly warnings?: string[];
}

const FIXTURES = join(ROOT, 'test/fixtures/run');

export async function loadRunCases(): Promise<LoadedCase[]> {
  const entries = (await readdir(FIXTURES, { withFileTypes: true })).filter(
    (d) => d.isDirectory() && !d.name.startsWith('_'),
  );
  const cases = [];
  for (const entry of entries) {
    const dir = join(FIXTURES, entry.name);
    const spec = JSON.parse(await readFile(join(dir, 'case.json'), 'utf8')) as RunCase;
    cases.push({ name: entry.name, dir, spec });
  }
  return cases;
}

/** `arazzo run` arguments for a case against `server`. */
export function caseArgs({ dir, spec }: LoadedCase, server: ScriptServer): string[] {
  const port = new URL(server.url).port;
  return [
    'run',
    join(dir, 'arazzo.yaml'),
    ...(spec.serverOverride === false ? [] : ['--server', `api=${server.url}`]),
    ...(spec.json === false ? [] : ['--json']),
    '--poll-interval',
    '0',
    // `{port}` and `{serverUrl}` in a case's arguments are the scripted server's.
    ...(spec.args ?? []).map((arg) =>
      arg.replaceAll('{port}', port).replaceAll('{serverUrl}', server.url),
    ),
  ];
}

/**
 * Checks what a case expects of a run; returns its `--json` result (undefined for exit 2,
 * which prints none). `minDurationMs` is left to the caller: its clock decides what it means.
 */
export function checkCase(
  spec: RunCase,
  run: CaseRun,
  server: ScriptServer,
): CaseResult | undefined {
  const { expect } = spec;
  assert.equal(
    run.code,
    expect.exitCode,
    `exit code\nstdout: ${run.stdout}\nstderr: ${run.stderr}`,
  );
  if (expect.maxWallMs !== undefined)
    assert.ok(run.wallMs <= expect.maxWallMs, `the run took ${run.wallMs} ms`);
  if (expect.stderrMatches) assert.match(run.stderr, new RegExp(expect.stderrMatches));
  for (const [index, pattern] of Object.entries(expect.bodies ?? {})) {
    assert.match(server.requests[Number(index)]?.body ?? '', new RegExp(pattern), `body ${index}`);
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
  for (const [index, names] of Object.entries(expect.absentHeaders ?? {})) {
    const request = server.requests[Number(index)];
    assert.ok(request !== undefined, `request ${index} was not sent`);
    for (const name of names)
      assert.equal(request.headers[name.toLowerCase()], undefined, `${name} was sent`);
  }
  for (const pattern of expect.stdoutMatches ?? [])
    assert.match(run.stdout, new RegExp(pattern, 'u'), 'stdout');
  if (expect.exitCode === 2 || spec.json === false) return undefined;
  const result = JSON.parse(run.stdout) as CaseResult;
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
  return result;
}
