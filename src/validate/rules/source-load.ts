import type { Rule } from './rule.js';

/**
 * Each source description loads (Arazzo 1.0.1 §Source Description Object): `source-load-failed`
 * at its `url` (missing file, unreadable or invalid description, HTTP error); with
 * `resolveRemote: false`, an http(s) source is `source-remote-skipped` (warning) and the checks
 * that need it are skipped. The loading itself happens before the rules run (sources.ts).
 */
export const sourceLoad: Rule = {
  codes: { 'source-load-failed': 'error', 'source-remote-skipped': 'warning' },
  check(ctx) {
    return [...ctx.sources.findings];
  },
};
