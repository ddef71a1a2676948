/**
 * What steps, actions and `dependsOn` point at — operations of OpenAPI sources, workflows of this
 * document or of arazzo sources (Arazzo 1.0.1 §Step Object, §Success Action Object, §Failure
 * Action Object). Each answer is one of: found, not found (with the problem, a did-you-mean in
 * its message), or unknown (the source that would decide did not load, or the value is not a
 * valid runtime expression: both reported on their own).
 */
import { ArazzoError } from '../errors.js';
import { isExpressionError, parseExpression } from '../expressions/index.js';
import type { SourceDescriptionsExpression } from '../expressions/ast.js';
import { closest, didYouMean } from '../sources/did-you-mean.js';
import type { LoadedSource } from '../sources/load-sources.js';
import { parseOperationPath } from '../sources/operation-path.js';
import { operationAt, pathOperations, type OperationRef } from '../sources/operations.js';
import { resolveOperationId } from '../sources/resolve-operation.js';
import { arrayAt, isDict, stringAt, type Dict } from './guards.js';
import type { SourceModel, TargetProblem, WorkflowModel, WorkflowRef } from './types.js';
import { SOURCE_PREFIX } from '../document/constants.js';

/** What resolution reads: the declared sources and workflows, and the sources that loaded. */
export interface TargetScope {
  readonly sources: readonly SourceModel[];
  readonly sourceByName: ReadonlyMap<string, SourceModel>;
  readonly workflowById: ReadonlyMap<string, WorkflowModel>;
  readonly loaded: ReadonlyMap<string, LoadedSource>;
}

type Problem = TargetProblem;

export type WorkflowResolution =
  | WorkflowRef
  | { readonly status: 'unknown'; readonly problem: Problem }
  | { readonly status: 'missing'; readonly problem: Problem };

/**
 * A `workflowId` value of a step, an action or `dependsOn`: a local workflowId, or
 * `$sourceDescriptions.<name>.<workflowId>` for a workflow of an `arazzo` source (Arazzo 1.0.1
 * §Step Object: "If the referenced workflow is contained within an arazzo type
 * sourceDescription, then the workflowId MUST be specified using a Runtime Expression").
 */
export function resolveWorkflowId(scope: TargetScope, value: string): WorkflowResolution {
  if (value.startsWith('$')) {
    const reference = sourceReference(value);
    if (!reference) {
      return reference === null
        ? invalidExpression(`"${value}" is not a valid runtime expression`)
        : missing(
            'workflow-not-found',
            `"${value}" is not a workflowId or $sourceDescriptions.<name>.<workflowId>`,
          );
    }
    const declared = scope.sourceByName.get(reference.sourceName);
    if (!declared) {
      return missing(
        'source-not-found',
        noSource(scope, reference.sourceName),
        SOURCE_PREFIX.length,
      );
    }
    const loaded = scope.loaded.get(reference.sourceName);
    const kind = loaded?.kind ?? declared.type;
    if (kind === 'openapi' || kind === 'asyncapi') {
      return missing(
        'workflow-not-found',
        `source "${reference.sourceName}" is an ${kind === 'openapi' ? 'OpenAPI' : 'AsyncAPI'} description; workflows come from arazzo sources`,
      );
    }
    if (!loaded || loaded.kind !== 'arazzo') return notLoaded(reference.sourceName);
    const document = loaded.loaded.document as unknown as Dict;
    const workflow = arrayAt(document, 'workflows').find(
      (w) => stringAt(w, 'workflowId') === reference.reference,
    );
    if (isDict(workflow))
      return { status: 'external', sourceName: reference.sourceName, workflow, document };
    const ids = arrayAt(document, 'workflows').flatMap((w) => stringAt(w, 'workflowId') ?? []);
    // Redocly Respect also reads `$sourceDescriptions.<name>.workflows.<id>` (POSITIONS §12.3).
    const respect = /^workflows\.(.+)$/.exec(reference.reference)?.[1];
    const hint =
      respect !== undefined && ids.includes(respect)
        ? `; "workflows." is Redocly Respect's form, Arazzo's is $sourceDescriptions.${reference.sourceName}.${respect}`
        : didYouMean(reference.reference, ids);
    return missing(
      'workflow-not-found',
      `source "${reference.sourceName}" has no workflow "${reference.reference}"${hint}`,
      value.length - reference.reference.length,
    );
  }
  const local = scope.workflowById.get(value);
  if (local) return { status: 'local', workflow: local };
  for (const source of scope.loaded.values()) {
    if (source.kind !== 'arazzo') continue;
    const found = arrayAt(source.loaded.document, 'workflows').some(
      (w) => stringAt(w, 'workflowId') === value,
    );
    if (found) {
      return missing(
        'workflow-not-found',
        `workflow "${value}" is in source "${source.name}"; write $sourceDescriptions.${source.name}.${value}`,
      );
    }
  }
  const ids = [...scope.workflowById.keys()];
  return missing(
    'workflow-not-found',
    `no workflow "${value}" in this document${didYouMean(value, ids)}`,
  );
}

export type OperationResolution =
  | { readonly status: 'resolved'; readonly operation: OperationRef }
  | { readonly status: 'unknown'; readonly problem: Problem }
  | { readonly status: 'missing'; readonly problem: Problem };

/** The operation an `operationId` or `operationPath` names. */
export function resolveOperation(
  scope: TargetScope,
  field: 'operationId' | 'operationPath',
  value: string,
): OperationResolution {
  return field === 'operationId' ? byOperationId(scope, value) : byOperationPath(scope, value);
}

function byOperationId(scope: TargetScope, value: string): OperationResolution {
  const fail = (code: string, message: string, offset = 0): OperationResolution => ({
    status: 'missing',
    problem: { code, message, offset },
  });
  const declared = scope.sources;
  /** Where the operationId itself starts (after `$sourceDescriptions.<name>.`). */
  let idOffset = 0;
  if (value.startsWith('$')) {
    const reference = sourceReference(value);
    if (reference === null)
      return invalidExpression(`"${value}" is not a valid runtime expression`);
    if (!reference)
      return fail(
        'operation-not-found',
        `"${value}" is not an operationId or $sourceDescriptions.<name>.<operationId>`,
      );
    const source = scope.sourceByName.get(reference.sourceName);
    if (!source) {
      return fail('source-not-found', noSource(scope, reference.sourceName), SOURCE_PREFIX.length);
    }
    const loaded = scope.loaded.get(reference.sourceName);
    if (source.type === 'arazzo' || loaded?.kind === 'arazzo') {
      return fail(
        'operation-not-found',
        `source "${reference.sourceName}" is an Arazzo document; operationId must name an operation of an OpenAPI source`,
      );
    }
    // A step naming an AsyncAPI operation is a message step (compile-document.ts), never here.
    if (source.type === 'asyncapi' || loaded?.kind === 'asyncapi') {
      return fail(
        'operation-not-found',
        `source "${reference.sourceName}" is an AsyncAPI description; only a step with an action (send or receive) names its operations`,
      );
    }
    if (!loaded) return notLoaded(reference.sourceName);
    idOffset = value.length - reference.reference.length;
  } else {
    const openapi = declared.filter((source) => sourceKind(scope, source) !== 'arazzo');
    if (openapi.some((source) => source.name === undefined || !scope.loaded.has(source.name))) {
      // A source that did not load might define it: only a unique hit among the loaded ones counts.
      const hits = [...scope.loaded.values()].filter(
        (s) => s.kind === 'openapi' && s.operations.has(value),
      );
      if (hits.length !== 1) {
        const missingNames = openapi.flatMap((source) =>
          source.name !== undefined && !scope.loaded.has(source.name) ? [source.name] : [],
        );
        return notLoaded(missingNames.join('", "'), value);
      }
    }
  }
  try {
    return { status: 'resolved', operation: resolveOperationId(scope.loaded, value) };
  } catch (error) {
    if (!(error instanceof ArazzoError)) throw error;
    const code =
      error.code === 'SOURCE_NOT_FOUND'
        ? 'source-not-found'
        : error.code === 'OPERATION_AMBIGUOUS'
          ? 'operation-id-ambiguous'
          : 'operation-not-found';
    const hint = code === 'operation-not-found' ? shorthandHint(scope, value) : '';
    return fail(
      code,
      error.message + hint,
      code === 'source-not-found' ? SOURCE_PREFIX.length : idOffset,
    );
  }
}

/**
 * `operationId: cafe-api.listPets` is another tool's `<source>.<operationId>` shorthand; in Arazzo
 * a bare operationId names no source, so it is looked up whole. When the part before the first
 * dot is a loaded OpenAPI source, say how Arazzo writes it (with the closest operationId of that
 * source when the rest is not one).
 */
function shorthandHint(scope: TargetScope, value: string): string {
  if (value.startsWith('$')) return '';
  const dot = value.indexOf('.');
  if (dot <= 0) return '';
  const name = value.slice(0, dot);
  const source = scope.loaded.get(name);
  if (source?.kind !== 'openapi') return '';
  const rest = value.slice(dot + 1);
  const form = `a source is named with a runtime expression`;
  if (source.operations.has(rest))
    return `; ${form}: write operationId: ${SOURCE_PREFIX}${name}.${rest}`;
  const near = closest(rest, [...source.operations.keys()]);
  return near === undefined
    ? `; ${form} (${SOURCE_PREFIX}${name}.<operationId>), and source "${name}" has no operationId "${rest}"`
    : `; ${form}: write operationId: ${SOURCE_PREFIX}${name}.${near} (source "${name}" has no "${rest}")`;
}

/**
 * `operationPath` (parsed by sources/operation-path.ts, which checks its form without loading
 * anything), then the operation its pointer reaches in the named OpenAPI source.
 */
function byOperationPath(scope: TargetScope, value: string): OperationResolution {
  const fail = (code: string, message: string, offset = 0): OperationResolution => ({
    status: 'missing',
    problem: { code, message, offset },
  });
  const parsed = parseOperationPath(value);
  if (parsed.problem?.kind === 'expression') return invalidExpression(parsed.problem.message);
  if (parsed.problem)
    return fail('operation-path-invalid', parsed.problem.message, parsed.problem.offset);
  const sourceName = parsed.sourceName ?? '';
  const tokens = parsed.tokens;
  const path = parsed.path ?? '';
  const method = parsed.method ?? '';
  const hash = value.indexOf('#');
  const source = scope.sourceByName.get(sourceName);
  if (!source) {
    return fail('source-not-found', noSource(scope, sourceName), 1 + SOURCE_PREFIX.length);
  }
  const loaded = scope.loaded.get(sourceName);
  if (source.type === 'arazzo' || loaded?.kind === 'arazzo') {
    return fail(
      'operation-path-invalid',
      `source "${sourceName}" is an Arazzo document; operationPath must point into an OpenAPI source`,
    );
  }
  if (!loaded || loaded.kind !== 'openapi') return notLoaded(sourceName);
  const ref = operationAt(loaded.name, loaded.url, loaded.document, tokens);
  if (ref) return { status: 'resolved', operation: ref };
  const pathItem = loaded.document.paths?.[path];
  if (!pathItem) {
    const known = Object.keys(loaded.document.paths ?? {});
    return fail(
      'operation-not-found',
      `source "${loaded.name}" has no path ${path}${didYouMean(path, known)}`,
      hash + 1,
    );
  }
  const methods = pathOperations(loaded.document, pathItem).map(([m]) => m);
  return fail(
    'operation-not-found',
    `path ${path} of source "${loaded.name}" has no ${method} operation (it has: ${methods.join(', ') || 'none'})`,
    hash + 1,
  );
}

/** `$sourceDescriptions.<name>.<ref>` parsed; null when it does not parse (reported elsewhere), undefined for another expression. */
function sourceReference(value: string): SourceDescriptionsExpression | null | undefined {
  try {
    const expression = parseExpression(value);
    return expression.kind === 'sourceDescriptions' ? expression : undefined;
  } catch (error) {
    if (isExpressionError(error)) return null;
    throw error;
  }
}

/** The kind of a source: its declared `type`, else what it loaded as. */
export function sourceKind(scope: TargetScope, source: SourceModel): string | undefined {
  if (source.type !== undefined) return source.type;
  return source.name === undefined ? undefined : scope.loaded.get(source.name)?.kind;
}

export function noSource(scope: TargetScope, name: string): string {
  const names = scope.sources.flatMap((source) => source.name ?? []);
  return `no source description named "${name}"${didYouMean(name, names)}`;
}

function missing(
  code: string,
  message: string,
  offset = 0,
): { status: 'missing'; problem: Problem } {
  return { status: 'missing', problem: { code, message, offset } };
}

/** Undecidable: the source that would say did not load (its own problem is reported). */
function notLoaded(
  sourceName: string,
  operationId?: string,
): { status: 'unknown'; problem: Problem } {
  const what =
    operationId === undefined
      ? ''
      : `operationId "${operationId}" is not in the sources that loaded, and `;
  return {
    status: 'unknown',
    problem: {
      code: 'source-not-loaded',
      message: `${what}source "${sourceName}" did not load`,
      offset: 0,
    },
  };
}

/** Undecidable: not a runtime expression (reported as expression-invalid). */
function invalidExpression(message: string): { status: 'unknown'; problem: Problem } {
  return { status: 'unknown', problem: { code: 'expression-invalid', message, offset: 0 } };
}
