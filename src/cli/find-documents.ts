import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { ArazzoError } from '../errors.js';

/** `*.arazzo.yaml`, `*.arazzo.yml`, `*.arazzo.json`, and files named `arazzo.<ext>` (POSITIONS §14.1). */
const DOCUMENT_NAME = /(^|\.)arazzo\.(ya?ml|json)$/i;

/**
 * The Arazzo documents of `arazzo test`'s arguments, as paths relative to `cwd` when under it:
 * a file is taken as given, a folder searched recursively for document names (`node_modules`
 * and dot folders skipped), each folder's finds sorted, duplicates dropped. A path that does
 * not exist is a usage error.
 */
export async function findDocuments(paths: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (info === undefined) throw new ArazzoError('USAGE', `${path}: no such file or folder`);
    if (info.isDirectory()) for (const file of await walk(absolute)) found.add(file);
    else found.add(absolute);
  }
  return [...found].map((file) => {
    const shown = relative(cwd, file);
    return shown.startsWith('..') ? file : shown;
  });
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      files.push(...(await walk(path)));
    } else if (entry.isFile() && DOCUMENT_NAME.test(entry.name)) files.push(path);
  }
  return files;
}

/** `--workflow` patterns: `*` any run of characters, `?` one; anything else literal. */
export function workflowMatcher(patterns: readonly string[]): (workflowId: string) => boolean {
  if (patterns.length === 0) return () => true;
  const regexes = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .split('')
          .map((char) =>
            char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
          )
          .join('')}$`,
        's',
      ),
  );
  return (workflowId) => regexes.some((regex) => regex.test(workflowId));
}
