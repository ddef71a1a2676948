import { childPointer } from '../../errors.js';
import { SOURCE_PREFIX } from '../../document/constants.js';
import { isExpressionError, parseExpression } from '../../expressions/index.js';
import {
  asyncChannelAt,
  asyncChannelKeys,
  parseChannelPath,
  parseSourcePointer,
  type LoadedAsyncApiSource,
} from '../../sources/asyncapi.js';
import { didYouMean } from '../../sources/did-you-mean.js';
import type { RuleContext, StepModel } from '../model/context.js';
import { noSource, sourceKind } from '../model/resolve.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * AsyncAPI steps of 1.1 documents (POSITIONS §11.9; the model marks them: `target.kind ===
 * 'message'`). 1.1 §Step Object: `operationId` "The name of an existing, resolvable operation",
 * `channelPath` "A reference to a Source Description Object combined with a JSON Pointer to
 * reference an event channel … The operation being referenced MUST be described within one of
 * the `sourceDescriptions` descriptions", `action` "Only applicable for `asyncapi` steps".
 *
 * - `async-step-operation-path`: an AsyncAPI step names its operation with `operationPath`, which
 *   is an OpenAPI step's field (the 1.1 schema: asyncapi-step-object has operationId or
 *   channelPath). One finding instead of the schema's two (index.ts drops them) and the
 *   `operationPath` form error; the rewrite is in the message, and the value is still checked
 *   as the field it suggests.
 * - `async-step-source-type`: `action` or `channelPath` on a step whose source is not `asyncapi`.
 * - `async-step-action-missing`: an operation of an `asyncapi` source named without `action`
 *   (the 1.1 schema requires it for asyncapi steps; whether to send or receive is not said).
 * - `async-operation-not-found`, `channel-path-invalid`, `async-channel-not-found`: against the
 *   loaded AsyncAPI document (sources/asyncapi.ts), its operations by key and `/channels/<key>`.
 * - `source-not-found` and `operation-id-unqualified`, as for OpenAPI steps (rules/operation.ts).
 */
export const asyncStep = {
  codes: {
    'async-step-operation-path': 'error',
    'async-step-source-type': 'error',
    'async-step-action-missing': 'error',
    'async-operation-not-found': 'error',
    'channel-path-invalid': 'error',
    'async-channel-not-found': 'error',
    'source-not-found': 'error',
    'operation-id-unqualified': 'error',
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) checkStep(ctx, step, findings);
    }
    return findings;
  },
} satisfies Rule;

/** What the step names, read from the field it has (or, for operationPath, the one it means). */
type Reference =
  | {
      readonly kind: 'operation';
      readonly sourceName: string | undefined;
      readonly id: string;
      /** Where the source name and the id start in the value at `pointer`. */
      readonly sourceAt: number;
      readonly idAt: number;
      readonly pointer: string;
    }
  | {
      readonly kind: 'channel';
      readonly sourceName: string;
      readonly tokens: readonly string[];
      readonly sourceAt: number;
      readonly pointer: string;
    };

function checkStep(ctx: RuleContext, step: StepModel, out: Finding[]): void {
  const target = step.target;
  if (target.kind !== 'message' || target.field === undefined || target.value === undefined) return;
  const { field, value } = target;
  const pointer = childPointer(step.pointer, field);
  const label = `step "${step.id ?? step.index}"`;
  let reference: Reference | undefined;
  if (field === 'operationPath') {
    const meant = meaning(value, pointer);
    out.push({
      code: 'async-step-operation-path',
      message: `${label} ${doing(target.action)}: an AsyncAPI step names its operation with operationId or channelPath, not operationPath (1.1 §Step Object)${meant === undefined ? '' : `; write ${meant.rewrite}`}`,
      pointer,
    });
    reference = meant?.reference;
  } else if (field === 'operationId') {
    reference = operationReference(value, pointer);
  } else {
    const parsed = parseChannelPath(value);
    if (!parsed.ok) {
      out.push({ code: 'channel-path-invalid', message: parsed.message, pointer });
      return;
    }
    reference = {
      kind: 'channel',
      sourceName: parsed.sourceName,
      tokens: parsed.tokens,
      sourceAt: 1 + SOURCE_PREFIX.length,
      pointer,
    };
  }
  if (reference === undefined) return;
  const sourceName = reference.sourceName ?? soleAsyncSource(ctx, step, reference, out);
  if (sourceName === undefined) return;
  const declared = ctx.model.sourceByName.get(sourceName);
  if (!declared) {
    out.push({
      code: 'source-not-found',
      message: noSource(ctx, sourceName),
      pointer: reference.pointer,
      offset: reference.sourceAt,
    });
    return;
  }
  const kind = sourceKind(ctx, declared);
  if (kind !== undefined && kind !== 'asyncapi') {
    const what = step.raw['action'] !== undefined ? `has "action"` : 'has a channelPath';
    out.push({
      code: 'async-step-source-type',
      message: `${label} ${what}, but source "${sourceName}" is ${kind === 'openapi' ? 'an OpenAPI description' : 'an Arazzo document'}: action and channelPath are only for steps of asyncapi sources (1.1 §Step Object)`,
      pointer: step.raw['action'] !== undefined ? childPointer(step.pointer, 'action') : pointer,
    });
    return;
  }
  if (step.raw['action'] === undefined && step.raw['channelPath'] === undefined) {
    out.push({
      code: 'async-step-action-missing',
      message: `${label} names an operation of AsyncAPI source "${sourceName}" but has no action: say whether it sends or receives (action: send or action: receive)`,
      pointer: step.pointer,
    });
  }
  const loaded = ctx.sources.loaded.get(sourceName);
  // Not loaded: its own finding says so (source-load-failed, source-remote-skipped).
  if (loaded?.kind !== 'asyncapi') return;
  if (reference.kind === 'operation') {
    if (loaded.operations.has(reference.id)) return;
    const ids = [...loaded.operations.keys()];
    out.push({
      code: 'async-operation-not-found',
      message: `AsyncAPI source "${sourceName}" has no operation "${reference.id}"${didYouMean(reference.id, ids) || ` (its operations: ${listed(ids)})${channelHint(loaded, sourceName, reference.id)}`}`,
      pointer: reference.pointer,
      offset: reference.idAt,
    });
    return;
  }
  if (asyncChannelAt(loaded, reference.tokens) !== undefined) return;
  const channel = reference.tokens[1] ?? '';
  const keys = asyncChannelKeys(loaded);
  out.push({
    code: 'async-channel-not-found',
    message: `AsyncAPI source "${sourceName}" has no channel "${channel}"${didYouMean(channel, keys) || ` (its channels: ${listed(keys)})`}`,
    pointer: reference.pointer,
  });
}

/** `operationId`: `$sourceDescriptions.<name>.<id>`, or a plain id. */
function operationReference(value: string, pointer: string): Reference | undefined {
  if (!value.startsWith('$')) {
    return { kind: 'operation', sourceName: undefined, id: value, sourceAt: 0, idAt: 0, pointer };
  }
  let expression;
  try {
    expression = parseExpression(value, '1.1');
  } catch (error) {
    // Reported as expression-invalid by expression-syntax.
    if (isExpressionError(error)) return undefined;
    throw error;
  }
  if (expression.kind !== 'sourceDescriptions') return undefined;
  return {
    kind: 'operation',
    sourceName: expression.sourceName,
    id: expression.reference,
    sourceAt: SOURCE_PREFIX.length,
    idAt: value.length - expression.reference.length,
    pointer,
  };
}

/**
 * What an AsyncAPI step's operationPath most likely means: `$sourceDescriptions.<name>.<id>` and
 * `{…url}#/operations/<id>` an operationId, `{…url}#/channels/<key>` a channelPath.
 */
function meaning(
  value: string,
  pointer: string,
): { readonly rewrite: string; readonly reference: Reference } | undefined {
  const parsed = parseSourcePointer(value);
  if (parsed === undefined) {
    const reference = operationReference(value, pointer);
    if (reference?.kind !== 'operation' || reference.sourceName === undefined) return undefined;
    return { rewrite: `operationId: ${value}`, reference };
  }
  const [container, key, ...rest] = parsed.tokens ?? [];
  if (key === undefined || rest.length > 0) return undefined;
  const sourceAt = 1 + SOURCE_PREFIX.length;
  if (container === 'operations') {
    const rewrite = `${SOURCE_PREFIX}${parsed.sourceName}.${key}`;
    // The id is checked where it is written, inside the pointer.
    const reference: Reference = {
      kind: 'operation',
      sourceName: parsed.sourceName,
      id: key,
      sourceAt,
      idAt: value.indexOf('#'),
      pointer,
    };
    return { rewrite: `operationId: ${rewrite}`, reference };
  }
  if (container === 'channels') {
    return {
      rewrite: `channelPath: '${value}'`,
      reference: {
        kind: 'channel',
        sourceName: parsed.sourceName,
        tokens: parsed.tokens ?? [],
        sourceAt,
        pointer,
      },
    };
  }
  return undefined;
}

/**
 * The source of a plain `operationId`: "If multiple (non `arazzo` type) `sourceDescriptions` are
 * defined, then the `operationId` MUST be specified using a Runtime Expression" (1.1 §Step
 * Object); with one, it is that source.
 */
function soleAsyncSource(
  ctx: RuleContext,
  step: StepModel,
  reference: Reference,
  out: Finding[],
): string | undefined {
  const candidates = ctx.model.sources.filter((source) => sourceKind(ctx, source) !== 'arazzo');
  const [only] = candidates;
  if (candidates.length === 1) return only?.name;
  if (candidates.length === 0 || reference.kind !== 'operation') return undefined;
  const asyncapi = candidates.filter((source) => sourceKind(ctx, source) === 'asyncapi');
  const name = asyncapi.length === 1 ? (asyncapi[0]?.name ?? '<name>') : '<name>';
  out.push({
    code: 'operation-id-unqualified',
    message: `${candidates.length} OpenAPI and AsyncAPI sources are declared, so the operationId must name its source: $sourceDescriptions.${name}.${reference.id}`,
    pointer: childPointer(step.pointer, 'operationId'),
  });
  return undefined;
}

/** `; or the channel "confirm-order": channelPath: '…'` when a channel key is close to the id. */
function channelHint(source: LoadedAsyncApiSource, sourceName: string, id: string): string {
  const close = /"(.*)"/.exec(didYouMean(id, asyncChannelKeys(source)))?.[1];
  if (close === undefined) return '';
  const token = close.replaceAll('~', '~0').replaceAll('/', '~1');
  return `; or the channel "${close}": channelPath: '{$sourceDescriptions.${sourceName}.url}#/channels/${token}'`;
}

function doing(action: 'send' | 'receive' | undefined): string {
  if (action === 'send') return 'sends a message (action: send)';
  if (action === 'receive') return 'receives a message (action: receive)';
  return 'is an AsyncAPI step';
}

function listed(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, 10).join(', ');
  return names.length > 10 ? `${shown}, …` : shown;
}
