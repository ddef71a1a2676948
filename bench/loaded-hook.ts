/**
 * For `node dist/bench/imports.js --must-not-load`: preloaded with `node --import <this file's
 * URL> …` and `BENCH_LOADED_FILE=<path>`, it writes the files of every CommonJS module the
 * process loaded (the shared `require.cache`, which also holds the CommonJS packages an ES
 * module imported) to that file when the process exits, one a line. The measured program itself
 * is not changed.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env['BENCH_LOADED_FILE'];
if (file !== undefined && file !== '') {
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => writeFileSync(file, `${Object.keys(cache).join('\n')}\n`));
}
