/**
 * The parts of workflows and steps, compiled defensively: parameter and action lists (Reusable
 * Objects resolved by merge.ts), criteria, request bodies and outputs. Whatever does not read
 * or compile is reported to `Problems` at its pointer and left undefined.
 */
import { childPointer } from '../errors.js';
import {
  checkSelector,
  checkXPathSyntax,
  compileCriterion,
  compileJsonPath,
  jsonPathDialectOf,
} from '../criteria/index.js';
import type { SpecVersion } from '../document/constants.js';
import type { Criterion } from '../document/types.js';
import {
  compileSelector,
  compileValue,
  isSelectorObject,
  parseExpression,
  readExpressionType,
  selectorsIn,
  type CompiledValue,
  type ExpressionType,
} from '../expressions/index.js';
import { arrayAt, dictAt, has, isDict, numberAt, stringAt, type Dict } from './guards.js';
import { parameterValueSource, resolveEntry, type ReusableKind } from './merge.js';
import type { Problems } from './problems.js';
import type {
  ActionModel,
  ComponentsModel,
  CriterionModel,
  OutputModel,
  ParameterModel,
  ReplacementModel,
  RequestBodyModel,
  ValueModel,
} from './types.js';

export interface PartContext {
  readonly components: ComponentsModel;
  readonly problems: Problems;
  /** Whether sources were given: an operation no loaded source has is then a problem. */
  readonly lookUp: boolean;
  /** The document's Arazzo version: the grammar of its expressions and values. */
  readonly version: SpecVersion;
}

type Origin = 'step' | 'workflow';

export function compileValueAt(ctx: PartContext, raw: unknown, pointer: string): ValueModel {
  const compiled = ctx.problems.attempt(
    () => compileValue(raw, { version: ctx.version }),
    pointer,
    'EXPRESSION_INVALID',
  );
  return { pointer, raw, compiled: compiled && selectorsChecked(ctx, compiled, pointer) };
}

/** A value whose 1.1 Selector Objects all parse, else undefined (reported at `pointer`). */
function selectorsChecked(
  ctx: PartContext,
  value: CompiledValue,
  pointer: string,
): CompiledValue | undefined {
  let ok = true;
  for (const selector of selectorsIn(value)) {
    const problem = checkSelector(selector);
    if (problem === undefined) continue;
    ctx.problems.report(
      'EXPRESSION_INVALID',
      `selector ${selector.selector}: ${problem.message}`,
      pointer,
    );
    ok = false;
  }
  return ok ? value : undefined;
}

/** The `parameters` list of a workflow or step. */
export function compileParameters(
  ctx: PartContext,
  owner: Dict,
  ownerPointer: string,
  origin: Origin,
): ParameterModel[] {
  const out: ParameterModel[] = [];
  for (const [index, raw] of arrayAt(owner, 'parameters').entries()) {
    const pointer = childPointer(childPointer(ownerPointer, 'parameters'), index);
    if (!isDict(raw)) {
      ctx.problems.report('DOCUMENT_INVALID', 'a parameter must be an object', pointer);
      continue;
    }
    const entry = resolveEntry(raw, 'parameters', ctx.components);
    const reference = entry.status === 'inline' ? undefined : entry.reference;
    if (entry.status === 'unresolved') unresolved(ctx, raw, 'parameters', pointer);
    const object = entry.status === 'unresolved' ? undefined : entry.object;
    const objectPointer =
      entry.status === 'resolved' ? componentPointer('parameters', entry.name) : pointer;
    const name = stringAt(object, 'name');
    if (object !== undefined && name === undefined) {
      ctx.problems.report(
        'DOCUMENT_INVALID',
        'a parameter needs a name (a string)',
        childPointer(objectPointer, 'name'),
      );
    }
    const source = parameterValueSource(raw, entry);
    const valuePointer = childPointer(
      source?.from === 'component' ? objectPointer : pointer,
      'value',
    );
    out.push({
      pointer,
      origin,
      ...(reference === undefined ? {} : { reference }),
      resolved: entry.status !== 'unresolved',
      name,
      in: stringAt(object, 'in'),
      value: source === undefined ? undefined : compileValueAt(ctx, source.value, valuePointer),
    });
  }
  return out;
}

/** A `successActions`/`onSuccess` or `failureActions`/`onFailure` list. */
export function compileActions(
  ctx: PartContext,
  owner: Dict,
  ownerPointer: string,
  key: 'successActions' | 'failureActions' | 'onSuccess' | 'onFailure',
  origin: Origin,
): ActionModel[] {
  const kind: ReusableKind =
    key === 'successActions' || key === 'onSuccess' ? 'successActions' : 'failureActions';
  const out: ActionModel[] = [];
  for (const [index, raw] of arrayAt(owner, key).entries()) {
    const pointer = childPointer(childPointer(ownerPointer, key), index);
    if (!isDict(raw)) {
      ctx.problems.report('DOCUMENT_INVALID', 'an action must be an object', pointer);
      continue;
    }
    const entry = resolveEntry(raw, kind, ctx.components);
    if (entry.status === 'unresolved') unresolved(ctx, raw, kind, pointer);
    const object = entry.status === 'unresolved' ? undefined : entry.object;
    const objectPointer =
      entry.status === 'resolved'
        ? componentPointer(kind, entry.name)
        : entry.status === 'inline'
          ? pointer
          : undefined;
    const name = stringAt(object, 'name');
    const type = stringAt(object, 'type');
    if (object !== undefined && objectPointer !== undefined) {
      if (name === undefined)
        ctx.problems.report(
          'DOCUMENT_INVALID',
          'an action needs a name (a string)',
          childPointer(objectPointer, 'name'),
        );
      if (type !== 'end' && type !== 'goto' && type !== 'retry')
        ctx.problems.report(
          'DOCUMENT_INVALID',
          `action "${name ?? index}" needs a type: end, goto or retry`,
          childPointer(objectPointer, 'type'),
        );
    }
    out.push({
      pointer,
      index,
      origin,
      ...(entry.status === 'inline' || entry.reference === undefined
        ? {}
        : { reference: entry.reference }),
      resolved: entry.status !== 'unresolved',
      object,
      objectPointer,
      name,
      type,
      stepId: stringAt(object, 'stepId'),
      workflowId: stringAt(object, 'workflowId'),
      retryAfter: numberAt(object, 'retryAfter'),
      retryLimit: numberAt(object, 'retryLimit'),
      criteria:
        object === undefined || objectPointer === undefined
          ? []
          : compileCriteria(ctx, object, objectPointer, 'criteria'),
      // 1.1 §Success/Failure Action Object `parameters`; 1.0 has no such field (its schema
      // refuses it, and the runner leaves it alone).
      parameters:
        ctx.version === '1.0' || object === undefined || objectPointer === undefined
          ? []
          : compileParameters(ctx, object, objectPointer, origin),
    });
  }
  return out;
}

/** `successCriteria` or an action's `criteria`. */
export function compileCriteria(
  ctx: PartContext,
  owner: Dict,
  ownerPointer: string,
  key: string,
): CriterionModel[] {
  return arrayAt(owner, key).map((raw, index): CriterionModel => {
    const pointer = childPointer(childPointer(ownerPointer, key), index);
    if (!isDict(raw)) {
      ctx.problems.report('DOCUMENT_INVALID', 'a criterion must be an object', pointer);
      return { pointer, raw, compiled: undefined };
    }
    return {
      pointer,
      raw,
      compiled: ctx.problems.attempt(
        () => compileCriterion(raw as unknown as Criterion, ctx.version),
        childPointer(pointer, 'condition'),
        'CRITERION_INVALID',
      ),
    };
  });
}

export function compileRequestBody(
  ctx: PartContext,
  step: Dict,
  stepPointer: string,
): RequestBodyModel | undefined {
  if (step['requestBody'] === undefined) return undefined;
  const pointer = childPointer(stepPointer, 'requestBody');
  const body = dictAt(step, 'requestBody');
  if (!body) {
    ctx.problems.report('DOCUMENT_INVALID', 'requestBody must be an object', pointer);
    return undefined;
  }
  const replacements: ReplacementModel[] = [];
  for (const [index, raw] of arrayAt(body, 'replacements').entries()) {
    const at = childPointer(childPointer(pointer, 'replacements'), index);
    if (!isDict(raw)) {
      ctx.problems.report('DOCUMENT_INVALID', 'a replacement must be an object', at);
      continue;
    }
    const target = stringAt(raw, 'target');
    if (target === undefined)
      ctx.problems.report(
        'DOCUMENT_INVALID',
        'a replacement needs a target (a JSON pointer or XPath, as a string)',
        childPointer(at, 'target'),
      );
    const targetType = replacementTargetType(ctx, raw, at, target);
    replacements.push({
      pointer: at,
      raw,
      target,
      targetType,
      value: compileValueAt(ctx, raw['value'], childPointer(at, 'value')),
    });
  }
  return {
    pointer,
    contentType: stringAt(body, 'contentType'),
    payload: has(body, 'payload')
      ? compileValueAt(ctx, body['payload'], childPointer(pointer, 'payload'))
      : undefined,
    replacements,
  };
}

/**
 * Arazzo 1.1 `targetSelectorType` (§Payload Replacement Object), and the `target` checked in the
 * language it names (a JSONPath or XPath that does not parse cannot run). A 1.0 document has no
 * such field (its schema rejects it): its targets keep the 1.0 rule (POSITIONS §11.8).
 */
function replacementTargetType(
  ctx: PartContext,
  raw: Dict,
  pointer: string,
  target: string | undefined,
): ExpressionType | undefined {
  if (ctx.version === '1.0' || raw['targetSelectorType'] === undefined) return undefined;
  const reading = readExpressionType(raw['targetSelectorType']);
  if (!reading.ok) {
    ctx.problems.report(
      'DOCUMENT_INVALID',
      `targetSelectorType: ${reading.message}`,
      childPointer(pointer, 'targetSelectorType'),
    );
    return undefined;
  }
  const type = reading.value;
  if (target !== undefined) {
    const at = childPointer(pointer, 'target');
    if (type.type === 'jsonpath')
      ctx.problems.attempt(
        () => compileJsonPath(target, jsonPathDialectOf(type.version)),
        at,
        'EXPRESSION_INVALID',
      );
    else if (type.type === 'xpath')
      ctx.problems.attempt(() => checkXPathSyntax(target), at, 'EXPRESSION_INVALID');
  }
  return type;
}

/** Step or workflow `outputs`: each a runtime expression (1.1: or a Selector Object). */
export function compileOutputs(ctx: PartContext, owner: Dict, ownerPointer: string): OutputModel[] {
  const outputs = dictAt(owner, 'outputs');
  if (owner['outputs'] !== undefined && outputs === undefined) {
    ctx.problems.report(
      'DOCUMENT_INVALID',
      'outputs must map names to runtime expressions',
      childPointer(ownerPointer, 'outputs'),
    );
  }
  return Object.entries(outputs ?? {}).map(([name, raw]): OutputModel => {
    const pointer = childPointer(childPointer(ownerPointer, 'outputs'), name);
    if (isSelectorObject(raw, ctx.version)) {
      const compiled = ctx.problems.attempt(
        () => compileSelector(raw, ctx.version),
        pointer,
        'EXPRESSION_INVALID',
      );
      const selector = compiled && selectorsChecked(ctx, compiled, pointer);
      return {
        name,
        pointer,
        raw,
        expression: undefined,
        ...(selector?.kind === 'selector' ? { selector } : {}),
      };
    }
    if (typeof raw !== 'string') {
      ctx.problems.report(
        'DOCUMENT_INVALID',
        ctx.version === '1.0'
          ? `output "${name}" must be a runtime expression (a string)`
          : `output "${name}" must be a runtime expression (a string) or a Selector Object`,
        pointer,
      );
      return { name, pointer, raw, expression: undefined };
    }
    return {
      name,
      pointer,
      raw,
      expression: ctx.problems.attempt(
        () => parseExpression(raw, ctx.version),
        pointer,
        'EXPRESSION_INVALID',
      ),
    };
  });
}

export function componentPointer(kind: ReusableKind, name: string): string {
  return childPointer(childPointer('/components', kind), name);
}

/** §Reusable Object: "it MUST link to a parameter defined in the components/parameters …". */
function unresolved(ctx: PartContext, entry: Dict, kind: ReusableKind, pointer: string): void {
  const reference = entry['reference'];
  ctx.problems.report(
    'DOCUMENT_INVALID',
    typeof reference === 'string'
      ? `reference ${reference} does not name a component in $components.${kind}`
      : 'reference must be a runtime expression ($components.<kind>.<name>)',
    childPointer(pointer, 'reference'),
  );
}
