import { fileURLToPath } from 'node:url';
import { ArazzoError, childPointer, formatError } from '../errors.js';
import { parseArazzoText, type LoadedDocument } from '../document/load-document.js';
import { parseSourceText } from '../document/source-text.js';
import { readTextFile } from '../document/read-text.js';
import { FetchBudget, fetchRemote, isRemoteUrl } from './fetch-remote.js';
import { dereferenceDescription, localRefused } from './remote-refs.js';
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
export interface LoadSourcesOptions {
  /** `--allow-host` patterns: remote sources (and their remote `$ref`s) on other hosts are refused. */
  readonly allowHosts?: readonly string[];
  /** Ends every download still running (Ctrl-C while sources load). */
  readonly signal?: AbortSignal;
}

export async function loadSources(
  loaded: LoadedDocument,
  options: LoadSourcesOptions = {},
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
        if (typeof description !== 'object' || description === null) {
          throw new Error('a source description must be an object');
        }
        return await loadSource(
          description.name,
          description.url,
          description.type,
          loaded.url,
          options,
          seen,
        );
      } catch (error) {
        // A source's own place (its file, a YAML error's line) is part of why it failed.
        const message =
          error instanceof ArazzoError
            ? formatError(error)
            : error instanceof Error
              ? error.message
              : String(error);
        return new ArazzoError(
          'SOURCE_LOAD_FAILED',
          `${describeSource(description, index)}: ${message}`,
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
  options: LoadSourcesOptions,
  seen: Set<string>,
): Promise<LoadedSource> {
  if (typeof rawUrl !== 'string') throw new Error('url must be a string');
  const url = new URL(rawUrl, base).href;
  // Nothing fetched over the network may make the runner read a local file (README "Security"):
  // a remote document names only remote sources, so the rule carries down any chain of them.
  if (isRemoteUrl(base) && !isRemoteUrl(url)) throw localRefused(base, url);
  const text = await readSourceText(url, options);
  const { data } = parseSourceText(text, displayName(url));
  const type = declaredType ?? sniffType(data);
  if (type === 'arazzo') {
    const loaded = parseArazzoText(text, displayName(url), url);
    // A document that (indirectly) names itself as a source is loaded once.
    const nested = seen.has(url)
      ? { sources: new Map<string, LoadedSource>(), errors: [] }
      : await loadSources(loaded, options, new Set([...seen, url]));
    const first = nested.errors[0];
    if (first) throw first;
    return { kind: 'arazzo', name, url, loaded, sources: nested.sources };
  }
  if (type !== 'openapi') throw new Error('neither an OpenAPI nor an Arazzo document');
  // swagger-parser resolves the description's own $refs (relative to its location): remote ones
  // through our fetch, and never a local file for a remote document (remote-refs.ts).
  const document = await dereferenceDescription(url, data, options);
  return { kind: 'openapi', name, url, document, operations: indexOperations(name, url, document) };
}

/**
 * Reads a source description: a local file, or an http(s) URL (fetch-remote.ts: a deadline, a
 * size cap, and redirects followed by hand so that each hop is checked against `--allow-host`).
 */
async function readSourceText(url: string, options: LoadSourcesOptions): Promise<string> {
  if (url.startsWith('file:')) return readTextFile(fileURLToPath(url));
  if (!isRemoteUrl(url))
    throw new Error(`unsupported URL scheme in ${url} (only file, http and https)`);
  const budget = new FetchBudget(options.signal === undefined ? {} : { signal: options.signal });
  try {
    const body = await fetchRemote(url, {
      what: 'fetching a source description',
      allowHosts: options.allowHosts,
      budget,
    });
    return body.toString('utf8');
  } finally {
    budget.close();
  }
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

/** `source "name" (url)`, or its position when the entry is not even an object. */
function describeSource(description: unknown, index: number): string {
  if (typeof description !== 'object' || description === null) return `source ${index}`;
  const { name, url } = description as Partial<SourceDescription>;
  return `source "${String(name)}" (${String(url)})`;
}
