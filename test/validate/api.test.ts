/** The programmatic API the CLI and `arazzo run` use. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDocument, parseArazzoText } from '../../src/document/load-document.js';
import { validateFile, validateLoaded } from '../../src/validate/index.js';
import { brief, FIXTURES, ROOT } from './helpers.js';

test('validateLoaded accepts loadDocument output and returns the loaded sources', async () => {
  const loaded = await loadDocument(join(ROOT, 'workflows', 'resume.yml'));
  const result = await validateLoaded(loaded);
  assert.equal(result.valid, true);
  assert.equal(result.document, loaded);
  assert.equal(result.sources?.get('crewaiAmpApi')?.kind, 'openapi');
});

test('resolveSources: false skips loading and every check that needs a source', async () => {
  const file = `${FIXTURES}/upstream/examples/1.0.0/FAPI-PAR.arazzo.yaml`;
  const result = await validateFile(file, { resolveSources: false });
  assert.equal(result.valid, true);
  assert.equal(result.sources, undefined);
  assert.ok(
    !result.diagnostics.some(
      (d) => d.code.startsWith('operation') || d.code.startsWith('source-load'),
    ),
  );
});

test('an unsupported version is the only diagnostic', async () => {
  const text = 'arazzo: 1.2.0\ninfo: {title: t, version: "1"}\nworkflows: nope\n';
  const result = await validateLoaded(parseArazzoTextLoosely(text));
  assert.deepEqual(result.diagnostics.map(brief), [
    { code: 'unsupported-version', pointer: '/arazzo', line: 1 },
  ]);
  assert.equal(result.valid, false);
});

test('diagnostics come sorted by position, each with file, pointer, line and column', async () => {
  const result = await validateFile(`${FIXTURES}/step-reference/invalid.arazzo.yaml`);
  const lines = result.diagnostics.map((d) => d.line ?? 0);
  assert.deepEqual(
    lines,
    [...lines].sort((a, b) => a - b),
  );
  for (const d of result.diagnostics) {
    assert.equal(d.file, `${FIXTURES}/step-reference/invalid.arazzo.yaml`);
    assert.equal(typeof d.column, 'number');
  }
});

test('validateFile: a missing file and a directory are file-unreadable', async () => {
  for (const path of [`${FIXTURES}/missing.arazzo.yaml`, FIXTURES]) {
    const result = await validateFile(path);
    assert.deepEqual(result.diagnostics.map(brief), [
      { code: 'file-unreadable', pointer: '', line: undefined },
    ]);
    assert.equal(result.document, undefined);
  }
});

/** parseArazzoText refuses other versions; validateLoaded must still report them itself. */
function parseArazzoTextLoosely(text: string) {
  const loaded = parseArazzoText(text.replace('1.2.0', '1.0.0'), 'doc.yaml', 'file:///doc.yaml');
  return { ...loaded, document: { ...loaded.document, arazzo: '1.2.0' } };
}
