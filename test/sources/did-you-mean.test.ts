import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean } from '../../src/sources/did-you-mean.js';

const rows: { name: string; candidates: string[]; hint: string }[] = [
  { name: 'PAR', candidates: ['Par', 'Token'], hint: ' (did you mean "Par"?)' },
  {
    name: 'getKickofStatus',
    candidates: ['getKickoffStatus', 'resumeKickoff'],
    hint: ' (did you mean "getKickoffStatus"?)',
  },
  { name: 'deletePet', candidates: ['getKickoffStatus'], hint: '' },
  { name: 'x', candidates: [], hint: '' },
];
for (const row of rows) {
  test(`did you mean: ${row.name}`, () =>
    assert.equal(didYouMean(row.name, row.candidates), row.hint));
}
