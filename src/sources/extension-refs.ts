/**
 * `$ref`s that do not resolve inside OpenAPI specification extensions (`x-…`), which the runner
 * never reads: a description that ships `x-policy: {$ref: ./policy.yaml}` without the file is
 * still usable (POSITIONS §3). json-schema-ref-parser's own `continueOnError` does the work: it
 * dereferences everything it can, leaves each failed `$ref` as `null`, and throws one
 * `JSONParserErrorGroup` listing every failure with where its `$ref` is (`source`, `path`).
 * Failures all inside extensions: the document is used and they are returned. Any other
 * failure: the first one is thrown, as without the option.
 */

/** A `$ref` inside an extension that did not resolve: where it is, and ref-parser's reason. */
export interface UnresolvedRef {
  /** The document holding the `$ref` (the description itself, or a file it refers to). */
  readonly file: string;
  /** JSON Pointer of the `$ref` in `file`. */
  readonly pointer: string;
  readonly reason: string;
}

interface ParserError {
  readonly message: string;
  readonly source?: unknown;
  readonly path?: unknown;
}

/** Runs a `continueOnError` dereference; see the module comment. */
export async function tolerateExtensionRefs<T>(
  dereference: () => Promise<T>,
): Promise<{ document: T; unresolved: readonly UnresolvedRef[] }> {
  try {
    return { document: await dereference(), unresolved: [] };
  } catch (error) {
    // By name and shape: swagger-parser bundles its own copy of ref-parser, so `instanceof`
    // against ours would miss its errors.
    const group = error as { name?: unknown; errors?: unknown; files?: { schema?: unknown } };
    if (group.name !== 'JSONParserErrorGroup' || !Array.isArray(group.errors)) throw error;
    const errors = group.errors as ParserError[];
    const blocking = errors.find((e) => !inExtension(e.path));
    const schema = group.files?.schema;
    if (blocking !== undefined || schema === null || schema === undefined) throw blocking ?? error;
    return {
      document: schema as T,
      unresolved: errors.map((e) => ({
        file: typeof e.source === 'string' ? e.source : '',
        pointer: toPointer(e.path as string[]),
        reason: e.message,
      })),
    };
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
