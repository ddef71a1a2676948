/**
 * Remote `$ref`s of a local OpenAPI description under `remote: false` (`--no-remote`): nothing
 * is fetched, the description loads with each such `$ref` left as it was written, and whatever
 * needs that part says so (POSITIONS §3). json-schema-ref-parser, run with `continueOnError`,
 * leaves a `$ref` it could not read as `null`; the `$ref` object is put back in its place,
 * marked, so that a Reference Object is still where the OpenAPI schema allows one and the
 * request builder can tell "not fetched" from "not there".
 */
import { isRemoteUrl } from './fetch-remote.js';

/** Marks a `$ref` object left in place: the URL that was not fetched. */
const UNFETCHED: unique symbol = Symbol('arazzo.unfetched-ref');

interface UnfetchedRef {
  readonly $ref: string;
  readonly [UNFETCHED]: string;
}

/** The error a resolver throws instead of fetching; its message names the URL in quotes, as ref-parser's own wording does. */
export function notFetched(url: string): Error {
  return new Error(`not fetched (remote $refs are off): "${url}"`);
}

/** Whether one of ref-parser's errors is about one of the URLs that were not fetched. */
export function isNotFetchedError(message: string, urls: ReadonlySet<string>): string | undefined {
  for (const url of urls) if (message.includes(`"${url}"`)) return url;
  return undefined;
}

/**
 * The remote `$ref`s of a parsed description, by JSON pointer, before ref-parser replaces them
 * (ref-parser's own walk: every object with a string `$ref` not starting with `#`).
 */
export function remoteRefsOf(data: unknown, base: string): Map<string, string> {
  const refs = new Map<string, string>();
  const seen = new Set<object>();
  const visit = (node: unknown, pointer: string): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && !ref.startsWith('#') && isRemoteUrl(resolved(ref, base)))
      refs.set(pointer, ref);
    for (const [key, value] of Object.entries(node))
      visit(value, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
  };
  visit(data, '');
  return refs;
}

/** Puts the `$ref` written at `path` back into `document` (where ref-parser left `null`), marked. */
export function restoreRef(
  document: unknown,
  path: readonly string[],
  ref: string,
  url: string,
): void {
  const parent = path
    .slice(0, -1)
    .reduce<unknown>(
      (node, key) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[key]
          : undefined,
      document,
    );
  const key = path.at(-1);
  if (typeof parent !== 'object' || parent === null || key === undefined) return;
  const marker: UnfetchedRef = { $ref: ref, [UNFETCHED]: url };
  (parent as Record<string, unknown>)[key] = marker;
}

/**
 * The first `$ref` left unfetched in `value` (at any depth): a request built from it would
 * miss what the referenced document defines.
 */
export function unfetchedRefIn(value: unknown): { ref: string; url: string } | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const url = (node as Partial<UnfetchedRef>)[UNFETCHED];
    if (typeof url === 'string') return { ref: (node as UnfetchedRef).$ref, url };
    stack.push(...(Object.values(node) as unknown[]));
  }
  return undefined;
}

function resolved(ref: string, base: string): string {
  try {
    return new URL(ref.replaceAll('\\', '/'), base.replaceAll('\\', '/')).href;
  } catch {
    return ref;
  }
}
