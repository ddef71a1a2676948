/** `arazzo upgrade` through runCli: the diff, --write, exit codes, nothing written on refusal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import { recordingIo } from '../validate/helpers.js';

const V10 = `arazzo: 1.0.1 # the version
info: {title: t, version: '1'}
sourceDescriptions: [{name: api, url: ./api.yaml}]
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: op
        successCriteria:
          - context: $response.body
            condition: $.ok
            type: jsonpath
            version: draft-goessner-dispatch-jsonpath-00
`;

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-upgrade-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('default: a unified diff on stdout, the changes on stderr, the file untouched, exit 0', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'flow.yaml'), V10);
    const io = recordingIo(dir);
    assert.equal(await runCli(['upgrade', 'flow.yaml'], io), 0);
    assert.equal(
      io.out.join(''),
      [
        '--- a/flow.yaml',
        '+++ b/flow.yaml',
        '@@ -1,4 +1,4 @@',
        '-arazzo: 1.0.1 # the version',
        '+arazzo: 1.1.0 # the version',
        " info: {title: t, version: '1'}",
        ' sourceDescriptions: [{name: api, url: ./api.yaml}]',
        ' workflows:',
        '@@ -9,5 +9,4 @@',
        '         successCriteria:',
        '           - context: $response.body',
        '             condition: $.ok',
        '-            type: jsonpath',
        '-            version: draft-goessner-dispatch-jsonpath-00',
        '+            type: { type: jsonpath, version: draft-goessner-dispatch-jsonpath-00 }',
        '',
      ].join('\n'),
    );
    const err = io.err.join('');
    assert.match(err, /^flow\.yaml:1: arazzo: 1\.0\.1 → 1\.1\.0$/m);
    assert.match(err, /^flow\.yaml:12: type: jsonpath \+ version:/m);
    assert.match(err, /would upgrade to Arazzo 1\.1\.0 \(2 changes\); --write to apply/);
    assert.equal(await readFile(join(dir, 'flow.yaml'), 'utf8'), V10);
  }));

test('--write replaces the file (no staging file left), prints no diff; it then validates as 1.1', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'flow.yaml'), V10);
    const io = recordingIo(dir);
    assert.equal(await runCli(['upgrade', 'flow.yaml', '--write'], io), 0);
    assert.deepEqual(io.out, []);
    assert.match(io.err.join(''), /flow\.yaml: upgraded to Arazzo 1\.1\.0 \(2 changes\)/);
    const written = await readFile(join(dir, 'flow.yaml'), 'utf8');
    assert.ok(written.startsWith('arazzo: 1.1.0 # the version\n'));
    assert.deepEqual(await readdir(dir), ['flow.yaml']);
    // A second run: already 1.1, nothing to do.
    const again = recordingIo(dir);
    assert.equal(await runCli(['upgrade', 'flow.yaml', '--write'], again), 0);
    assert.deepEqual(again.out, []);
    assert.equal(again.err.join(''), 'flow.yaml: already Arazzo 1.1; nothing to do\n');
    assert.equal(await readFile(join(dir, 'flow.yaml'), 'utf8'), written);
  }));

test('refusals: one file:line line each on stderr, nothing on stdout, nothing written, exit 2', () =>
  withDir(async (dir) => {
    const text = `${V10}        parameters:
          - name: p
            in: query
            value: $components.inputs.paging
          - name: q
            in: query
            value: {selector: $.a}
`;
    await writeFile(join(dir, 'flow.yaml'), text);
    const io = recordingIo(dir);
    assert.equal(await runCli(['upgrade', 'flow.yaml', '--write'], io), 2);
    assert.deepEqual(io.out, []);
    const lines = io.err.join('').trimEnd().split('\n');
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0] ?? '', /^flow\.yaml:17: cannot upgrade: \$components\.inputs\.<name>/);
    assert.match(
      lines[1] ?? '',
      /^flow\.yaml:20: cannot upgrade: a literal object with a "selector"/,
    );
    assert.equal(lines[2], 'arazzo upgrade: flow.yaml not upgraded (2 reasons); nothing written');
    assert.equal(await readFile(join(dir, 'flow.yaml'), 'utf8'), text);
    assert.deepEqual(await readdir(dir), ['flow.yaml']);
  }));

test('JSON input stays JSON', () =>
  withDir(async (dir) => {
    const json = `${JSON.stringify({ arazzo: '1.0.0', info: { title: 't', version: '1' } }, null, 2)}\n`;
    await writeFile(join(dir, 'flow.json'), json);
    const io = recordingIo(dir);
    assert.equal(await runCli(['upgrade', 'flow.json', '--write'], io), 0);
    assert.equal(await readFile(join(dir, 'flow.json'), 'utf8'), json.replace('1.0.0', '1.1.0'));
  }));

test('a missing file and a missing argument exit 2', () =>
  withDir(async (dir) => {
    const io = recordingIo(dir);
    assert.equal(await runCli(['upgrade', 'nope.yaml'], io), 2);
    assert.equal(io.err.join(''), 'arazzo upgrade: nope.yaml: no such file\n');
    const usage = recordingIo(dir);
    assert.equal(await runCli(['upgrade'], usage), 2);
    assert.match(usage.err.join(''), /missing required argument 'file'/);
  }));

test('another version is refused with exit 2', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'flow.yaml'), 'arazzo: 0.9.0\n');
    const io = recordingIo(dir);
    assert.equal(await runCli(['upgrade', 'flow.yaml'], io), 2);
    assert.match(io.err.join(''), /^flow\.yaml:1: cannot upgrade: arazzo is "0\.9\.0"/);
  }));
