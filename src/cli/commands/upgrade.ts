import { resolve } from 'node:path';
import { ArazzoError } from '../../errors.js';
import { readTextFile } from '../../document/read-text.js';
import { writeReportFile } from '../../report/atomic-file.js';
import { TARGET_VERSION, unifiedDiff, upgradeText } from '../../upgrade/index.js';
import { EXIT, type CliIo } from '../io.js';

export interface UpgradeCommandOptions {
  /** Replace the file (atomically) instead of printing a diff. */
  readonly write?: boolean;
}

/**
 * `arazzo upgrade <file> [--write]`: an Arazzo 1.0.x document → 1.1.0 (POSITIONS §11.5).
 * Prints a unified diff on stdout (nothing else, so it can be piped to `patch`) and one line per
 * change on stderr; `--write` replaces the file instead. Exit 0 upgraded or already 1.1.x
 * (nothing written); 2 for a usage error, an unreadable file, or a refusal (one `file:line:
 * reason` line each on stderr; nothing printed on stdout, nothing written).
 */
export async function upgradeCommand(
  file: string,
  options: UpgradeCommandOptions,
  io: CliIo,
): Promise<number> {
  const absolute = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readTextFile(absolute);
  } catch (error) {
    if (!(error instanceof ArazzoError)) throw error;
    io.stderr(`arazzo upgrade: ${file}: ${error.message}\n`);
    return EXIT.USAGE;
  }
  const result = upgradeText(text);
  if (result.status === 'current') {
    io.stderr(`${file}: already Arazzo 1.1; nothing to do\n`);
    return EXIT.OK;
  }
  if (result.status === 'refused') {
    for (const refusal of result.refusals) {
      io.stderr(`${file}:${refusal.line}: cannot upgrade: ${refusal.message}\n`);
    }
    io.stderr(
      `arazzo upgrade: ${file} not upgraded (${result.refusals.length} reason${result.refusals.length === 1 ? '' : 's'}); nothing written\n`,
    );
    return EXIT.USAGE;
  }
  if (options.write === true) {
    try {
      await writeReportFile(absolute, result.text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      io.stderr(`arazzo upgrade: cannot write ${file} (${code ?? String(error)})\n`);
      return EXIT.USAGE;
    }
  } else {
    io.stdout(unifiedDiff(text, result.text, `a/${file}`, `b/${file}`));
  }
  for (const change of result.changes) io.stderr(`${file}:${change.line}: ${change.message}\n`);
  io.stderr(
    options.write === true
      ? `${file}: upgraded to Arazzo ${TARGET_VERSION} (${result.changes.length} change${result.changes.length === 1 ? '' : 's'})\n`
      : `${file}: would upgrade to Arazzo ${TARGET_VERSION} (${result.changes.length} change${result.changes.length === 1 ? '' : 's'}); --write to apply\n`,
  );
  return EXIT.OK;
}
