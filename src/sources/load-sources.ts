import { fileURLToPath } from 'node:url';
import { ArazzoError, childPointer, formatError, type Location } from '../errors.js';
import { parseArazzoText, type LoadedDocument } from '../document/load-document.js';
import { parseSourceText } from '../document/source-text.js';
import { readTextFile } from '../document/read-text.js';
import { documentBase, resolveReference, resolveSourceUrl } from './base-uri.js';
import { FetchBudget, fetchRemote, isRemoteUrl } from './fetch-remote.js';
import { discoverDocuments, identifiedBy, type KnownDocuments } from './known-documents.js';
import { dereferenceDescription, localRefused } from './remote-refs.js';
import { indexOperations, type OperationRef } from './operations.js';
import type { OpenApiDocument } from './openapi-types.js';
import type { UnresolvedRef } from './extension-refs.js';
import type { SourceDescription } from '../document/types.js';
import { asyncApiSource, type LoadedAsyncApiSource } from './asyncapi.js';

export type { LoadedAsyncApiSource } from './asyncapi.js';

export interface LoadedOpenApiSource {
  readonly kind: 'openapi';
  readonly name: string;
  /** Absolute URL of the description (relative server URLs resolve against it). */
  readonly url: string;
  readonly document: OpenApiDocument;
  readonly operations: ReadonlyMap<string, OperationRef>;
  /** `$ref`s inside `x-` extensions that did not resolve: left `null`, reported as warnings. */
  readonly unresolvedRefs: readonly UnresolvedRef[];
}

export interface LoadedArazzoSource {
  readonly kind: 'arazzo';
  readonly name: string;
  /** The source's URL, resolved: a document found by identity has it as `$self` (`loaded.url` is where it was read). */
  readonly url: string;
  readonly loaded: LoadedDocument;
  readonly sources: ReadonlyMap<string, LoadedSource>;
}

export type LoadedSource = LoadedOpenApiSource | LoadedArazzoSource | LoadedAsyncApiSource;

export interface SourcesResult {
  readonly sources: ReadonlyMap<string, LoadedSource>;
  /** One error per source that could not be loaded, located at its `url`. */
  readonly errors: readonly ArazzoError[];
  /** With `remote: false`: the http(s) sources not fetched, at any depth. */
  readonly skipped: readonly SkippedSource[];
}

/** An http(s) source left unfetched under `remote: false` (`--no-remote`). */
export interface SkippedSource {
  readonly name: string;
  readonly url: string;
  /** The `arazzo` sources it was reached through, outermost first (empty: the document's own). */
  readonly via: readonly string[];
  /** The document's own source description entry it was reached through (its `url`). */
  readonly location: Location;
}

/**
 * Loads every source description of a document (Arazzo §Source Description Object). All of
 * them are loaded before anything is resolved (1.1 makes that normative). Relative URLs resolve
 * against the referring document's base URI: its retrieval URI, or in 1.1 its `$self`; a URL
 * that is the `$self` of a known document names that document (POSITIONS §11.7). `arazzo`
 * sources load their own sources recursively, and a cycle of documents is loaded once.
 */
export interface LoadSourcesOptions {
  /** `--allow-host` patterns: remote sources (and their remote `$ref`s) on other hosts are refused. */
  readonly allowHosts?: readonly string[];
  /** Ends every download still running (Ctrl-C while sources load). */
  readonly signal?: AbortSignal;
  /** The documents found by identity (`discoverDocuments`); by default discovered from `loaded`. */
  readonly known?: KnownDocuments;
  /**
   * `false` (`--no-remote`): http(s) sources that no local document stands for are not fetched,
   * at any depth of `arazzo` sources, and are listed in `skipped` instead.
   */
  readonly remote?: boolean;
}

export async function loadSources(
  loaded: LoadedDocument,
  options: LoadSourcesOptions = {},
  seen: Set<string> = new Set([loaded.url]),
): Promise<SourcesResult> {
  const known = options.known ?? (await discoverDocuments(loaded));
  return loadAll(loaded, { ...options, known }, seen);
}

type LoadRun = LoadSourcesOptions & { readonly known: KnownDocuments };

async function loadAll(
  loaded: LoadedDocument,
  options: LoadRun,
  seen: Set<string>,
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
        return await loadSourceAt(
          location,
          description.name,
          description.url,
          description.type,
          loaded,
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
          `${describeSource(description, index)}: ${message}${againstSelf(loaded, description)}`,
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
  const skipped: SkippedSource[] = [];
  for (const result of settled) {
    if (result instanceof ArazzoError) errors.push(result);
    else {
      if (result.source) sources.set(result.source.name, result.source);
      skipped.push(...result.skipped);
    }
  }
  return { sources, errors, skipped };
}

/** A source, and what `remote: false` left out of it, reported at `location` (its entry here). */
async function loadSourceAt(
  location: Location,
  ...args: Parameters<typeof loadSource>
): Promise<{ source?: LoadedSource; skipped: readonly SkippedSource[] }> {
  const { source, skipped } = await loadSource(...args);
  return { ...(source ? { source } : {}), skipped: skipped.map((s) => ({ ...s, location })) };
}

/** A loaded source (none when it was skipped) and the sources skipped in or instead of it. */
interface Loaded {
  readonly source?: LoadedSource;
  readonly skipped: readonly Omit<SkippedSource, 'location'>[];
}

async function loadSource(
  name: string,
  rawUrl: string,
  declaredType: string | undefined,
  referrer: LoadedDocument,
  options: LoadRun,
  seen: Set<string>,
): Promise<Loaded> {
  if (typeof rawUrl !== 'string') throw new Error('url must be a string');
  const resolved = resolveSourceUrl(referrer, rawUrl);
  if (!resolved.ok) throw new Error(resolved.why);
  const { url } = resolved;
  // Nothing fetched over the network may make the runner read a local file (README "Security"):
  // a remote document names only remote sources, so the rule carries down any chain of them.
  // The retrieval URI decides, not `$self`: it is where the document's bytes came from. Nor
  // does a remote document reach the local documents known by identity (POSITIONS §11.7).
  const remoteReferrer = isRemoteUrl(referrer.url);
  if (remoteReferrer && !isRemoteUrl(url)) throw localRefused(referrer.url, url);
  // Identity first: a known document with this `$self` is that document, wherever it was read.
  const identified = remoteReferrer ? undefined : identifiedBy(options.known, url, declaredType);
  if (identified?.kind === 'arazzo')
    return arazzoSource(name, url, identified.loaded, options, seen);
  if (identified?.kind === 'openapi') {
    const { data } = parseSourceText(identified.text, displayName(identified.url));
    return { source: await openApiSource(name, url, identified.url, data, options), skipped: [] };
  }
  const read =
    declaredType === undefined || declaredType === 'arazzo'
      ? options.known.byUrl.get(url)
      : undefined;
  if (read) return arazzoSource(name, url, read, options, seen);
  if (options.remote === false && isRemoteUrl(url)) return { skipped: [{ name, url, via: [] }] };
  const text = await readSourceText(url, options);
  const { data } = parseSourceText(text, displayName(url));
  const type = declaredType ?? sniffType(data);
  if (type === 'arazzo') {
    return arazzoSource(name, url, parseArazzoText(text, displayName(url), url), options, seen);
  }
  if (type === 'asyncapi') return { source: await asyncApiSource(name, url, data), skipped: [] };
  if (type !== 'openapi') throw new Error('neither an OpenAPI, AsyncAPI nor Arazzo document');
  return { source: await openApiSource(name, url, url, data, options), skipped: [] };
}

/**
 * An `openapi` source. swagger-parser resolves the description's own $refs relative to where it
 * was read (`retrieval`): remote ones through our fetch, and never a local file for a remote
 * document (remote-refs.ts). `url` is the URL that named it (its `$self` when found by identity).
 */
async function openApiSource(
  name: string,
  url: string,
  retrieval: string,
  data: unknown,
  options: LoadRun,
): Promise<LoadedOpenApiSource> {
  const { document, unresolved } = await dereferenceDescription(retrieval, data, options);
  return {
    kind: 'openapi',
    name,
    url,
    document,
    operations: indexOperations(name, url, document),
    unresolvedRefs: unresolved,
  };
}

/**
 * An `arazzo` source: the document and its own sources; `url` is the URL that named it. A source
 * of its own left unfetched (`remote: false`) leaves it usable: it is passed up, not thrown.
 */
async function arazzoSource(
  name: string,
  url: string,
  loaded: LoadedDocument,
  options: LoadRun,
  seen: Set<string>,
): Promise<Loaded> {
  // A document that (indirectly) names itself as a source is loaded once.
  const nested = seen.has(loaded.url)
    ? { sources: new Map<string, LoadedSource>(), errors: [], skipped: [] }
    : await loadAll(loaded, options, new Set([...seen, loaded.url]));
  const first = nested.errors[0];
  if (first) throw first;
  const source: LoadedArazzoSource = { kind: 'arazzo', name, url, loaded, sources: nested.sources };
  return {
    source,
    skipped: nested.skipped.map(({ location: _, ...entry }) => ({
      ...entry,
      via: [name, ...entry.via],
    })),
  };
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
  if ('asyncapi' in data) return 'asyncapi';
  return undefined;
}

function displayName(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : url;
}

/**
 * ` (resolved against $self …)` when the document's `$self` sent the source's url somewhere else
 * than its location would: a failure to fetch a neighbour of a local file is then explained.
 */
function againstSelf(loaded: LoadedDocument, description: unknown): string {
  const url = (description as Partial<SourceDescription> | null)?.url;
  const base = documentBase(loaded);
  if (typeof url !== 'string' || !base.ok || base.self === undefined) return '';
  const resolved = resolveReference(url, base.base);
  if (resolved === undefined || resolved === resolveReference(url, loaded.url)) return '';
  return ` (the url is resolved against the document's $self, ${base.self})`;
}

/** `source "name" (url)`, or its position when the entry is not even an object. */
function describeSource(description: unknown, index: number): string {
  if (typeof description !== 'object' || description === null) return `source ${index}`;
  const { name, url } = description as Partial<SourceDescription>;
  return `source "${String(name)}" (${String(url)})`;
}
