import { ArazzoError } from '../errors.js';
import type { LoadedOpenApiSource, LoadedSource } from './load-sources.js';
import type { OperationRef } from './operations.js';
import { didYouMean } from './did-you-mean.js';
import { SOURCE_PREFIX } from '../document/constants.js';

/**
 * Finds the operation a step's `operationId` names (Arazzo §Step Object): either
 * `$sourceDescriptions.<name>.<operationId>`, or a bare id that must be unique across the
 * OpenAPI sources. operationIds are case-sensitive.
 */
export function resolveOperationId(
  sources: ReadonlyMap<string, LoadedSource>,
  operationId: string,
): OperationRef {
  const openapi = [...sources.values()].filter(
    (s): s is LoadedOpenApiSource => s.kind === 'openapi',
  );
  if (operationId.startsWith(SOURCE_PREFIX)) {
    // Source names match [A-Za-z0-9_-]+ (no dots), so the first dot ends the name.
    const rest = operationId.slice(SOURCE_PREFIX.length);
    const dot = rest.indexOf('.');
    const name = dot < 0 ? rest : rest.slice(0, dot);
    const id = dot < 0 ? '' : rest.slice(dot + 1);
    const source = sources.get(name);
    if (!source || source.kind !== 'openapi') {
      const hint = didYouMean(
        name,
        openapi.map((s) => s.name),
      );
      throw new ArazzoError(
        'SOURCE_NOT_FOUND',
        `no OpenAPI source description named "${name}"${hint}`,
      );
    }
    return lookup([source], id);
  }
  return lookup(openapi, operationId);
}

function lookup(candidates: readonly LoadedOpenApiSource[], id: string): OperationRef {
  const found = candidates.flatMap((source) => {
    const ref = source.operations.get(id);
    return ref ? [ref] : [];
  });
  if (found.length === 1 && found[0]) return found[0];
  if (found.length > 1) {
    const names = found.map((ref) => `$sourceDescriptions.${ref.sourceName}.${id}`).join(', ');
    throw new ArazzoError(
      'OPERATION_AMBIGUOUS',
      `operationId "${id}" exists in several sources; write one of ${names}`,
    );
  }
  const known = candidates.flatMap((source) => [...source.operations.keys()]);
  throw new ArazzoError(
    'OPERATION_NOT_FOUND',
    `operationId "${id}" not found${didYouMean(id, known)}`,
  );
}
