import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, runArazzo } from '../_helpers/cli.js';
import { startPetstore } from '../_helpers/petstore.js';

// The upstream example pet-coupons.arazzo.yaml, unchanged, against a small local petstore that
// implements the operations of its OpenAPI description.

const DOC = join(ROOT, 'test/fixtures/upstream/pet-coupons.arazzo.yaml');

test('buy-available-pet runs end to end: reusable parameters, a nested workflow, $outputs', async () => {
  const store = await startPetstore();
  try {
    const run = await runArazzo([
      'run',
      DOC,
      '--workflow',
      'buy-available-pet',
      '--server',
      `pet-coupons=${store.url}`,
      '--json',
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const result = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
    assert.deepEqual(result.outputs, { buy_pet_order_id: 1001 });
    assert.deepEqual(store.log, [
      'GET /pet/findByStatus?status=available&page=1&pageSize=10',
      'POST /store/order',
    ]);
    // The optional input `quantity` was not given: the member is left out, not sent as null.
    assert.deepEqual(store.orders, [{ petId: 7, status: 'placed', complete: false }]);
  } finally {
    await store.close();
  }
});

test('apply-coupon is refused before any request: its step passes pet_id where the operation needs petId', async () => {
  const store = await startPetstore();
  try {
    const run = await runArazzo([
      'run',
      DOC,
      '--workflow',
      'apply-coupon',
      '--server',
      `pet-coupons=${store.url}`,
      '--input',
      'my_pet_tags=["puppy"]',
    ]);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /pet-coupons\.arazzo\.yaml:38:9 +error +parameter-required-missing .*"petId"/,
    );
    assert.match(run.stderr, /nothing was sent/);
    assert.deepEqual(store.log, []);
  } finally {
    await store.close();
  }
});
