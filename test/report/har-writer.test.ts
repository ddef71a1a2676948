import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setImmediate as tick, setTimeout as delay } from 'node:timers/promises';
import { HarWriter } from '../../src/report/har-writer.js';
import { Redactor } from '../../src/report/redact.js';
import type { HttpRequest, HttpResponse } from '../../src/http/types.js';
import type { RunEvent } from '../../src/runtime/events.js';

const CANARY = 'har-canary-token-5b0c2e';
const CREATOR = { name: 'arazzo', version: '0.0.0-test' };

async function tempFile(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-har-'));
  return { path: join(dir, 'run.har'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The one other file in the target's folder: where the writer streams until close(). */
async function stagingFile(path: string): Promise<string> {
  const others = (await readdir(dirname(path))).filter((name) => name !== basename(path));
  assert.equal(others.length, 1, `staging files: ${others.join(', ')}`);
  return join(dirname(path), others[0] ?? '');
}

function exchange(index: number): { request: HttpRequest; response: HttpResponse } {
  const status = index === 2 ? 'completed' : 'running';
  return {
    request: {
      method: index === 0 ? 'POST' : 'GET',
      url: `http://127.0.0.1:4010/status/abc?poll=${index}&key=${CANARY}`,
      headers: {
        Authorization: `Bearer ${CANARY}`,
        Cookie: `session=${CANARY}; theme=dark`,
        'X-Trace': `trace-${CANARY}`,
        ...(index === 0 ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(index === 0 ? { body: JSON.stringify({ feedback: 'ok', token: CANARY }) } : {}),
    },
    response: {
      statusCode: index === 0 ? 201 : 200,
      headers: {
        'content-type': 'application/json',
        'set-cookie': `sid=${CANARY}; Path=/`,
        'x-echo': CANARY,
      },
      bodyText: JSON.stringify({ status, echo: CANARY, note: 'naïve ✓' }),
      body: { status },
      durationMs: 12.5 + index,
    },
  };
}

function events(index: number, stepId = 'poll'): RunEvent[] {
  const { request, response } = exchange(index);
  return [
    { type: 'step-started', workflowId: 'resume', stepId, attempt: 1 },
    { type: 'request', workflowId: 'resume', stepId, request },
    { type: 'response', workflowId: 'resume', stepId, request, response },
    {
      type: 'step-finished',
      workflowId: 'resume',
      stepId,
      success: true,
      attempt: 1,
      durationMs: 13,
      reasons: [],
      outputs: {},
    },
  ];
}

interface HarNameValue {
  name: string;
  value: string;
}

interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: object;
  timings: { send: number; wait: number; receive: number };
  _stepId: string;
  _workflowId: string;
}

interface Har {
  log: {
    version: string;
    creator: { name: string; version: string };
    pages: unknown[];
    entries: HarEntry[];
  };
}

test('one HAR 1.2 entry per response, fields as the spec types them, secrets masked', async () => {
  const { path, cleanup } = await tempFile();
  try {
    const writer = await HarWriter.open(path, new Redactor([CANARY]), CREATOR);
    writer.onEvent({ type: 'workflow-started', workflowId: 'resume', depth: 0 });
    for (const event of [...events(0, 'submit'), ...events(1), ...events(2)]) writer.onEvent(event);
    // A request that never got a response (network error) has no entry.
    writer.onEvent({
      type: 'request',
      workflowId: 'resume',
      stepId: 'poll',
      request: exchange(1).request,
    });
    await writer.close();
    await writer.close(); // idempotent

    const text = await readFile(path, 'utf8');
    assert.ok(!text.includes(CANARY), 'the canary secret never reaches the file');
    const har = JSON.parse(text) as Har;
    assert.equal(har.log.version, '1.2');
    assert.deepEqual(har.log.creator, CREATOR);
    assert.deepEqual(har.log.pages, []);
    assert.equal(har.log.entries.length, 3);
    assert.equal(writer.entries, 3);

    const [submit, poll, done] = har.log.entries as [HarEntry, HarEntry, HarEntry];
    for (const entry of har.log.entries) {
      assert.ok(
        !Number.isNaN(Date.parse(entry.startedDateTime)) && entry.startedDateTime.endsWith('Z'),
      );
      assert.equal(typeof entry.time, 'number');
      assert.equal(entry.time, entry.timings.send + entry.timings.wait + entry.timings.receive);
      assert.equal(entry.request.httpVersion, 'HTTP/1.1');
      assert.equal(entry.request.headersSize, -1);
      assert.equal(entry.response.headersSize, -1);
      assert.deepEqual(entry.cache, {});
      assert.equal(entry.response.redirectURL, '');
      assert.equal(entry.response.content.mimeType, 'application/json');
      assert.equal(entry.response.content.size, entry.response.bodySize);
      assert.equal(entry._workflowId, 'resume');
      for (const list of [
        entry.request.headers,
        entry.request.queryString,
        entry.request.cookies,
        entry.response.headers,
        entry.response.cookies,
      ]) {
        assert.ok(Array.isArray(list));
        for (const item of list) assert.deepEqual(Object.keys(item).sort(), ['name', 'value']);
      }
      const authorization = entry.request.headers.find((h) => h.name === 'Authorization');
      assert.equal(authorization?.value, '***', 'Authorization is masked whole');
      assert.equal(entry.request.headers.find((h) => h.name === 'Cookie')?.value, '***');
      assert.equal(entry.request.headers.find((h) => h.name === 'X-Trace')?.value, 'trace-***');
      assert.deepEqual(entry.request.cookies, [
        { name: 'session', value: '***' },
        { name: 'theme', value: '***' },
      ]);
      assert.deepEqual(entry.response.cookies, [{ name: 'sid', value: '***' }]);
    }

    assert.equal(submit._stepId, 'submit');
    assert.equal(submit.request.method, 'POST');
    assert.deepEqual(submit.request.postData, {
      mimeType: 'application/json',
      text: '{"feedback":"ok","token":"***"}',
    });
    assert.equal(
      submit.request.bodySize,
      Buffer.byteLength(JSON.stringify({ feedback: 'ok', token: CANARY })),
    );
    assert.equal(submit.response.status, 201);
    assert.equal(submit.response.statusText, 'Created');

    assert.equal(poll.request.postData, undefined);
    assert.equal(poll.request.bodySize, 0);
    assert.equal(poll.request.url, 'http://127.0.0.1:4010/status/abc?poll=1&key=***');
    assert.deepEqual(poll.request.queryString, [
      { name: 'poll', value: '1' },
      { name: 'key', value: '***' },
    ]);
    assert.equal(poll.timings.wait, 13.5);
    assert.equal((JSON.parse(poll.response.content.text) as { status: string }).status, 'running');
    assert.equal(
      (JSON.parse(done.response.content.text) as { status: string }).status,
      'completed',
      'each entry keeps its own body',
    );
    assert.equal(
      done.response.content.size,
      Buffer.byteLength(exchange(2).response.bodyText),
      'sizes in bytes, not characters',
    );
  } finally {
    await cleanup();
  }
});

test('a run without responses is still a valid, empty archive', async () => {
  const { path, cleanup } = await tempFile();
  try {
    const writer = await HarWriter.open(path, new Redactor([]), CREATOR);
    await writer.close();
    const har = JSON.parse(await readFile(path, 'utf8')) as Har;
    assert.deepEqual(har.log.entries, []);
  } finally {
    await cleanup();
  }
});

test('entries stream to disk as they arrive (a long poll never piles up in memory)', async () => {
  const { path, cleanup } = await tempFile();
  try {
    const writer = await HarWriter.open(path, new Redactor([CANARY]), CREATOR);
    const total = 3000;
    let sizeMidway = 0;
    for (let i = 0; i < total; i += 1) {
      for (const event of events(1)) writer.onEvent(event);
      // The runtime waits on the network between responses; so does this loop, now and then.
      if (i % 100 === 99) await tick();
      if (i === total / 2) {
        // Give the stream a moment to flush what it holds; a writer that kept entries would not.
        for (let wait = 0; wait < 100 && sizeMidway < 200 * (total / 2); wait += 1) {
          await delay(10);
          // Until close() the entries go to a temporary file next to the target (atomic-file.ts).
          sizeMidway = (await stat(await stagingFile(path))).size;
        }
      }
    }
    // Half of the entries are already in the file before the run is over.
    assert.ok(sizeMidway > 200 * (total / 2), `only ${sizeMidway} bytes on disk midway`);
    await writer.close();
    const har = JSON.parse(await readFile(path, 'utf8')) as Har;
    assert.equal(har.log.entries.length, total);
  } finally {
    await cleanup();
  }
});

test('open() rejects a path it cannot create; close() reports a write error', async () => {
  await assert.rejects(
    HarWriter.open(join(tmpdir(), 'no-such-dir-7f3a', 'x.har'), new Redactor([]), CREATOR),
    /ENOENT/,
  );
  if (!existsSync('/dev/full')) return; // Linux: every write fails with ENOSPC
  const writer = await HarWriter.open('/dev/full', new Redactor([]), CREATOR);
  for (const event of events(1)) writer.onEvent(event);
  await assert.rejects(writer.close(), /ENOSPC/);
});

test('the target keeps its previous report until close() renames the new one into place', async () => {
  const { path, cleanup } = await tempFile();
  try {
    const previous = '{"log":{"version":"1.2","entries":[]}}\n';
    await writeFile(path, previous);
    const writer = await HarWriter.open(path, new Redactor([]), CREATOR);
    for (const event of [...events(0), ...events(1), ...events(2)]) writer.onEvent(event);
    await delay(50);
    assert.equal(await readFile(path, 'utf8'), previous, 'untouched while the run goes on');
    assert.match(basename(await stagingFile(path)), /^\.run\.har\.\d+-[0-9a-f]{8}\.tmp$/);
    await writer.close();
    const har = JSON.parse(await readFile(path, 'utf8')) as Har;
    assert.equal(har.log.entries.length, 3);
    assert.deepEqual(await readdir(dirname(path)), ['run.har'], 'no temporary file left');
  } finally {
    await cleanup();
  }
});

test('open() refuses a folder before writing anything', async () => {
  const { path, cleanup } = await tempFile();
  try {
    await assert.rejects(HarWriter.open(dirname(path), new Redactor([]), CREATOR), /EISDIR/);
    assert.deepEqual(await readdir(dirname(path)), []);
  } finally {
    await cleanup();
  }
});
