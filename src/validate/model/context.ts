/**
 * What every rule reads: the compiled model of the document (src/model: workflows and steps with
 * targets resolved and parameters and actions merged, built defensively — rules also run on
 * documents the schema rejected), the loaded sources, and lazily computed, shared analyses
 * (expression sites, control flow) so that no rule parses or resolves anything twice.
 */
import type { LoadedDocument } from '../../document/load-document.js';
import type { DocumentModel } from '../../model/types.js';
import type { LoadedSource } from '../../sources/load-sources.js';
import type { Finding } from '../types.js';

export type {
  ComponentsModel,
  DocumentModel,
  SourceModel,
  StepModel,
  WorkflowModel,
} from '../../model/types.js';

export interface SourcesState {
  /** Whether sources were loaded at all (`resolveSources`). */
  readonly resolved: boolean;
  /** The sources that loaded, by name; a declared source missing here did not load. */
  readonly loaded: ReadonlyMap<string, LoadedSource>;
  /** `source-load-failed` / `source-remote-skipped`, reported by rules/source-load.ts. */
  readonly findings: readonly Finding[];
}

export interface RuleContext {
  readonly loaded: LoadedDocument;
  readonly model: DocumentModel;
  readonly sources: SourcesState;
  /** Memoised analyses shared between rules (see sites.ts, flow.ts, resolve.ts). */
  readonly cache: Map<string, unknown>;
}

export function memo<T>(ctx: RuleContext, key: string, compute: () => T): T {
  if (ctx.cache.has(key)) return ctx.cache.get(key) as T;
  const value = compute();
  ctx.cache.set(key, value);
  return value;
}
