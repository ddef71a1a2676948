import type { Rule } from './rule.js';

/**
 * Each source description loads (Arazzo 1.0.1 §Source Description Object): `source-load-failed`
 * at its `url` (missing file, unreadable or invalid description, HTTP error); with
 * `resolveRemote: false`, an http(s) source is `source-remote-skipped` (warning) and the checks
 * that need it are skipped. `self-base-remote` (warning): a relative `url` that the document's
 * `$self` resolves to an http(s) URL while a file exists at that path next to the document
 * (1.1 §Establishing the Base URI; POSITIONS §11.7). `source-ref-unresolved` (warning): a `$ref`
 * inside an OpenAPI `x-` extension that does not resolve (POSITIONS §3). `source-ref-not-fetched`
 * (warning): with `resolveRemote: false`, a local description's `$ref` to an http(s) document,
 * left unresolved instead of fetched (POSITIONS §3). The loading itself, and the file lookups,
 * happen before the rules run (sources.ts).
 */
export const sourceLoad = {
  codes: {
    'source-load-failed': 'error',
    'source-remote-skipped': 'warning',
    'self-base-remote': 'warning',
    'source-ref-unresolved': 'warning',
    'source-ref-not-fetched': 'warning',
  },
  check(ctx) {
    return [...ctx.sources.findings];
  },
} satisfies Rule;
