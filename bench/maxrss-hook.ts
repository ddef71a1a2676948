/**
 * Fallback for machines without GNU time: preloaded with `node --import <this file's URL> …` and
 * `BENCH_MAXRSS_FILE=<path>`, it writes `<peak RSS KiB> <user CPU s> <system CPU s>` (the same
 * line as `/usr/bin/time -f '%M %U %S'`) to that file when the process exits. The measured
 * program itself is not changed.
 */
import { writeFileSync } from 'node:fs';

const file = process.env['BENCH_MAXRSS_FILE'];
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const line = `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`;
    writeFileSync(file, line);
  });
}
