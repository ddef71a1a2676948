import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runArazzo } from '../_helpers/cli.js';

/**
 * Secrets in the forms the runner itself sends them (issue 21 F5) and a credential it obtains
 * during the run (F6), against a real server that echoes every request as it received it: the
 * request line, the headers and the raw body, in the response body (text/plain, or the JSON
 * body itself as application/json) and in an `x-echo` response header. Each secret holds a
 * marker (`Zq8…x`) that must appear in no output: the terminal (human and --verbose), --json,
 * JUnit and HAR. The server's log proves each secret was sent, so no case passes vacuously.
 */

const FIXTURES = join(ROOT, 'test/fixtures/redaction');

interface Echo {
  readonly url: string;
  /** Every request as the server saw it: request line, headers, body. */
  readonly log: string[];
  close(): Promise<void>;
}

async function startEcho(accessToken: string): Promise<Echo> {
  const log: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const head = Object.entries(req.headers)
        .map(([name, value]) => `${name}: ${String(value)}`)
        .join('\n');
      const seen = `${req.method} ${req.url}\n${head}\n\n${body}`;
      log.push(seen);
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer' }));
        return;
      }
      const json = (req.headers['content-type'] ?? '').startsWith('application/json');
      res.writeHead(200, {
        'content-type': json ? 'application/json' : 'text/plain',
        'x-echo': req.url ?? '',
      });
      res.end(json ? body : seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Runs the document twice against the echo server, once with `--json --junit --har` and once
 * with `--verbose` (which prints the human lines too), and returns every output by name.
 */
async function everyOutput(
  document: string,
  args: readonly string[],
  accessToken = 'unused',
): Promise<{ outputs: Record<string, string>; sent: string }> {
  const echo = await startEcho(accessToken);
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-redaction-'));
  try {
    const common = ['run', join(FIXTURES, document), '--server', `echo=${echo.url}`, ...args];
    const junit = join(dir, 'report.xml');
    const har = join(dir, 'run.har');
    const reports = await runArazzo([...common, '--json', '--junit', junit, '--har', har]);
    const verbose = await runArazzo([...common, '--verbose']);
    // One step fails on purpose so that its reason (which quotes the value) is reported too.
    assert.equal(reports.code, 1, reports.stderr);
    assert.equal(verbose.code, 1, verbose.stderr);
    return {
      outputs: {
        '--json': reports.stdout,
        '--verbose (and the human lines)': verbose.stdout,
        stderr: reports.stderr + verbose.stderr,
        '--junit': await readFile(junit, 'utf8'),
        '--har': await readFile(har, 'utf8'),
      },
      sent: echo.log.join('\n'),
    };
  } finally {
    await echo.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function assertAbsent(outputs: Record<string, string>, markers: readonly string[]): void {
  for (const [name, text] of Object.entries(outputs)) {
    for (const marker of markers) {
      const at = text.indexOf(marker);
      assert.equal(
        at,
        -1,
        `${marker} leaks in ${name}: …${text.slice(Math.max(0, at - 60), at + 40)}…`,
      );
    }
  }
}

/** [input, a marker only that input holds]. */
const SECRETS = [
  // RFC 6570 percent-encodes !'()* in a query (encodeURIComponent does not).
  ['token', "Tok3n!Zq81x*(2026)'"],
  // JSON escapes " and \; form and query encode @ " \.
  ['pw', 'p@ss"Zq82x\\zz'],
  // A form body sends a space as +, and encodes ~.
  ['apiKey', 'key with Zq83x spaces~'],
] as const;
const NESTED = 'Nested"Zq84x ok!';

test('secrets in the encodings the runner sends (query, form, JSON, nested in an object) are masked in every output', async () => {
  const args = [
    ...SECRETS.flatMap(([name, value]) => ['--input', `${name}=${value}`]),
    '--input',
    `config=${JSON.stringify({ region: 'eu', db: { password: NESTED } })}`,
  ];
  const { outputs, sent } = await everyOutput('encoded.arazzo.yaml', args);
  const markers = [...SECRETS.map(([, value]) => /Zq8\dx/.exec(value)?.[0] ?? ''), 'Zq84x'];
  for (const marker of markers) assert.ok(sent.includes(marker), `${marker} was never sent`);
  // The runner did send the encoded forms this test is about.
  for (const form of ['Tok3n%21Zq81x%2A%282026%29%27', 'p@ss\\"Zq82x\\\\zz', 'key+with+Zq83x'])
    assert.ok(sent.includes(form), `${form} not sent`);
  assert.match(outputs['--json'] ?? '', /"region":\s*"eu"/, 'the nested ordinary field is kept');
  assertAbsent(outputs, markers);
});

test('an OAuth2 access token fetched during the run is masked in every output', async () => {
  const token = 'OAUTH-Zq85x-TOKEN';
  const { outputs, sent } = await everyOutput(
    'oauth2.arazzo.yaml',
    ['--auth', 'oauth=my-client:ClientSecret-Zq86x'],
    token,
  );
  assert.ok(sent.includes(`authorization: Bearer ${token}`), 'the token was not used');
  assertAbsent(outputs, ['Zq85x', 'Zq86x']);
});
