/**
 * Upgrading real 1.0 documents (workflows/resume.yml, the upstream 1.0.0 examples) gives 1.1
 * documents whose validation has no error the 1.0 input did not have.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArazzoText } from '../../src/document/load-document.js';
import { upgradeText } from '../../src/upgrade/index.js';
import { validateFile, validateLoaded, type Diagnostic } from '../../src/validate/index.js';
import { FIXTURES, ROOT } from '../validate/helpers.js';

const UPSTREAM = join(FIXTURES, 'upstream/examples/1.0.0');
const FILES = [
  join(ROOT, 'workflows/resume.yml'),
  ...readdirSync(UPSTREAM)
    .filter((name) => /arazzo\.yaml$|-arazzo\.yaml$/.test(name))
    .map((name) => join(UPSTREAM, name)),
];

const key = (d: Diagnostic): string => `${d.code} ${d.pointer}`;

test('there are documents to upgrade', () => {
  assert.ok(FILES.length >= 7, FILES.join('\n'));
});

for (const file of FILES) {
  test(`upgrade ${file.slice(ROOT.length)}: no new validate errors`, async () => {
    const text = readFileSync(file, 'utf8');
    const result = upgradeText(text);
    assert.equal(result.status, 'upgraded', JSON.stringify(result.refusals));
    const before = await validateFile(file, { resolveRemote: false });
    // Validated where the input lives, so its relative source descriptions resolve.
    const loaded = parseArazzoText(result.text, file, pathToFileURL(file).href);
    assert.equal(loaded.version, '1.1');
    const after = await validateLoaded(loaded, { resolveRemote: false });
    const known = new Set(before.diagnostics.filter((d) => d.severity === 'error').map(key));
    const added = after.diagnostics
      .filter((d) => d.severity === 'error' && !known.has(key(d)))
      .map((d) => `${key(d)}: ${d.message}`);
    assert.deepEqual(added, []);
  });
}
