import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArazzo } from '../_helpers/cli.js';
import { runInTerminal } from '../_helpers/pty.js';

// `arazzo run --data` end to end: the real binary, one run per row of a data file, against a
// real local server (fixtures in test/fixtures/run-data/<case>/, the workflow in _shared/).

const DIR = 'test/fixtures/run-data';
const DOC = `${DIR}/_shared/rows.arazzo.yaml`;
const SECRET = 'row-secret-Zq81x';

interface EchoServer {
  readonly url: string;
  /** The JSON bodies POSTed, in arrival order. */
  readonly bodies: Record<string, unknown>[];
  /** The ids answered, in the order answered. */
  readonly answered: unknown[];
  /** The most requests in flight at once. */
  readonly maxInFlight: () => number;
  close(): Promise<void>;
}

/** POST /things answers 201 with the body it got (500 for id "bad"), after `delayMs(body)`. */
async function startEchoServer(
  delayMs: (body: Record<string, unknown>) => number,
): Promise<EchoServer> {
  const bodies: Record<string, unknown>[] = [];
  const answered: unknown[] = [];
  let inFlight = 0;
  let max = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    max = Math.max(max, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
        string,
        unknown
      >;
      bodies.push(body);
      setTimeout(() => {
        inFlight -= 1;
        answered.push(body['id']);
        res.writeHead(body['id'] === 'bad' ? 500 : 201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }, delayMs(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    answered,
    maxInFlight: () => max,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface DataReport {
  workflowId: string;
  rows: {
    row: number;
    success: boolean;
    inputs: Record<string, unknown>;
    outputs: { echoed?: Record<string, unknown> };
    durationMs: number;
    error?: { code: string; message: string; stepId?: string };
  }[];
  summary: { rows: number; passed: number; failed: number; durationMs: number };
  success: boolean;
}

async function withServer(
  run: (server: EchoServer) => Promise<void>,
  delayMs: (body: Record<string, unknown>) => number = () => 0,
): Promise<void> {
  const server = await startEchoServer(delayMs);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

test('CSV: integer and boolean cells coerced by the input schema, an empty cell is no input, --json per row with secrets masked', () =>
  withServer(async (server) => {
    const out = await runArazzo([
      'run',
      DOC,
      '--server',
      server.url,
      '--data',
      `${DIR}/csv-coercion/rows.csv`,
      '--input',
      `apiToken=${SECRET}`,
      '--json',
    ]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stderr, '');
    const report = JSON.parse(out.stdout) as DataReport;
    assert.equal(report.workflowId, 'create');
    assert.deepEqual(report.summary.rows, 3);
    assert.equal(report.summary.passed, 3);
    assert.equal(report.success, true);
    assert.deepEqual(
      report.rows.map((r) => r.row),
      [1, 2, 3],
    );
    const [first, second, third] = report.rows;
    assert.deepEqual(first?.outputs.echoed, {
      id: 'alpha',
      count: 3,
      verbose: true,
      note: 'first',
    });
    // " 7 " is the integer 7, "false" the boolean; the empty note cell leaves the default.
    assert.deepEqual(second?.outputs.echoed, {
      id: 'beta',
      count: 7,
      verbose: false,
      note: 'none',
    });
    assert.equal(Object.hasOwn(second?.inputs ?? {}, 'note'), false);
    // Quoted cells: a comma inside, doubled quotes.
    assert.equal(third?.outputs.echoed?.['id'], 'gam,ma');
    assert.equal(third?.outputs.echoed?.['note'], 'say "hi"');
    for (const row of report.rows) assert.equal(row.inputs['apiToken'], '***');
    assert.ok(!out.stdout.includes(SECRET), 'the secret input is never printed');
    assert.equal(server.bodies.length, 3);
  }));

test('JSON Lines: one object per line (blank lines skipped), row values over --input values, one line per row and a summary', () =>
  withServer(async (server) => {
    const out = await runArazzo([
      'run',
      DOC,
      '--server',
      server.url,
      '--data',
      `${DIR}/jsonl/rows.jsonl`,
      '--input',
      'verbose=false',
      '--input',
      'note=common',
    ]);
    assert.equal(out.code, 0, out.stderr);
    // No progress line when stderr is not a terminal.
    assert.equal(out.stderr, '');
    assert.match(
      out.stdout,
      /^✔ row 1 {2}\d+ms\n✔ row 2 {2}\d+ms\n\n2 passed, 0 failed of 2 rows in /,
    );
    assert.deepEqual(server.bodies, [
      { id: 'one', count: 1, verbose: true, note: 'common' },
      { id: 'two', count: 2, verbose: false, note: 'n2' },
    ]);
  }));

test('JSON: an array of objects, read whole', () =>
  withServer(async (server) => {
    const out = await runArazzo([
      'run',
      DOC,
      '--server',
      server.url,
      '--data',
      `${DIR}/json-array/rows.json`,
      '--json',
    ]);
    assert.equal(out.code, 0, out.stderr);
    const report = JSON.parse(out.stdout) as DataReport;
    assert.deepEqual(
      report.rows.map((r) => [r.row, r.success, r.outputs.echoed?.['id']]),
      [
        [1, true, 'a'],
        [2, true, 'b'],
      ],
    );
  }));

test('a row the server fails: that row fails with its step and reason, the others pass, exit 1; --junit has a testcase per row', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-run-data-'));
  try {
    await withServer(async (server) => {
      const junit = join(dir, 'junit.xml');
      const args = ['run', DOC, '--server', server.url, '--data', `${DIR}/failing-row/rows.csv`];
      const out = await runArazzo([...args, '--junit', junit]);
      assert.equal(out.code, 1, out.stderr);
      const lines = out.stdout.split('\n');
      assert.match(lines[0] ?? '', /^✔ row 1 /);
      assert.match(lines[1] ?? '', /^✖ row 2 {2}\d+ms {2}.*"post".*500/);
      assert.match(lines[2] ?? '', /^✔ row 3 /);
      assert.match(out.stdout, /^2 passed, 1 failed of 3 rows in .*\nfailed rows: 2$/m);
      assert.equal(server.bodies.length, 3);

      const xml = await readFile(junit, 'utf8');
      assert.match(xml, /<testsuites name="arazzo run --data" tests="3" failures="1"/);
      assert.match(xml, /<testsuite name="create" tests="3" failures="1"/);
      assert.equal(xml.match(/<testcase /g)?.length, 3);
      assert.match(xml, /<testcase name="row 2" classname="create"[^>]*>\s*<failure [^>]*500/);
      assert.match(xml, /<testcase name="row 3" classname="create" time="[\d.]+"\/>/);

      const json = JSON.parse((await runArazzo([...args, '--json'])).stdout) as DataReport;
      assert.deepEqual(json.summary.passed, 2);
      assert.equal(json.success, false);
      assert.equal(json.rows[1]?.error?.stepId, 'post');
      assert.equal(json.rows[1]?.error?.code, 'STEP_FAILED');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a row missing a required input, or with a value its type refuses, fails without a request; the others run', () =>
  withServer(async (server) => {
    const out = await runArazzo([
      'run',
      DOC,
      '--server',
      server.url,
      '--data',
      `${DIR}/missing-required/rows.csv`,
    ]);
    assert.equal(out.code, 1, out.stderr);
    assert.match(out.stdout, /^✔ row 1 /m);
    assert.match(out.stdout, /^✖ row 2 .*missing required input: count/m);
    assert.match(out.stdout, /^✖ row 3 .*count must be integer/m);
    assert.deepEqual(server.bodies, [{ id: 'fine', count: 1, note: 'none' }]);
  }));

test('a malformed CSV: one line naming file and line, exit 2, nothing run', () =>
  withServer(async (server) => {
    const out = await runArazzo([
      'run',
      DOC,
      '--server',
      server.url,
      '--data',
      `${DIR}/malformed-csv/rows.csv`,
    ]);
    assert.equal(out.code, 2, out.stderr);
    assert.equal(out.stdout, '');
    assert.match(
      out.stderr,
      /^arazzo: --data test\/fixtures\/run-data\/malformed-csv\/rows\.csv:\d+: /,
    );
    assert.equal(out.stderr.trimEnd().split('\n').length, 1);
    assert.equal(server.bodies.length, 0, 'the row before the malformed line is not run either');
  }));

test('--concurrency 4: requests overlap, output stays in row order', () =>
  withServer(
    async (server) => {
      const out = await runArazzo([
        'run',
        DOC,
        '--server',
        server.url,
        '--data',
        `${DIR}/concurrency/rows.csv`,
        '--concurrency',
        '4',
      ]);
      assert.equal(out.code, 0, out.stderr);
      assert.ok(server.maxInFlight() > 1, `in flight at once: ${server.maxInFlight()}`);
      assert.ok(server.maxInFlight() <= 4, `in flight at once: ${server.maxInFlight()}`);
      const rows = [...out.stdout.matchAll(/^✔ row (\d+) /gm)].map((m) => Number(m[1]));
      assert.deepEqual(
        rows,
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      // Earlier rows answered later: the report waits for them, the server did not.
      assert.notDeepEqual(server.answered, [...server.answered].sort(byRow));
    },
    // Row n waits (13 - n) × 15ms: within each batch of four, the last row ends first.
    (body) => (13 - Number(body['count'])) * 15,
  ));

const byRow = (a: unknown, b: unknown): number =>
  Number(String(a).slice(1)) - Number(String(b).slice(1));

test('usage errors: an unknown data format, --data with --durable, --concurrency without --data', async () => {
  const unknown = await runArazzo(['run', DOC, '--data', `${DIR}/rows.txt`]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^arazzo: --data .*rows\.txt: unknown format "\.txt"/);
  assert.equal(unknown.stderr.trimEnd().split('\n').length, 1);
  const durable = await runArazzo(['run', DOC, '--data', `${DIR}/jsonl/rows.jsonl`, '--durable']);
  assert.equal(durable.code, 2);
  assert.match(durable.stderr, /^arazzo: --data cannot be used with --durable/);
  const concurrency = await runArazzo(['run', DOC, '--concurrency', '2']);
  assert.equal(concurrency.code, 2);
  assert.match(concurrency.stderr, /--concurrency is for --data/);
});

test('on a terminal, a progress line rewritten in place on stderr, cleared before the summary', () =>
  withServer(async (server) => {
    const out = await runInTerminal(
      ['run', DOC, '--server', server.url, '--data', `${DIR}/concurrency/rows.csv`],
      { env: { NO_COLOR: '1' } },
    );
    assert.equal(out.code, 0, out.output);
    // The first row done and the last are always drawn; the line is then cleared.
    // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence is the point.
    assert.match(out.output, /\r\x1b\[K1\/12 rows/);
    // eslint-disable-next-line no-control-regex -- as above.
    assert.match(out.output, /\r\x1b\[K12\/12 rows\r\x1b\[K/);
    assert.match(out.output, /12 passed, 0 failed of 12 rows/);
  }));
