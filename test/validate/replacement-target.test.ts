/**
 * The replacement-target rule only reads Arazzo 1.1 documents (POSITIONS §11.8): a 1.0 document
 * keeps the 1.0 reading of its targets, and its `targetSelectorType` is the 1.0 schema's to
 * refuse, with the hint to 1.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { validateFile } from '../../src/validate/index.js';
import { FIXTURES } from './helpers.js';

const DIR = `${FIXTURES}/replacement-target`;
const CODES = JSON.parse(readFileSync(`${DIR}/expected.json`, 'utf8')) as { codes: string[] };

test('a 1.0 document: no replacement-target findings, targetSelectorType refused by the schema with the 1.1 hint', async () => {
  const source = readFileSync(`${DIR}/invalid.arazzo.yaml`, 'utf8');
  assert.match(source, /^arazzo: 1\.1\.0$/m);
  const file = `${DIR}/.v10-${process.pid}.arazzo.yaml`;
  writeFileSync(file, source.replace('arazzo: 1.1.0', 'arazzo: 1.0.1'));
  try {
    const result = await validateFile(file, { resolveRemote: false });
    assert.deepEqual(
      result.diagnostics.filter((d) => CODES.codes.includes(d.code)).map((d) => d.pointer),
      [],
    );
    const refused = result.diagnostics.filter(
      (d) => d.code === 'schema' && d.pointer.endsWith('/targetSelectorType'),
    );
    assert.ok(refused.length >= 5, `${refused.length} targetSelectorType fields refused`);
    for (const d of refused) assert.match(d.message, /it is Arazzo 1\.1/);
  } finally {
    rmSync(file);
  }
});
