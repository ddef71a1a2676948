/**
 * Resolving what steps and actions point at — workflows, operations, inputs — shared by the rules
 * that report on them. Each answer is one of: found, not found (with a finding to report), or
 * unknown (the source that would decide did not load; its own diagnostic already says so).
 */
import { childPointer } from '../errors.js';
import { pointerTokens } from '../document/source-text.js';
import { parseExpression, isExpressionError } from '../expressions/index.js';
import type { SourceDescriptionsExpression } from '../expressions/ast.js';
import { HTTP_METHODS } from '../sources/openapi-types.js';
import { parseOperationPath } from '../sources/operation-path.js';
import { operationAt, type OperationRef } from '../sources/operations.js';
import { resolveOperationId } from '../sources/resolve-operation.js';
import { didYouMean } from '../sources/did-you-mean.js';
import { ArazzoError } from '../errors.js';
import {
  memo,
  type RuleContext,
  type SourceModel,
  type StepModel,
  type WorkflowModel,
} from './context.js';
import { arrayAt, dictAt, isDict, SOURCE_PREFIX, stringAt, type Dict } from './util.js';

export interface Problem {
  readonly code: string;
  readonly message: string;
  /** Where in the string value the problem is (diagnostics point there, not at the key). */
  readonly offset: number;
}

export type WorkflowResolution =
  | { readonly status: 'local'; readonly workflow: WorkflowModel }
  | {
      readonly status: 'external';
      readonly sourceName: string;
      readonly workflow: Dict;
      readonly document: Dict;
    }
  | { readonly status: 'unknown' }
  | { readonly status: 'missing'; readonly problem: Problem };

/**
 * A `workflowId` value of a step, an action or `dependsOn`: a local workflowId, or
 * `$sourceDescriptions.<name>.<workflowId>` for a workflow of an `arazzo` source (Arazzo 1.0.1
 * §Step Object: "If the referenced workflow is contained within an arazzo type
 * sourceDescription, then the workflowId MUST be specified using a Runtime Expression").
 */
export function resolveWorkflow(ctx: RuleContext, value: string): WorkflowResolution {
  if (value.startsWith('$')) {
    const reference = sourceReference(value);
    if (!reference) {
      return reference === null
        ? { status: 'unknown' }
        : missing(
            'workflow-not-found',
            `"${value}" is not a workflowId or $sourceDescriptions.<name>.<workflowId>`,
          );
    }
    const declared = ctx.model.sourceByName.get(reference.sourceName);
    if (!declared) {
      return missing('source-not-found', noSource(ctx, reference.sourceName), SOURCE_PREFIX.length);
    }
    const loaded = ctx.sources.loaded.get(reference.sourceName);
    if (declared.type === 'openapi' || loaded?.kind === 'openapi') {
      return missing(
        'workflow-not-found',
        `source "${reference.sourceName}" is an OpenAPI description; workflows come from arazzo sources`,
      );
    }
    if (!loaded) return { status: 'unknown' };
    const document = loaded.loaded.document as unknown as Dict;
    const workflow = arrayAt(document, 'workflows').find(
      (w) => stringAt(w, 'workflowId') === reference.reference,
    );
    if (isDict(workflow))
      return { status: 'external', sourceName: reference.sourceName, workflow, document };
    const ids = arrayAt(document, 'workflows').flatMap((w) => stringAt(w, 'workflowId') ?? []);
    return missing(
      'workflow-not-found',
      `source "${reference.sourceName}" has no workflow "${reference.reference}"${didYouMean(reference.reference, ids)}`,
      value.length - reference.reference.length,
    );
  }
  const local = ctx.model.workflowById.get(value);
  if (local) return { status: 'local', workflow: local };
  for (const source of ctx.sources.loaded.values()) {
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
  const ids = [...ctx.model.workflowById.keys()];
  return missing(
    'workflow-not-found',
    `no workflow "${value}" in this document${didYouMean(value, ids)}`,
  );
}

export type OperationResolution =
  | { readonly status: 'resolved'; readonly operation: OperationRef }
  | { readonly status: 'unknown' }
  | { readonly status: 'missing'; readonly problem: Problem; readonly pointer: string };

/** The operation of an `operationId`/`operationPath` step (memoised per step). */
export function operationOf(ctx: RuleContext, step: StepModel): OperationResolution {
  return memo(ctx, `operation:${step.pointer}`, () => {
    const target = step.target;
    if (target?.kind === 'operationId')
      return byOperationId(ctx, target.value, childPointer(step.pointer, 'operationId'));
    if (target?.kind === 'operationPath')
      return byOperationPath(ctx, target.value, childPointer(step.pointer, 'operationPath'));
    return { status: 'unknown' };
  });
}

function byOperationId(ctx: RuleContext, value: string, pointer: string): OperationResolution {
  const fail = (code: string, message: string, offset = 0): OperationResolution => ({
    status: 'missing',
    problem: { code, message, offset },
    pointer,
  });
  const declared = ctx.model.sources;
  /** Where the operationId itself starts (after `$sourceDescriptions.<name>.`). */
  let idOffset = 0;
  if (value.startsWith('$')) {
    const reference = sourceReference(value);
    if (reference === null) return { status: 'unknown' };
    if (!reference)
      return fail(
        'operation-not-found',
        `"${value}" is not an operationId or $sourceDescriptions.<name>.<operationId>`,
      );
    const source = ctx.model.sourceByName.get(reference.sourceName);
    if (!source) {
      return fail('source-not-found', noSource(ctx, reference.sourceName), SOURCE_PREFIX.length);
    }
    const loaded = ctx.sources.loaded.get(reference.sourceName);
    if (source.type === 'arazzo' || loaded?.kind === 'arazzo') {
      return fail(
        'operation-not-found',
        `source "${reference.sourceName}" is an Arazzo document; operationId must name an operation of an OpenAPI source`,
      );
    }
    if (!loaded) return { status: 'unknown' };
    idOffset = value.length - reference.reference.length;
  } else {
    const openapi = declared.filter((source) => sourceKind(ctx, source) !== 'arazzo');
    if (
      openapi.some((source) => source.name === undefined || !ctx.sources.loaded.has(source.name))
    ) {
      // A source that did not load might define it: only a unique hit among the loaded ones counts.
      const hits = [...ctx.sources.loaded.values()].filter(
        (s) => s.kind === 'openapi' && s.operations.has(value),
      );
      if (hits.length !== 1) return { status: 'unknown' };
    }
  }
  try {
    return { status: 'resolved', operation: resolveOperationId(ctx.sources.loaded, value) };
  } catch (error) {
    if (!(error instanceof ArazzoError)) throw error;
    const code =
      error.code === 'SOURCE_NOT_FOUND'
        ? 'source-not-found'
        : error.code === 'OPERATION_AMBIGUOUS'
          ? 'operation-id-ambiguous'
          : 'operation-not-found';
    return fail(code, error.message, code === 'source-not-found' ? SOURCE_PREFIX.length : idOffset);
  }
}

/**
 * `operationPath` (parsed by sources/operation-path.ts, which checks its form without loading
 * anything), then the operation its pointer reaches in the named OpenAPI source.
 */
function byOperationPath(ctx: RuleContext, value: string, pointer: string): OperationResolution {
  const fail = (code: string, message: string, offset = 0): OperationResolution => ({
    status: 'missing',
    problem: { code, message, offset },
    pointer,
  });
  const parsed = parseOperationPath(value);
  if (parsed.problem?.kind === 'expression') return { status: 'unknown' }; // reported as expression-invalid
  if (parsed.problem)
    return fail('operation-path-invalid', parsed.problem.message, parsed.problem.offset);
  const sourceName = parsed.sourceName ?? '';
  const tokens = parsed.tokens;
  const path = parsed.path ?? '';
  const method = parsed.method ?? '';
  const hash = value.indexOf('#');
  const source = ctx.model.sourceByName.get(sourceName);
  if (!source) {
    return fail('source-not-found', noSource(ctx, sourceName), 1 + SOURCE_PREFIX.length);
  }
  const loaded = ctx.sources.loaded.get(sourceName);
  if (source.type === 'arazzo' || loaded?.kind === 'arazzo') {
    return fail(
      'operation-path-invalid',
      `source "${sourceName}" is an Arazzo document; operationPath must point into an OpenAPI source`,
    );
  }
  if (!loaded || loaded.kind !== 'openapi') return { status: 'unknown' };
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
  const methods = HTTP_METHODS.filter((m) => pathItem[m] !== undefined);
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
export function sourceKind(ctx: RuleContext, source: SourceModel): string | undefined {
  if (source.type !== undefined) return source.type;
  return source.name === undefined ? undefined : ctx.sources.loaded.get(source.name)?.kind;
}

export function noSource(ctx: RuleContext, name: string): string {
  const names = ctx.model.sources.flatMap((source) => source.name ?? []);
  return `no source description named "${name}"${didYouMean(name, names)}`;
}

function missing(
  code: string,
  message: string,
  offset = 0,
): { status: 'missing'; problem: Problem } {
  return { status: 'missing', problem: { code, message, offset } };
}

export interface DeclaredInputs {
  /** Property names the inputs schema declares; undefined when that cannot be told statically. */
  readonly names: ReadonlySet<string> | undefined;
  readonly required: readonly string[];
}

/**
 * The inputs a workflow declares: `properties` (and `required`) of its `inputs` schema, following
 * a local `$ref` (`#/components/inputs/x`) and `allOf`. A schema whose names depend on
 * `anyOf`/`oneOf`/`patternProperties`, or with no `properties` at all, declares "unknown".
 */
export function declaredInputs(document: Dict, workflow: Dict): DeclaredInputs {
  const inputs = workflow['inputs'];
  if (inputs === undefined) return { names: new Set(), required: [] };
  const names = new Set<string>();
  const required: string[] = [];
  let known = true;
  let sawProperties = false;
  const visit = (schema: unknown, depth: number): void => {
    if (depth > 8 || !isDict(schema)) {
      if (schema !== true || depth > 8) known = false;
      return;
    }
    const ref = stringAt(schema, '$ref');
    if (ref !== undefined) visit(localRef(document, ref), depth + 1);
    if (
      schema['anyOf'] !== undefined ||
      schema['oneOf'] !== undefined ||
      schema['patternProperties'] !== undefined
    )
      known = false;
    const properties = dictAt(schema, 'properties');
    if (properties) {
      sawProperties = true;
      for (const name of Object.keys(properties)) names.add(name);
    }
    for (const name of arrayAt(schema, 'required'))
      if (typeof name === 'string') required.push(name);
    for (const part of arrayAt(schema, 'allOf')) visit(part, depth + 1);
  };
  visit(inputs, 0);
  return { names: known && sawProperties ? names : undefined, required };
}

/** The value at a `#/…` pointer of the document, or undefined. */
export function localRef(document: Dict, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = document;
  for (const token of pointerTokens(ref)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isDict(node)) node = Object.hasOwn(node, token) ? node[token] : undefined;
    else return undefined;
  }
  return node;
}

/**
 * Whether `name` is declared, allowing dot navigation: input and output names may themselves
 * contain dots, so `customer.firstName` is declared by `customer.firstName` or by `customer`
 * (SPEC-NOTES §4.4: the longest declared name wins, the rest is member navigation).
 */
export function declaresName(names: ReadonlySet<string>, name: string): boolean {
  if (names.has(name)) return true;
  let end = name.lastIndexOf('.');
  while (end > 0) {
    if (names.has(name.slice(0, end))) return true;
    end = name.lastIndexOf('.', end - 1);
  }
  return false;
}

/** The output names of a workflow, local or from a loaded arazzo source. */
export function workflowOutputNames(
  resolution: WorkflowResolution,
): ReadonlySet<string> | undefined {
  if (resolution.status === 'local') return resolution.workflow.outputNames;
  if (resolution.status === 'external')
    return new Set(Object.keys(dictAt(resolution.workflow, 'outputs') ?? {}));
  return undefined;
}
