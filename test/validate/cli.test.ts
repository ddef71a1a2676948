/** `validateCommand` in-process with a recording CliIo: every output format and exit code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { recordingIo } from './helpers.js';

const VALID = 'schema/valid.arazzo.yaml';
const WARNINGS = 'description-missing/invalid.arazzo.yaml';
const ERRORS = 'step-reference/invalid.arazzo.yaml';
const BROKEN_YAML = 'yaml-syntax/invalid.arazzo.yaml';

test('human: a valid file prints ✔ valid and exits 0', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand([VALID], {}, io), 0);
  assert.equal(io.out.join(''), '✔ valid\n');
  assert.deepEqual(io.err, []);
});

test('human: file:line:col  severity  code  message, a code frame with a caret, a summary', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand([ERRORS], {}, io), 1);
  const lines = io.out.join('').split('\n');
  const first = lines.indexOf(
    `${ERRORS}:20:20  error  step-not-run-before  $steps.get.outputs.status: step "get" cannot have run before step "list" (it comes later and no goto/retry leads back)`,
  );
  assert.ok(first >= 0, io.out.join(''));
  assert.equal(lines[first + 1], '  19 |             in: query');
  assert.equal(lines[first + 2], '> 20 |             value: $steps.get.outputs.status');
  assert.equal(lines[first + 3], `     | ${' '.repeat(19)}^`);
  assert.equal(lines.at(-2), '✖ 5 errors, 0 warnings in 1 file');
  assert.ok(!io.out.join('').includes('\x1b['), 'no colour unless asked');
});

test('the summary counts the files checked, not only those with findings (issue 20)', async () => {
  const summary = async (files: string[]): Promise<string | undefined> => {
    const io = recordingIo();
    await validateCommand(files, {}, io);
    return io.out.join('').trimEnd().split('\n').at(-1);
  };
  assert.equal(await summary([VALID, VALID]), '✔ 2 files valid');
  assert.equal(await summary([VALID, WARNINGS]), '✔ 2 files valid, 3 warnings in 1 of 2 files');
  assert.equal(
    await summary([WARNINGS, 'source-type-missing/invalid.arazzo.yaml']),
    '✔ 2 files valid, 4 warnings in 2 files',
  );
  assert.equal(await summary([ERRORS, VALID, VALID]), '✖ 5 errors, 0 warnings in 1 of 3 files');
});

test('human: colour only when color is true', async () => {
  const io = recordingIo();
  await validateCommand([ERRORS], { color: true }, io);
  assert.ok(io.out.join('').includes('\x1b[31merror\x1b[39m'));
});

test('warnings alone exit 0; --strict counts them as errors', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand([WARNINGS], {}, io), 0);
  assert.match(io.out.join(''), /✔ valid, 3 warnings in 1 file\n$/);
  const strict = recordingIo();
  assert.equal(await validateCommand([WARNINGS], { strict: true }, strict), 1);
  assert.match(
    strict.out.join(''),
    /✖ 0 errors, 3 warnings in 1 file \(--strict counts warnings as errors\)\n$/,
  );
});

test('json: {valid, diagnostics[{severity, code, message, file, pointer, line, column}]}', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand([ERRORS, VALID], { json: true }, io), 1);
  const report = JSON.parse(io.out.join('')) as {
    valid: boolean;
    diagnostics: Record<string, unknown>[];
  };
  assert.equal(report.valid, false);
  assert.equal(report.diagnostics.length, 5);
  assert.deepEqual(Object.keys(report.diagnostics[0] ?? {}), [
    'severity',
    'code',
    'message',
    'file',
    'pointer',
    'line',
    'column',
  ]);
  assert.deepEqual(report.diagnostics[0], {
    severity: 'error',
    code: 'step-not-run-before',
    message: report.diagnostics[0]?.['message'],
    file: ERRORS,
    pointer: '/workflows/0/steps/0/parameters/0/value',
    line: 20,
    column: 20,
  });
  const format = recordingIo();
  await validateCommand([VALID], { format: 'json' }, format);
  assert.deepEqual(JSON.parse(format.out.join('')), { valid: true, diagnostics: [] });
});

test('json --strict: valid is false when there are warnings', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand([WARNINGS], { json: true, strict: true }, io), 1);
  assert.equal((JSON.parse(io.out.join('')) as { valid: boolean }).valid, false);
});

test('github: one workflow-command annotation per diagnostic', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand([ERRORS, WARNINGS], { format: 'github' }, io), 1);
  const lines = io.out.join('').trimEnd().split('\n');
  assert.equal(lines.length, 5 + 3 + 1);
  assert.match(
    lines[0] ?? '',
    /^::error file=step-reference\/invalid\.arazzo\.yaml,line=20,col=20,title=arazzo step-not-run-before::\$steps\.get/,
  );
  assert.ok(
    lines.some((line) =>
      line.startsWith(
        '::warning file=description-missing/invalid.arazzo.yaml,line=2,col=1,title=arazzo description-missing::',
      ),
    ),
  );
  assert.equal(lines.at(-1), '✖ 5 errors, 3 warnings in 2 files');
});

test('sarif: a SARIF 2.1.0 log with rules and located results', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand([ERRORS], { format: 'sarif' }, io), 1);
  const log = JSON.parse(io.out.join('')) as {
    version: string;
    runs: {
      tool: { driver: { name: string; rules: { id: string }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        locations: {
          physicalLocation: {
            artifactLocation: { uri: string };
            region: { startLine: number; startColumn: number };
          };
        }[];
      }[];
    }[];
  };
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  assert.ok(run);
  assert.deepEqual(
    run.tool.driver.rules.map((r) => r.id),
    ['step-not-found', 'step-not-run-before', 'step-output-not-found'],
  );
  assert.equal(run.results.length, 5);
  const first = run.results[0];
  assert.equal(first?.ruleId, 'step-not-run-before');
  assert.equal(run.tool.driver.rules[first?.ruleIndex ?? -1]?.id, 'step-not-run-before');
  assert.equal(first?.level, 'error');
  assert.deepEqual(first?.locations[0]?.physicalLocation, {
    artifactLocation: { uri: 'step-reference/invalid.arazzo.yaml' },
    region: { startLine: 20, startColumn: 20 },
  });
});

test('an unreadable file exits 2 with a file-unreadable diagnostic', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand(['no/such/file.arazzo.yaml', VALID], { json: true }, io), 2);
  const report = JSON.parse(io.out.join('')) as {
    diagnostics: { code: string; file: string; pointer: string }[];
  };
  assert.deepEqual(
    report.diagnostics.map((d) => [d.code, d.file, d.pointer]),
    [['file-unreadable', 'no/such/file.arazzo.yaml', '']],
  );
});

test('a YAML syntax error exits 2 with its position', async () => {
  const io = recordingIo();
  assert.equal(await validateCommand([BROKEN_YAML], {}, io), 2);
  assert.ok(
    io.out
      .join('')
      .startsWith(
        'yaml-syntax/invalid.arazzo.yaml:14:5  error  yaml-syntax  Map keys must be unique',
      ),
  );
});

test('usage errors exit 2: no files, unknown format', async () => {
  const none = recordingIo();
  assert.equal(await validateCommand([], {}, none), 2);
  assert.match(none.err.join(''), /no files/);
  const format = recordingIo();
  assert.equal(await validateCommand([VALID], { format: 'xml' as never }, format), 2);
  assert.match(format.err.join(''), /unknown format "xml"/);
  assert.deepEqual(format.out, []);
});

test('--no-remote: http(s) sources are reported, not fetched', async () => {
  const io = recordingIo();
  assert.equal(
    await validateCommand(['source-load/invalid.arazzo.yaml'], { json: true, remote: false }, io),
    1,
  );
  const report = JSON.parse(io.out.join('')) as { diagnostics: { code: string }[] };
  assert.deepEqual(
    report.diagnostics.map((d) => d.code),
    ['source-load-failed', 'source-remote-skipped'],
  );
});
