import { childPointer } from '../../errors.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * `source-url-html-page` (warning): a source `url` that is a github.com file page
 * (`https://github.com/<owner>/<repo>/blob/<ref>/<path>`). That page is HTML around the file,
 * not the description "to be used by a workflow" (§Source Description Object `url`), so loading
 * it fails or reads the wrong thing; the file itself is served at
 * `https://raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>`. Decided from the URL alone,
 * so it is reported offline too. (`?raw=true` redirects to the file and is not reported.)
 */
export const sourceUrlHtmlPage = {
  codes: { 'source-url-html-page': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const source of ctx.model.sources) {
      if (source.url === undefined) continue;
      const raw = rawGitHubUrl(source.url);
      if (raw === undefined) continue;
      findings.push({
        code: 'source-url-html-page',
        message: `source "${source.name ?? source.index}": ${source.url} is GitHub's HTML page for the file, not the file; use ${raw}`,
        pointer: childPointer(source.pointer, 'url'),
      });
    }
    return findings;
  },
} satisfies Rule;

/** The raw.githubusercontent.com URL of a github.com `/blob/` page, else undefined. */
export function rawGitHubUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.hostname !== 'github.com' && parsed.hostname !== 'www.github.com') return undefined;
  if (parsed.searchParams.get('raw') === 'true') return undefined;
  const [, owner, repo, blob, ...rest] = parsed.pathname.split('/');
  if (owner === undefined || repo === undefined || blob !== 'blob' || rest.length < 2) {
    return undefined;
  }
  return `https://raw.githubusercontent.com/${owner}/${repo}/${rest.join('/')}`;
}
