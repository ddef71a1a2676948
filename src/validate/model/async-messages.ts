/**
 * The AsyncAPI messages each AsyncAPI step may send or receive, read once for the rules that
 * check them against the step (correlation, success, availability; POSITIONS §11.9). Read from
 * the source's dereferenced document as written, so a message the runner would refuse (a
 * correlationId location that does not parse) is still there to be reported.
 */
import {
  locateAsyncOperation,
  type AsyncLookup,
  type LocatedAsyncOperation,
} from '../../sources/asyncapi-operation.js';
import { memo, type RuleContext, type StepModel, type WorkflowModel } from './context.js';

export interface StepMessages {
  readonly workflow: WorkflowModel;
  readonly step: StepModel;
  readonly action: 'send' | 'receive' | undefined;
  readonly sourceName: string;
  readonly located: LocatedAsyncOperation;
  /** `operation "placeOrder"` or `channel "orders"`, for messages. */
  readonly named: string;
}

/** Every AsyncAPI step whose operation or channel is found in a loaded source. */
export function asyncStepMessages(ctx: RuleContext): readonly StepMessages[] {
  return memo(ctx, 'async-step-messages', () => {
    const out: StepMessages[] = [];
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        const found = messagesOf(ctx, workflow, step);
        if (found !== undefined) out.push(found);
      }
    }
    return out;
  });
}

function messagesOf(
  ctx: RuleContext,
  workflow: WorkflowModel,
  step: StepModel,
): StepMessages | undefined {
  const { target } = step;
  if (target.kind !== 'message') return undefined;
  let lookup: { readonly sourceName: string; readonly by: AsyncLookup } | undefined;
  if (target.status === 'resolved') {
    const { operation } = target;
    lookup = {
      sourceName: operation.sourceName,
      by:
        operation.operationId === undefined
          ? { channelKey: operation.channelKey }
          : { operationId: operation.operationId },
    };
  } else lookup = target.lookup;
  if (lookup === undefined) return undefined;
  const loaded = ctx.sources.loaded.get(lookup.sourceName);
  // Not loaded, or not dereferenced: async-step and source-load say so.
  if (loaded?.kind !== 'asyncapi' || typeof loaded.dereferenced === 'string') return undefined;
  const result = locateAsyncOperation(lookup.sourceName, loaded.dereferenced, lookup.by);
  if (!result.ok) return undefined;
  const { located } = result;
  const named =
    located.operationId === undefined
      ? `channel "${located.channelKey}"`
      : `operation "${located.operationId}"`;
  return {
    workflow,
    step,
    action: target.action,
    sourceName: lookup.sourceName,
    located,
    named,
  };
}

/** The messages of one step, when it has them (asyncStepMessages by step). */
export function stepMessagesOf(ctx: RuleContext, step: StepModel): StepMessages | undefined {
  return memo(
    ctx,
    'async-step-messages-by-step',
    () => new Map(asyncStepMessages(ctx).map((found) => [found.step, found])),
  ).get(step);
}

/** Whether a message is an external `$ref` (not followed: nothing in it can be judged). */
export function isExternalMessage(message: Readonly<Record<string, unknown>>): boolean {
  return typeof message['$ref'] === 'string';
}

/** `step "confirm"` (or its index). */
export function stepLabel(step: StepModel): string {
  return `step "${step.id ?? step.index}"`;
}
