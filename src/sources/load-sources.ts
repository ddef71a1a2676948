import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ArazzoError, childPointer } from '../errors.js';
import { parseArazzoText, type LoadedDocument } from '../document/load-document.js';
import { parseSourceText } from '../document/source-text.js';
import { MAX_DOCUMENT_BYTES, readTextFile } from '../document/read-text.js';
import { assertHostAllowed, isHostAllowed } from '../http/host-guard.js';
import { deadlineSignal } from '../timers.js';
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
  /** Aborts every fetch (the CLI's SIGINT/SIGTERM); the sources then fail to load. */
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
        const message = error instanceof Error ? error.message : String(error);
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
  const text = await readSourceText(url, options.allowHosts, options.signal);
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
  // swagger-parser resolves the description's own $refs (relative to its location) and checks it.
  const parserOptions: SwaggerParser.Options = {
    dereference: { circular: 'ignore' },
    resolve: {
      http: {
        timeout: REMOTE_TIMEOUT_MS,
        redirects: MAX_REDIRECTS,
        // A remote $ref inside a description obeys --allow-host like everything else.
        canRead: (file: { url: string }) =>
          /^https?:/i.test(file.url) &&
          (options.allowHosts === undefined ||
            options.allowHosts.length === 0 ||
            isHostAllowed(file.url, options.allowHosts)),
      },
    },
  };
  const document = (await SwaggerParser.dereference(
    url.startsWith('file:') ? fileURLToPath(url) : url,
    data as never,
    parserOptions,
  )) as OpenApiDocument;
  return { kind: 'openapi', name, url, document, operations: indexOperations(name, url, document) };
}

const REMOTE_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;

/**
 * Reads a source description: a local file, or an http(s) URL fetched with a deadline, a size
 * cap and redirects followed by hand so that each hop is checked against `--allow-host`.
 */
async function readSourceText(
  url: string,
  allowHosts: readonly string[] | undefined,
  cancel?: AbortSignal,
): Promise<string> {
  if (url.startsWith('file:')) return readTextFile(fileURLToPath(url));
  if (!/^https?:/.test(url))
    throw new Error(`unsupported URL scheme in ${url} (only file, http and https)`);
  const signal = deadlineSignal(REMOTE_TIMEOUT_MS, cancel);
  let target = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    assertHostAllowed(target, allowHosts, 'fetching a source description');
    const response = await fetch(target, { signal, redirect: 'manual' }).catch((error: unknown) => {
      // fetch says only "fetch failed"; the cause has the reason (ECONNREFUSED, ENOTFOUND, …).
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot fetch ${target}: ${cause?.code ?? cause?.message ?? String(error)}`);
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      target = new URL(location, target).href;
      continue;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} fetching ${target}`);
    return await readCapped(response, target);
  }
  throw new Error(`more than ${MAX_REDIRECTS} redirects fetching ${url}`);
}

async function readCapped(response: Response, url: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body === null) return '';
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > MAX_DOCUMENT_BYTES) {
      // Leaving the loop by throwing cancels the stream.
      throw new Error(`${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
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
