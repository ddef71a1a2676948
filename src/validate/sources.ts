/**
 * Loads the source descriptions for validation with `loadSources` (the runner's own loader), so
 * that what validates is what runs. Entries the schema rejects (no name or url) are skipped; with
 * `resolveRemote: false` http(s) sources are not fetched. Failures become findings located at
 * the source's `url`.
 */
import { childPointer } from '../errors.js';
import type { ArazzoDocument } from '../document/types.js';
import type { LoadedDocument } from '../document/load-document.js';
import { pointerTokens } from '../document/source-text.js';
import { loadSources } from '../sources/load-sources.js';
import type { SourceModel } from '../model/types.js';
import type { SourcesState } from './context.js';
import type { Finding } from './types.js';

export async function loadForValidation(
  loaded: LoadedDocument,
  declared: readonly SourceModel[],
  options: {
    resolveSources: boolean;
    resolveRemote: boolean;
    allowHosts?: readonly string[];
    signal?: AbortSignal;
  },
): Promise<SourcesState> {
  const findings: Finding[] = [];
  if (!options.resolveSources) return { resolved: false, loaded: new Map(), findings };
  const chosen: { index: number; description: ArazzoDocument['sourceDescriptions'][number] }[] = [];
  const raw = loaded.document.sourceDescriptions as unknown[];
  for (const source of declared) {
    // Entries without a name or url are reported by the schema.
    if (source.name === undefined || source.url === undefined) continue;
    const at = childPointer(source.pointer, 'url');
    let url: URL;
    try {
      url = new URL(source.url, loaded.url);
    } catch {
      findings.push({
        code: 'source-load-failed',
        message: `source "${source.name}": "${source.url}" is not a valid URL`,
        pointer: at,
      });
      continue;
    }
    if (!options.resolveRemote && (url.protocol === 'http:' || url.protocol === 'https:')) {
      findings.push({
        code: 'source-remote-skipped',
        message: `remote source not loaded: "${source.name}" (${url.href}); checks against its operations are skipped`,
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
    ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  for (const error of result.errors) {
    // loadSources locates errors at /sourceDescriptions/<index in the subset>/url.
    const [, position] = pointerTokens(error.location?.pointer ?? '');
    const entry = chosen[Number(position)];
    const index = entry?.index ?? 0;
    findings.push({
      code: 'source-load-failed',
      message: error.message,
      pointer: childPointer(childPointer('/sourceDescriptions', index), 'url'),
    });
  }
  return { resolved: true, loaded: result.sources, findings };
}
