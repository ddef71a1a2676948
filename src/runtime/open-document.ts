import { loadDocument } from '../document/load-document.js';
import { loadSources } from '../sources/load-sources.js';
import { createScope, type DocumentScope } from './scope.js';

/**
 * Loads an Arazzo document and every source description it names, ready for `runWorkflow`.
 * Rejects with an `ArazzoError` (unreadable file, malformed YAML, unsupported version, a source
 * that does not load).
 */
export async function openDocument(path: string): Promise<DocumentScope> {
  const loaded = await loadDocument(path);
  const { sources, errors } = await loadSources(loaded);
  const first = errors[0];
  if (first) throw first;
  return createScope(loaded, sources);
}
