/**
 * The documents a load can find by identity, without a network request (1.1 §Identity-Based
 * Referencing; POSITIONS §11.7). The collection is the local tree the root document lives in:
 *
 * - a source URL that resolves to a `file:` URL is read there (by location, as always);
 * - a relative source URL that the referring document's `$self` resolves to an http(s) URL `U`
 *   is looked for where it would be without `$self` (against the document's local retrieval
 *   URI); the file found there is `U` only if its own `$self` is `U` (an Arazzo 1.1 or OpenAPI
 *   3.2 document): identity, verified, never location alone.
 *
 * All of it is read before any source is resolved ("MUST NOT treat a reference as unresolvable
 * before completely parsing all documents provided"), so which document a URL names does not
 * depend on download order. Nothing is read past a remote document.
 */
import { fileURLToPath } from 'node:url';
import { parseArazzoText, type LoadedDocument } from '../document/load-document.js';
import { parseSourceText } from '../document/source-text.js';
import { readTextFile } from '../document/read-text.js';
import type { SourceDescription } from '../document/types.js';
import { documentBase, resolveReference, resolveSourceUrl } from './base-uri.js';
import { isRemoteUrl } from './fetch-remote.js';

/** A document found by its `$self`; `url` is where it was read (a `file:` URL). */
export type KnownDocument =
  | { readonly kind: 'arazzo'; readonly loaded: LoadedDocument }
  | { readonly kind: 'openapi'; readonly url: string; readonly text: string };

export interface KnownDocuments {
  /** By `$self`, resolved; of two documents with one `$self`, the first found (depth-first). */
  readonly bySelf: ReadonlyMap<string, KnownDocument>;
  /** Every Arazzo document read here, by retrieval URL: a file is one `LoadedDocument`. */
  readonly byUrl: ReadonlyMap<string, LoadedDocument>;
}

/**
 * Reads the local documents `root` leads to. By location only Arazzo documents are read (a
 * source declared `openapi` is left to the load); a file that does not read or parse is skipped
 * (the load reports it if it is the one used).
 */
export async function discoverDocuments(root: LoadedDocument): Promise<KnownDocuments> {
  const bySelf = new Map<string, KnownDocument>();
  const byUrl = new Map<string, LoadedDocument>([[root.url, root]]);
  const read = async (url: string): Promise<Found | undefined> => {
    const loaded = byUrl.get(url);
    return loaded ? arazzoFound(loaded) : readLocal(url);
  };
  const visit = async (loaded: LoadedDocument): Promise<void> => {
    const base = documentBase(loaded);
    if (!base.ok) return;
    if (base.self !== undefined && !bySelf.has(base.self)) {
      bySelf.set(base.self, { kind: 'arazzo', loaded });
    }
    if (isRemoteUrl(loaded.url)) return;
    // One at a time, in document order: the first of two equal `$self`s is always the same one.
    for (const source of sourceList(loaded)) {
      if (typeof source.url !== 'string') continue;
      const resolved = resolveSourceUrl(loaded, source.url);
      if (!resolved.ok) continue;
      let found: Found | undefined;
      if (resolved.url.startsWith('file:')) {
        // By location: the Arazzo documents (OpenAPI ones are left to the load).
        if (source.type === 'openapi' || byUrl.has(resolved.url)) continue;
        found = await read(resolved.url);
      } else {
        // `$self` sent a relative URL off the local tree: the file where it would be, if that
        // file says it is the resolved URL.
        const local = resolveReference(source.url, loaded.url);
        if (local === undefined || local === resolved.url || !local.startsWith('file:')) continue;
        found = await read(local);
        if (found === undefined || found.self !== resolved.url) continue;
        if (source.type !== undefined && source.type !== found.document.kind) continue;
        if (!bySelf.has(found.self)) bySelf.set(found.self, found.document);
      }
      if (found?.document.kind !== 'arazzo' || byUrl.has(found.document.loaded.url)) continue;
      byUrl.set(found.document.loaded.url, found.document.loaded);
      await visit(found.document.loaded);
    }
  };
  await visit(root);
  return { bySelf, byUrl };
}

/**
 * The known document whose `$self` is `url`: 1.1 resolves an absolute source URL "to an
 * Arazzo Description by identity (matching the `$self` value) rather than by location alone",
 * and a relative one is an absolute URL once resolved. A declared `type` must match.
 */
export function identifiedBy(
  known: KnownDocuments,
  url: string,
  declaredType: string | undefined,
): KnownDocument | undefined {
  const found = known.bySelf.get(url);
  if (found === undefined || (declaredType !== undefined && declaredType !== found.kind)) {
    return undefined;
  }
  return found;
}

/** A document read from a file, with its `$self` resolved against where it was read. */
interface Found {
  readonly document: KnownDocument;
  readonly self: string | undefined;
}

function arazzoFound(loaded: LoadedDocument): Found {
  const base = documentBase(loaded);
  return { document: { kind: 'arazzo', loaded }, self: base.ok ? base.self : undefined };
}

/** An Arazzo or OpenAPI document read from a `file:` URL; undefined for anything else. */
async function readLocal(url: string): Promise<Found | undefined> {
  try {
    const path = fileURLToPath(url);
    const text = await readTextFile(path);
    const { data } = parseSourceText(text, path);
    if (typeof data !== 'object' || data === null) return undefined;
    if ('arazzo' in data) return arazzoFound(parseArazzoText(text, path, url));
    if (!('openapi' in data)) return undefined;
    // OpenAPI 3.2 `$self` is a URI-reference without a fragment, resolved as Arazzo's is.
    const self = (data as { $self?: unknown }).$self;
    return {
      document: { kind: 'openapi', url, text },
      self:
        typeof self === 'string' && !self.includes('#') ? resolveReference(self, url) : undefined,
    };
  } catch {
    return undefined;
  }
}

function sourceList(loaded: LoadedDocument): readonly Partial<SourceDescription>[] {
  const list: unknown = loaded.document.sourceDescriptions;
  return Array.isArray(list)
    ? list.filter(
        (entry): entry is Partial<SourceDescription> => typeof entry === 'object' && entry !== null,
      )
    : [];
}
