/**
 * Loads the source descriptions for validation with `loadSources` (the runner's own loader), so
 * that what validates is what runs. Entries the schema rejects (no name or url) are skipped; with
 * `resolveRemote: false` http(s) sources are not fetched (unless a local document has that URL
 * as its `$self`). Failures become findings located at the source's `url`; so does
 * `self-base-remote` (POSITIONS §11.7), where a `$self` moves a relative URL off a local file
 * that exists.
 */
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { childPointer } from '../../errors.js';
import type { ArazzoDocument } from '../../document/types.js';
import type { LoadedDocument } from '../../document/load-document.js';
import { pointerTokens } from '../../document/source-text.js';
import { documentBase, resolveReference, resolveSourceUrl } from '../../sources/base-uri.js';
import { isRemoteUrl, offlineHint } from '../../sources/fetch-remote.js';
import { discoverDocuments, identifiedBy } from '../../sources/known-documents.js';
import { loadSources, type LoadedSource } from '../../sources/load-sources.js';
import type { UnresolvedRef } from '../../sources/extension-refs.js';
import type { SourceModel } from '../../model/types.js';
import type { SourcesState } from './context.js';
import type { Finding } from '../types.js';

export async function loadForValidation(
  loaded: LoadedDocument,
  declared: readonly SourceModel[],
  options: {
    resolveSources: boolean;
    resolveRemote: boolean;
    offlineHint?: boolean;
    allowHosts?: readonly string[];
    signal?: AbortSignal;
  },
): Promise<SourcesState> {
  const findings: Finding[] = [];
  if (!options.resolveSources) return { resolved: false, loaded: new Map(), findings };
  // An unusable `$self` is reported by the schema or `self-unresolvable`; nothing is based on it.
  if (!documentBase(loaded).ok) return { resolved: true, loaded: new Map(), findings };
  const known = await discoverDocuments(loaded);
  const chosen: { index: number; description: ArazzoDocument['sourceDescriptions'][number] }[] = [];
  const raw = loaded.document.sourceDescriptions as unknown[];
  for (const source of declared) {
    // Entries without a name or url are reported by the schema.
    if (source.name === undefined || source.url === undefined) continue;
    const at = childPointer(source.pointer, 'url');
    const resolved = resolveSourceUrl(loaded, source.url);
    if (!resolved.ok) {
      findings.push({
        code: 'source-load-failed',
        message: `source "${source.name}": ${resolved.why}`,
        pointer: at,
      });
      continue;
    }
    const { url } = resolved;
    const remote = isRemoteUrl(url) && !identifiedBy(known, url, source.type);
    if (remote) {
      const shadowed = await localShadow(loaded, source.url, url);
      if (shadowed !== undefined) {
        findings.push({
          code: 'self-base-remote',
          message: `source "${source.name}": "${source.url}" resolves against $self to ${url}, so that is what is loaded: the local file ${shadowed} is not used (a local document stands for a URL only when its own $self is that URL)`,
          pointer: at,
        });
      }
    }
    if (!options.resolveRemote && remote) {
      findings.push({
        code: 'source-remote-skipped',
        message: `remote source not loaded: "${source.name}" (${url}); checks against its operations are skipped`,
        pointer: at,
      });
      continue;
    }
    chosen.push({
      index: source.index,
      description: raw[source.index] as ArazzoDocument['sourceDescriptions'][number],
    });
  }
  if (chosen.length === 0) return { resolved: true, loaded: new Map(), findings };
  const subset: LoadedDocument = {
    ...loaded,
    document: { ...loaded.document, sourceDescriptions: chosen.map((c) => c.description) },
  };
  const result = await loadSources(subset, {
    known,
    // The sources of `arazzo` sources: skipped at every depth, and reported below.
    remote: options.resolveRemote,
    ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  // loadSources locates errors at /sourceDescriptions/<index in the subset>/url.
  const entryPointer = (pointer: string | undefined): string => {
    const [, position] = pointerTokens(pointer ?? '');
    const index = chosen[Number(position)]?.index ?? 0;
    return childPointer(childPointer('/sourceDescriptions', index), 'url');
  };
  for (const error of result.errors) {
    findings.push({
      code: 'source-load-failed',
      message: options.offlineHint === true ? error.message + offlineHint(error) : error.message,
      pointer: entryPointer(error.location?.pointer),
    });
  }
  for (const skipped of result.skipped) {
    const via = skipped.via.map((name) => `"${name}"`).join(' → ');
    const of = via === '' ? '' : ` of arazzo source ${via}`;
    findings.push({
      code: 'source-remote-skipped',
      message: `remote source not loaded: "${skipped.name}" (${skipped.url})${of}; checks against its operations are skipped`,
      pointer: entryPointer(skipped.location.pointer),
    });
  }
  for (const entry of chosen) {
    const source = result.sources.get(entry.description.name);
    if (source === undefined) continue;
    const pointer = childPointer(childPointer('/sourceDescriptions', entry.index), 'url');
    for (const { within, ref } of unresolvedRefs(source, [])) {
      const of = within.length === 0 ? '' : ` (a source of arazzo source ${within.join(' → ')})`;
      // The file only when the `$ref` is in another one than the description itself.
      const file = ref.file === '' || ref.file === displayFile(source.url) ? '' : ` of ${ref.file}`;
      if (ref.notFetched !== undefined) {
        findings.push({
          code: 'source-ref-not-fetched',
          message: `source "${source.name}"${of}: the $ref at #${ref.pointer}${file} names ${ref.ref ?? ref.notFetched}, which is remote and was not fetched (--no-remote); the description is used without what it defines, and checks that need it are skipped`,
          pointer,
        });
        continue;
      }
      findings.push({
        code: 'source-ref-unresolved',
        message: `source "${source.name}"${of}: the $ref at #${ref.pointer}${file} does not resolve (${shortReason(ref.reason)}); it is inside an x- extension, which the runner does not read, so the rest of the description is used`,
        pointer,
      });
    }
  }
  return { resolved: true, loaded: result.sources, findings };
}

/** The unresolved extension `$ref`s of a source and of the sources of an `arazzo` source. */
function unresolvedRefs(
  source: LoadedSource,
  via: readonly string[],
  seen: Set<LoadedSource> = new Set(),
): { within: readonly string[]; ref: UnresolvedRef }[] {
  if (seen.has(source)) return [];
  seen.add(source);
  if (source.kind === 'openapi') {
    return source.unresolvedRefs.map((ref) => ({ within: via, ref }));
  }
  if (source.kind !== 'arazzo') return [];
  return [...source.sources.values()].flatMap((inner) =>
    unresolvedRefs(inner, [...via, `"${source.name}"`], seen),
  );
}

/** ref-parser's "Error opening file X: ENOENT: no such file or directory, open 'X'", shorter. */
function shortReason(reason: string): string {
  const missing = /^Error opening file (.*?): ENOENT\b/.exec(reason);
  return missing ? `no such file: ${missing[1] ?? ''}` : reason;
}

function displayFile(file: string): string {
  return file.startsWith('file:') ? fileURLToPath(file) : file;
}

/**
 * The local file a relative source URL would name without `$self` (against the retrieval URI),
 * when it exists: the surprise of a `$self` that sends the URL elsewhere.
 */
async function localShadow(
  loaded: LoadedDocument,
  reference: string,
  resolved: string,
): Promise<string | undefined> {
  if (!loaded.url.startsWith('file:')) return undefined;
  const located = resolveReference(reference, loaded.url);
  if (located === undefined || located === resolved || !located.startsWith('file:')) {
    return undefined;
  }
  const path = fileURLToPath(located);
  try {
    return (await stat(path)).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}
