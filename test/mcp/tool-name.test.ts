import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toolNames } from '../../src/mcp/tool-name.js';

const cases: [string, { workflowId: string; documentStem: string }[], string[]][] = [
  [
    'a workflowId that is a valid name stays',
    [{ workflowId: 'resume-paused', documentStem: 'r' }],
    ['resume-paused'],
  ],
  ['other characters become _', [{ workflowId: 'pay now!', documentStem: 'r' }], ['pay_now_']],
  ['an empty id gets a name', [{ workflowId: '', documentStem: 'r' }], ['workflow']],
  [
    'a long id is cut to 128',
    [{ workflowId: 'x'.repeat(200), documentStem: 'r' }],
    ['x'.repeat(128)],
  ],
  [
    'a repeated id is prefixed with its document',
    [
      { workflowId: 'checkout', documentStem: 'orders' },
      { workflowId: 'checkout', documentStem: 'carts' },
      { workflowId: 'refund', documentStem: 'orders' },
    ],
    ['orders.checkout', 'carts.checkout', 'refund'],
  ],
  [
    'and numbered when the document repeats too',
    [
      { workflowId: 'a', documentStem: 'd' },
      { workflowId: 'a', documentStem: 'd' },
    ],
    ['d.a', 'd.a_2'],
  ],
];

for (const [name, input, expected] of cases) {
  test(`tool names: ${name}`, () => {
    const names = toolNames(input);
    assert.deepEqual(names, expected);
    for (const n of names) assert.match(n, /^[A-Za-z0-9_.-]{1,128}$/);
  });
}
