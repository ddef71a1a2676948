import type { LoadedDocument } from '../document/load-document.js';
import type { SourceDescriptionView } from '../expressions/context.js';
import type { LoadedSource } from '../sources/load-sources.js';
import { documentBase } from '../sources/base-uri.js';
import { setOwn } from './own.js';

/**
 * One Arazzo document with its loaded sources. Components and source names are scoped to the
 * document they are defined in (Arazzo §Components Object), so a workflow of another document
 * runs in that document's scope.
 */
export interface DocumentScope {
  readonly loaded: LoadedDocument;
  readonly sources: ReadonlyMap<string, LoadedSource>;
  readonly sourceViews: Readonly<Record<string, SourceDescriptionView>>;
  readonly components: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** `$self`: the document's `$self`, resolved; undefined without one (POSITIONS §11.7). */
  readonly self: string | undefined;
}

export function createScope(
  loaded: LoadedDocument,
  sources: ReadonlyMap<string, LoadedSource>,
): DocumentScope {
  const sourceViews: Record<string, SourceDescriptionView> = {};
  for (const [name, source] of sources) {
    const ids =
      source.kind === 'arazzo'
        ? new Set((source.loaded.document.workflows ?? []).map((workflow) => workflow.workflowId))
        : new Set(source.operations.keys());
    setOwn(sourceViews, name, { url: source.url, type: source.kind, ids });
  }
  const components = (loaded.document.components ?? {}) as DocumentScope['components'];
  const base = documentBase(loaded);
  return { loaded, sources, sourceViews, components, self: base.ok ? base.self : undefined };
}
