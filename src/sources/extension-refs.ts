/**
 * `$ref`s that do not resolve inside OpenAPI specification extensions (`x-…`), which the runner
 * never reads: a description that ships `x-policy: {$ref: ./policy.yaml}` without the file is
 * still usable (POSITIONS §3). json-schema-ref-parser's own `continueOnError` does the work: it
 * dereferences everything it can, leaves each failed `$ref` as `null`, and throws one
 * `JSONParserErrorGroup` listing every failure with where its `$ref` is (`source`, `path`).
 * Failures all inside extensions: the document is used and they are returned. Any other
 * failure: the first one is thrown, as without the option.
 */
import { isNotFetchedError, restoreRef } from './unfetched-refs.js';

/**
 * A `$ref` that did not resolve and is tolerated: inside an extension, or (under
 * `remote: false`) naming an http(s) document that was not fetched. Where it is, and why.
 */
export interface UnresolvedRef {
  /** The document holding the `$ref` (the description itself, or a file it refers to). */
  readonly file: string;
  /** JSON Pointer of the `$ref` in `file`. */
  readonly pointer: string;
  readonly reason: string;
  /** The http(s) document it names, left unfetched under `remote: false` (unfetched-refs.ts). */
  readonly notFetched?: string;
  /** The `$ref` as written, when known (a `$ref` in the description itself). */
  readonly ref?: string;
}

/** Under `remote: false`: the URLs not fetched, and the description's own remote `$ref`s. */
export interface NotFetched {
  readonly urls: ReadonlySet<string>;
  /** The description, as ref-parser names it in its errors (a path for a local file). */
  readonly root: string;
  /** Its remote `$ref`s as written, by JSON pointer (`remoteRefsOf`). */
  readonly written: ReadonlyMap<string, string>;
}

interface ParserError {
  readonly message: string;
  readonly source?: unknown;
  readonly path?: unknown;
}

/**
 * Runs a `continueOnError` dereference; see the module comment. With `skipped`, a `$ref` to a
 * URL that was not fetched is tolerated anywhere; one in the description itself is put back
 * where it was written, marked (unfetched-refs.ts).
 */
export async function tolerateExtensionRefs<T>(
  dereference: () => Promise<T>,
  skipped?: NotFetched,
): Promise<{ document: T; unresolved: readonly UnresolvedRef[] }> {
  try {
    return { document: await dereference(), unresolved: [] };
  } catch (error) {
    // By name and shape: swagger-parser bundles its own copy of ref-parser, so `instanceof`
    // against ours would miss its errors.
    const group = error as { name?: unknown; errors?: unknown; files?: { schema?: unknown } };
    if (group.name !== 'JSONParserErrorGroup' || !Array.isArray(group.errors)) throw error;
    const errors = group.errors as ParserError[];
    const unfetched = (e: ParserError) =>
      skipped === undefined ? undefined : isNotFetchedError(String(e.message), skipped.urls);
    const blocking = errors.find((e) => !inExtension(e.path) && unfetched(e) === undefined);
    const schema = group.files?.schema;
    if (blocking !== undefined || schema === null || schema === undefined) throw blocking ?? error;
    const unresolved = errors.map((e): UnresolvedRef => {
      const file = typeof e.source === 'string' ? e.source : '';
      const path = Array.isArray(e.path) ? (e.path as string[]) : [];
      const pointer = toPointer(path);
      const url = unfetched(e);
      if (url === undefined) return { file, pointer, reason: e.message };
      const ref = file === skipped?.root ? skipped.written.get(pointer) : undefined;
      if (ref !== undefined) restoreRef(schema, path, ref, url);
      return {
        file,
        pointer,
        reason: e.message,
        notFetched: url,
        ...(ref === undefined ? {} : { ref }),
      };
    });
    return { document: schema as T, unresolved };
  }
}

/**
 * Fields whose keys are names chosen by the author, not OpenAPI fields: `x-rate-limit` under
 * `headers` is a header, under `properties` a property, read like any other. Where such a map
 * also allows extensions (`responses`, `callbacks`), an `x-` key counts as read: the error stays.
 * (`paths` is not here: a path starts with `/`, so an `x-` key there is an extension.)
 */
const NAMED_KEYS = new Set([
  'webhooks',
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
  'headers',
  'content',
  'encoding',
  'examples',
  'links',
  'callbacks',
  'responses',
  'schemas',
  'parameters',
  'requestBodies',
  'securitySchemes',
  'pathItems',
  'mediaTypes',
  'variables',
  'mapping',
  'scopes',
]);

/** Whether a `$ref`'s path runs through a specification extension. */
export function inExtension(path: unknown): boolean {
  if (!Array.isArray(path)) return false;
  return path.some(
    (key, index) =>
      typeof key === 'string' &&
      key.startsWith('x-') &&
      (index === 0 || !NAMED_KEYS.has(String(path[index - 1]))),
  );
}

function toPointer(path: readonly string[]): string {
  return path.map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
