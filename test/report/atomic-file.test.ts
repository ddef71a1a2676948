/**
 * Report files are replaced whole (src/report/atomic-file.ts, issue 21 F11): a temporary file in
 * the same folder, renamed over the target; the replaced file's permissions kept, a symbolic link
 * followed (the file it points to is replaced, the link stays), nothing left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmod,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReportFile } from '../../src/report/atomic-file.js';

async function folder(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-atomic-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

test('a report replaces the previous one whole, with its permissions, and leaves no temporary file', async () => {
  const { dir, cleanup } = await folder();
  try {
    const path = join(dir, 'junit.xml');
    await writeFile(path, 'old');
    await chmod(path, 0o600);
    await writeReportFile(path, 'new report');
    assert.equal(await readFile(path, 'utf8'), 'new report');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['junit.xml']);
  } finally {
    await cleanup();
  }
});

test('a symbolic link to the report stays a link; the file it points to is replaced', async () => {
  const { dir, cleanup } = await folder();
  try {
    const real = join(dir, 'real.xml');
    const link = join(dir, 'link.xml');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeReportFile(link, 'through the link');
    assert.ok((await lstat(link)).isSymbolicLink());
    assert.equal(await readFile(real, 'utf8'), 'through the link');
    assert.deepEqual((await readdir(dir)).sort(), ['link.xml', 'real.xml']);
  } finally {
    await cleanup();
  }
});

test('a folder is refused and nothing is written', async () => {
  const { dir, cleanup } = await folder();
  try {
    await assert.rejects(writeReportFile(dir, 'x'), /EISDIR/);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await cleanup();
  }
});
