import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED, generateSchemaValidator } from '../../scripts/schema-codegen.js';

test('the committed schema validator is what the current schema, patches and keyword generate', () => {
  const file = fileURLToPath(new URL(`../../../${GENERATED}`, import.meta.url));
  const committed = readFileSync(file, 'utf8');
  // Not assert.equal: a 200 KB diff helps nobody; the remedy does.
  assert.ok(
    committed === generateSchemaValidator(),
    `${GENERATED} is out of date: run \`npm run generate\` and commit the result`,
  );
});
