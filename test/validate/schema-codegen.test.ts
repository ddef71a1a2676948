import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED, generateSchemaValidator } from '../../scripts/schema-codegen.js';

for (const version of ['1.0', '1.1'] as const) {
  test(`the committed ${version} schema validator is what the current schema, patches and keyword generate`, () => {
    const file = fileURLToPath(new URL(`../../../${GENERATED[version]}`, import.meta.url));
    const committed = readFileSync(file, 'utf8');
    // Not assert.equal: a 200 KB diff helps nobody; the remedy does.
    assert.ok(
      committed === generateSchemaValidator(version),
      `${GENERATED[version]} is out of date: run \`npm run generate\` and commit the result`,
    );
  });
}
