import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ArazzoError, childPointer } from '../errors.js';
import { parseArazzoText, type LoadedDocument } from '../document/load-document.js';
import { parseSourceText } from '../document/source-text.js';
import { readTextFile } from '../document/read-text.js';
import { indexOperations, type OperationRef } from './operations.js';
import type { OpenApiDocument } from './openapi-types.js';
import type { SourceDescription } from '../document/types.js';

export interface LoadedOpenApiSource {
  readonly kind: 'openapi';
  readonly name: string;
  /** Absolute URL of the description (relative server URLs resolve against it). */
  readonly url: string;
  readonly document: OpenApiDocument;
  readonly operations: ReadonlyMap<string, OperationRef>;
}

export interface LoadedArazzoSource {
  readonly kind: 'arazzo';
  readonly name: string;
  readonly url: string;
  readonly loaded: LoadedDocument;
  readonly sources: ReadonlyMap<string, LoadedSource>;
}

export type LoadedSource = LoadedOpenApiSource | LoadedArazzoSource;

export interface SourcesResult {
  readonly sources: ReadonlyMap<string, LoadedSource>;
  /** One error per source that could not be loaded, located at its `url`. */
  readonly errors: readonly ArazzoError[];
}

/**
 * Loads every source description of a document (Arazzo §Source Description Object). All of
 * them are loaded before anything is resolved (1.1 makes that normative). Relative URLs resolve
 * against the referring document (§Relative References in URLs); `arazzo` sources load their
 * own sources recursively, and a cycle of documents is loaded once.
 */
export async function loadSources(
  loaded: LoadedDocument,
  seen: Set<string> = new Set([loaded.url]),
): Promise<SourcesResult> {
  const descriptions: readonly SourceDescription[] = Array.isArray(
    loaded.document.sourceDescriptions,
  )
    ? loaded.document.sourceDescriptions
    : [];
  const settled = await Promise.all(
    descriptions.map(async (description, index) => {
      const location = {
        file: loaded.file,
        pointer: childPointer(childPointer('/sourceDescriptions', index), 'url'),
      };
      try {
        return await loadSource(
          description.name,
          description.url,
          description.type,
          loaded.url,
          seen,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return new ArazzoError(
          'SOURCE_LOAD_FAILED',
          `source "${description.name}" (${description.url}): ${message}`,
          {
            location,
            cause: error,
          },
        );
      }
    }),
  );
  const sources = new Map<string, LoadedSource>();
  const errors: ArazzoError[] = [];
  for (const result of settled) {
    if (result instanceof ArazzoError) errors.push(result);
    else sources.set(result.name, result);
  }
  return { sources, errors };
}

async function loadSource(
  name: string,
  rawUrl: string,
  declaredType: string | undefined,
  base: string,
  seen: Set<string>,
): Promise<LoadedSource> {
  if (typeof rawUrl !== 'string') throw new Error('url must be a string');
  const url = new URL(rawUrl, base).href;
  const text = await readSourceText(url);
  const { data } = parseSourceText(text, displayName(url));
  const type = declaredType ?? sniffType(data);
  if (type === 'arazzo') {
    const loaded = parseArazzoText(text, displayName(url), url);
    // A document that (indirectly) names itself as a source is loaded once.
    const nested = seen.has(url)
      ? { sources: new Map<string, LoadedSource>(), errors: [] }
      : await loadSources(loaded, new Set([...seen, url]));
    const first = nested.errors[0];
    if (first) throw first;
    return { kind: 'arazzo', name, url, loaded, sources: nested.sources };
  }
  if (type !== 'openapi') throw new Error('neither an OpenAPI nor an Arazzo document');
  // swagger-parser resolves the description's own $refs (relative to its location) and checks it.
  const document = (await SwaggerParser.dereference(
    url.startsWith('file:') ? fileURLToPath(url) : url,
    data as never,
    {
      dereference: { circular: 'ignore' },
    },
  )) as OpenApiDocument;
  return { kind: 'openapi', name, url, document, operations: indexOperations(name, url, document) };
}

async function readSourceText(url: string): Promise<string> {
  if (url.startsWith('file:')) return readTextFile(fileURLToPath(url));
  if (!/^https?:/.test(url))
    throw new Error(`unsupported URL scheme in ${url} (only file, http and https)`);
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: 'follow' });
  if (!response.ok) throw new Error(`HTTP ${response.status} fetching ${url}`);
  return response.text();
}

function sniffType(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  if ('openapi' in data || 'swagger' in data) return 'openapi';
  if ('arazzo' in data) return 'arazzo';
  return undefined;
}

function displayName(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : url;
}
