/**
 * What steps and actions point at — workflows, operations (resolved by the model:
 * model/targets.ts), inputs — in the form the rules report on. Each answer is one of: found, not
 * found (with a finding to report), or unknown (the source that would decide did not load; its
 * own diagnostic already says so).
 */
import { childPointer } from '../../errors.js';
import { pointerTokens } from '../../document/source-text.js';
import {
  noSource as noSourceNamed,
  resolveWorkflowId,
  sourceKind as kindOfSource,
  type TargetScope,
  type WorkflowResolution,
} from '../../model/targets.js';
import type { TargetField, TargetProblem } from '../../model/types.js';
import type { OperationRef } from '../../sources/operations.js';
import { memo, type RuleContext, type SourceModel, type StepModel } from './context.js';
import { arrayAt, dictAt, isDict, stringAt, type Dict } from '../util.js';

export type { WorkflowResolution } from '../../model/targets.js';

/** A finding's content for a target that does not resolve (code, message, offset in the value). */
export type Problem = TargetProblem;

export type OperationResolution =
  | { readonly status: 'resolved'; readonly operation: OperationRef }
  | { readonly status: 'unknown' }
  | { readonly status: 'missing'; readonly problem: Problem; readonly pointer: string };

/**
 * A `workflowId` value of a step, an action or `dependsOn` (model/targets.ts). An undecided one
 * (a source that did not load, an invalid expression) is reported on its own.
 */
export function resolveWorkflow(ctx: RuleContext, value: string): WorkflowResolution {
  return memo(ctx, `workflow:${value}`, () => resolveWorkflowId(targetScope(ctx), value));
}

/** The operation of an `operationId`/`operationPath` step, as the model resolved it. */
export function operationOf(_ctx: RuleContext, step: StepModel): OperationResolution {
  const { target } = step;
  if (target.kind !== 'operation') return { status: 'unknown' };
  if (target.status === 'resolved') return { status: 'resolved', operation: target.operation };
  if (!target.decided) return { status: 'unknown' };
  return {
    status: 'missing',
    problem: target.problem,
    pointer: childPointer(step.pointer, target.field),
  };
}

/** The field a step names its target with; `operationId` when it has no single one. */
export function targetField(step: StepModel): TargetField | 'channelPath' | 'x-operation' {
  return step.target.kind === 'none' ? 'operationId' : (step.target.field ?? 'operationId');
}

/** The kind of a source: its declared `type`, else what it loaded as. */
export function sourceKind(ctx: RuleContext, source: SourceModel): string | undefined {
  return kindOfSource(targetScope(ctx), source);
}

export function noSource(ctx: RuleContext, name: string): string {
  return noSourceNamed(targetScope(ctx), name);
}

function targetScope(ctx: RuleContext): TargetScope {
  return memo(ctx, 'target-scope', () => ({ ...ctx.model, loaded: ctx.sources.loaded }));
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
 * (POSITIONS §4.4: the longest declared name wins, the rest is member navigation).
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
