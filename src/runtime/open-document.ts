import { loadDocument } from '../document/load-document.js';
import { loadSources, type LoadSourcesOptions } from '../sources/load-sources.js';
import { createScope, type DocumentScope } from './scope.js';

/** What `openDocument` may fetch: the CLI's `--allow-host` for the source descriptions. */
export type OpenDocumentOptions = LoadSourcesOptions;

/**
 * Loads an Arazzo document and every source description it names, ready for `runWorkflow`.
 * Rejects with an `ArazzoError` (unreadable file, malformed YAML, unsupported version, a source
 * that does not load). `allowHosts` restricts where remote sources and their `$ref`s may be
 * fetched from, as `--allow-host` does (pass the same list to `runWorkflow` for the requests);
 * `signal` ends the downloads.
 */
export async function openDocument(
  path: string,
  options: OpenDocumentOptions = {},
): Promise<DocumentScope> {
  const loaded = await loadDocument(path);
  const { sources, errors } = await loadSources(loaded, options);
  const first = errors[0];
  if (first) throw first;
  return createScope(loaded, sources);
}
