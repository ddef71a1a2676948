import { ArazzoError } from '../errors.js';

/**
 * `--allow-host` patterns: `api.example.com`, `*.example.com` (any subdomain, not the apex),
 * `127.0.0.1:8080` (that port only), `[::1]`. Names compare case-insensitively. A document
 * someone else wrote must not make the runner call a host the user did not intend (Arazzo
 * §Security Considerations).
 */
export function isHostAllowed(url: string, patterns: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.toLowerCase();
  const port =
    parsed.port || (parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '');
  return patterns.some((pattern) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(pattern.trim().toLowerCase());
    if (!match?.[1]) return false;
    if (match[2] !== undefined && match[2] !== port) return false;
    const name = match[1];
    if (name.startsWith('*.')) return host.endsWith(name.slice(1)) && host.length > name.length - 1;
    return host === name;
  });
}

export function assertHostAllowed(
  url: string,
  patterns: readonly string[] | undefined,
  what: string,
): void {
  if (patterns === undefined || patterns.length === 0 || isHostAllowed(url, patterns)) return;
  const host = safeHost(url);
  throw new ArazzoError(
    'HOST_NOT_ALLOWED',
    `${what} to ${host} refused: not in --allow-host (${patterns.join(', ')}); nothing was sent`,
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
