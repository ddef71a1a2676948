/**
 * Preloaded with `node --import` when `/usr/bin/time` is missing: prints the process's peak
 * resident set size on exit, on a line of its own that `measure.ts` strips from stderr.
 * (stderr is a pipe here, and pipe writes are synchronous on Linux, so the line is not lost.)
 */
process.on('exit', () => {
  process.stderr.write(`\n[maxrss-kib ${process.resourceUsage().maxRSS}]\n`);
});

export {};
