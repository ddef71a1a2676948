/**
 * Real workflows validate with no errors: the five CrewAI workflows of the API Evangelist catalog
 * (against this repository's CrewAI OpenAPI description) and every workflow under workflows/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateFile } from '../../src/validate/index.js';
import { brief, errors, FIXTURES, ROOT } from './helpers.js';

const OPENAPI = 'crewai-amp-rest-api-openapi.yml';

test('the five CrewAI catalog workflows validate with no errors', async (t) => {
  // The workflows name ../openapi/<file>; lay them out so that it resolves to our description.
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-crewai-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'arazzo'));
  mkdirSync(join(dir, 'openapi'));
  copyFileSync(join(ROOT, 'openapi', OPENAPI), join(dir, 'openapi', OPENAPI));
  const files = readdirSync(`${FIXTURES}/crewai/arazzo`).filter((f) => f.endsWith('.yml'));
  assert.equal(files.length, 5);
  for (const file of files) {
    copyFileSync(`${FIXTURES}/crewai/arazzo/${file}`, join(dir, 'arazzo', file));
    const result = await validateFile(join(dir, 'arazzo', file));
    assert.deepEqual(errors(result.diagnostics).map(brief), [], file);
    assert.equal(result.valid, true, file);
    assert.equal(
      result.sources?.get('crewaiAmpApi')?.kind,
      'openapi',
      `${file}: the OpenAPI source loaded`,
    );
  }
});

test('every workflow under workflows/ validates with no errors', async () => {
  const files = readdirSync(join(ROOT, 'workflows')).filter((f) => /\.(ya?ml|json)$/.test(f));
  assert.ok(files.length > 0, 'workflows/ has workflows');
  for (const file of files) {
    const result = await validateFile(join(ROOT, 'workflows', file));
    assert.deepEqual(errors(result.diagnostics).map(brief), [], file);
    assert.ok((result.sources?.size ?? 0) > 0, `${file}: its sources loaded`);
  }
});
