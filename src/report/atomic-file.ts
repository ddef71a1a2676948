import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Report files (`--har`, `--junit`) are written whole or not at all (issue 21, F11): into a
 * temporary file next to the target, flushed to disk, then renamed over it, so a run killed
 * half-way (SIGKILL, a crash, a power cut) leaves the previous report intact instead of a
 * truncated one. rename(2) within one folder replaces the target atomically (POSIX).
 *
 * A target that exists and is not a regular file (`/dev/stdout`, a pipe) is written directly:
 * there is nothing to replace, and renaming over a device would remove the device. A symbolic
 * link is followed, so the file it points to is replaced and the link stays.
 */
export interface ReportTarget {
  /** The file finally written (a symbolic link resolved). */
  readonly path: string;
  /** Where to write first; undefined: write `path` directly (not a regular file). */
  readonly staging: string | undefined;
  /** The permission bits to create the staging file with (the replaced file's, or the default). */
  readonly mode: number;
}

/** Where a report for `path` is written; rejects (EISDIR) for a folder, before anything is written. */
export async function reportTarget(path: string): Promise<ReportTarget> {
  let info;
  let target = path;
  try {
    target = await realpath(path);
    info = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (info?.isDirectory()) {
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), {
      code: 'EISDIR',
    });
  }
  if (info !== undefined && !info.isFile()) return { path: target, staging: undefined, mode: 0 };
  const staging = join(
    dirname(target),
    `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  return { path: target, staging, mode: info === undefined ? 0o666 : info.mode & 0o777 };
}

/** Renames a finished staging file into place; on failure removes it and rejects. */
export async function commitReport(target: ReportTarget): Promise<void> {
  if (target.staging === undefined) return;
  try {
    await rename(target.staging, target.path);
  } catch (error) {
    await discardReport(target);
    throw error;
  }
}

/** Removes a staging file that will not be committed (a write failed). */
export async function discardReport(target: ReportTarget): Promise<void> {
  if (target.staging !== undefined) await rm(target.staging, { force: true });
}

/** Writes `text` to `path` whole or not at all. */
export async function writeReportFile(path: string, text: string): Promise<void> {
  const target = await reportTarget(path);
  const handle = await open(
    target.staging ?? target.path,
    target.staging ? 'wx' : 'w',
    target.mode,
  );
  try {
    await handle.writeFile(text, 'utf8');
    if (target.staging !== undefined) await handle.sync();
  } catch (error) {
    await handle.close();
    await discardReport(target);
    throw error;
  }
  await handle.close();
  await commitReport(target);
}
