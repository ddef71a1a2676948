/**
 * One directory per rule under test/fixtures/validate/<rule>/: `invalid.arazzo.yaml` must report
 * exactly the diagnostics of `expected.json` (code, pointer, line) among the rule's codes, and
 * `valid.arazzo.yaml` must be valid and report none of them.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CODES, isDiagnosticCode, validateFile } from '../../src/validate/index.js';
import { brief, errors, FIXTURES, ROOT } from './helpers.js';

interface Expected {
  readonly codes: readonly string[];
  readonly invalid: readonly { code: string; pointer: string; line: number }[];
}

const dirs = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`${FIXTURES}/${entry.name}/expected.json`))
  .map((entry) => entry.name)
  .sort();

const options = { resolveRemote: false };
const byPosition = (
  a: { line?: number | undefined; pointer: string; code: string },
  b: { line?: number | undefined; pointer: string; code: string },
) =>
  (a.line ?? 0) - (b.line ?? 0) ||
  a.pointer.localeCompare(b.pointer) ||
  a.code.localeCompare(b.code);

for (const dir of dirs) {
  describe(`rule fixtures: ${dir}`, () => {
    const expected = JSON.parse(
      readFileSync(`${FIXTURES}/${dir}/expected.json`, 'utf8'),
    ) as Expected;

    test('invalid.arazzo.yaml reports exactly the expected diagnostics', async () => {
      const result = await validateFile(`${FIXTURES}/${dir}/invalid.arazzo.yaml`, options);
      const actual = result.diagnostics.filter((d) => expected.codes.includes(d.code)).map(brief);
      assert.deepEqual(actual.sort(byPosition), [...expected.invalid].sort(byPosition));
      assert.ok(expected.invalid.length > 0, 'an invalid fixture must report something');
      for (const d of result.diagnostics) {
        assert.ok(
          d.line !== undefined && d.column !== undefined,
          `${d.code} at ${d.pointer} has a position`,
        );
        assert.ok(d.message.length > 0);
      }
    });

    test('valid.arazzo.yaml is valid and reports none of these codes', async () => {
      const result = await validateFile(`${FIXTURES}/${dir}/valid.arazzo.yaml`, options);
      assert.deepEqual(errors(result.diagnostics).map(brief), []);
      assert.deepEqual(
        result.diagnostics.filter((d) => expected.codes.includes(d.code)).map(brief),
        [],
      );
      assert.equal(result.valid, true);
    });
  });
}

test('every code has an invalid fixture that reports it', () => {
  const reported = new Set<string>();
  for (const dir of dirs) {
    const expected = JSON.parse(
      readFileSync(`${FIXTURES}/${dir}/expected.json`, 'utf8'),
    ) as Expected;
    for (const d of expected.invalid) reported.add(d.code);
  }
  // file-unreadable needs a missing file (cli.test.ts); criterion-context-ignored maps a note the
  // criteria compiler declares but does not emit yet.
  // rule-failed reports a defect in a rule itself: a fixture for it would be a known bug.
  const exempt = new Set(['file-unreadable', 'criterion-context-ignored', 'rule-failed']);
  const missing = Object.keys(CODES).filter((code) => !reported.has(code) && !exempt.has(code));
  assert.deepEqual(missing, []);
});

const rulesRows = (): string[][] =>
  readFileSync(`${ROOT}src/validate/RULES.md`, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split('|').map((cell) => cell.trim()));

test('every code is documented in RULES.md with its severity', () => {
  const rows = rulesRows();
  for (const [code, severity] of Object.entries(CODES)) {
    const row = rows.find((cells) => cells[1] === `\`${code}\``);
    assert.ok(row, `RULES.md documents ${code}`);
    assert.equal(row[2], severity, `RULES.md gives ${code} the severity ${severity}`);
  }
});

test('every code RULES.md documents is one validate reports', () => {
  const documented = rulesRows()
    .map((cells) => /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1])
    .filter((code) => code !== undefined);
  assert.ok(documented.length >= Object.keys(CODES).length);
  assert.deepEqual(
    documented.filter((code) => !Object.hasOwn(CODES, code)),
    [],
  );
});

// README.md names diagnostics as validate prints them (issue 20: it named the engine's internal
// UPPER_SNAKE note codes, which no output shows). An UPPER_SNAKE word in it is only ever an
// environment variable or a run error's code (src/errors.ts `ErrorCode`, in `run --json`); a code named as "a `…` warning" / "an error (`…`)" is a real code of that
// severity.
test('README.md names diagnostics by the codes validate prints', () => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8').replaceAll(/\s+/g, ' ');
  const environment = /^(NO_COLOR|ARAZZO_[A-Z0-9_]+)$/;
  const errorCodes = new Set(
    [...readFileSync(`${ROOT}src/errors.ts`, 'utf8').matchAll(/\| '([A-Z_]+)'/g)].map((m) => m[1]),
  );
  const upper = [...readme.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)].map((m) => m[1]);
  assert.deepEqual(
    upper.filter((word) => word !== undefined && !environment.test(word) && !errorCodes.has(word)),
    [],
    'write the kebab-case code validate prints (src/validate/RULES.md)',
  );
  const mentions = [
    ...[...readme.matchAll(/`([a-z][a-z0-9-]*)` (warning|error)s?\b/g)].map((m) => [m[1], m[2]]),
    ...[...readme.matchAll(/\b(warning|error)s? \(`([a-z][a-z0-9-]*)`\)/g)].map((m) => [
      m[2],
      m[1],
    ]),
  ];
  assert.ok(mentions.length >= 8, `README.md names codes (found ${mentions.length})`);
  for (const [code = '', severity] of mentions) {
    assert.ok(isDiagnosticCode(code), `README.md names "${code}", which is no code`);
    assert.equal(CODES[code], severity, `README.md gives ${code} the severity ${severity}`);
  }
});

test('parameter-in-missing names the locations of the document version (1.1 adds querystring)', async () => {
  const messages = async (text: string): Promise<string[]> => {
    const file = `${FIXTURES}/parameter-in/.version-${process.pid}.arazzo.yaml`;
    writeFileSync(file, text);
    try {
      const result = await validateFile(file, options);
      return result.diagnostics
        .filter((d) => d.code === 'parameter-in-missing')
        .map((d) => d.message);
    } finally {
      rmSync(file);
    }
  };
  const source = readFileSync(`${FIXTURES}/parameter-in/invalid.arazzo.yaml`, 'utf8');
  const v10 = await messages(source);
  const v11 = await messages(source.replace('arazzo: 1.0.1', 'arazzo: 1.1.0'));
  assert.equal(v10.length, 2);
  assert.equal(v11.length, 2);
  for (const message of v10) assert.match(message, /needs path, query, header or cookie$/);
  for (const message of v11)
    assert.match(message, /needs path, query, querystring, header or cookie$/);
});
