/**
 * Every place in a document that holds runtime expressions, with the scope it is evaluated in
 * (which workflow, which step, at which moment of the step). Rules that check what expressions
 * reference (`$steps`, `$inputs`, `$components`, …) read these sites instead of walking the
 * document themselves.
 *
 * Components are walked twice: once on their own (role `component`: parse problems are reported
 * there, once), and once for every step or workflow that references them through a Reusable
 * Object (`via` set: references are checked in the scope of the user).
 */
import { childPointer } from '../../errors.js';
import type { CompiledCriterion } from '../../criteria/index.js';
import { isSelectorObject, type CompiledValue } from '../../expressions/index.js';
import type {
  ActionModel,
  CriterionModel,
  OutputModel,
  ParameterModel,
  ValueModel,
} from '../../model/types.js';
import { memo, type RuleContext, type StepModel, type WorkflowModel } from './context.js';
import { arrayAt, has, isDict, type Dict } from '../util.js';

export type SiteRole =
  /** Step parameter values (and Reusable `value`s): evaluated before the request. */
  | 'step-parameter'
  /**
   * Request body payload and replacement values, and a 1.1 AsyncAPI step's `correlationId`:
   * evaluated before the request (or before the message is sent or awaited).
   */
  | 'step-body'
  /** `successCriteria`: after the response, before the step's outputs. */
  | 'step-criteria'
  /** Step `outputs`: after the step succeeded. */
  | 'step-outputs'
  /** Criteria and 1.1 `parameters` of the step's own success/failure actions: after its outputs. */
  | 'action-criteria'
  /** Workflow-level parameters: evaluated for each step, before its request. */
  | 'workflow-parameter'
  /** Criteria and 1.1 `parameters` of workflow-level actions: after any step. */
  | 'workflow-action-criteria'
  /** Workflow `outputs`: when the workflow ends. */
  | 'workflow-outputs'
  /** A Reusable Object's `reference`. */
  | 'reference'
  /** `operationId`, `operationPath`, `workflowId`, `dependsOn` entries (checked by dedicated rules). */
  | 'target'
  /** A component on its own (no workflow scope). */
  | 'component';

export type SiteForm =
  /** A field typed `{expression}`: exactly one runtime expression. */
  | 'expression'
  /** `Any | {expression}`: literal, whole expression, or template (recursively for payloads). */
  | 'value'
  /** A Criterion Object. */
  | 'criterion'
  /** An id that is an expression only when it starts with `$` (`$sourceDescriptions.x.y`). */
  | 'id'
  /** `operationPath`: a template (`{$sourceDescriptions.x.url}#/paths/…`). */
  | 'template';

export interface Site {
  readonly pointer: string;
  readonly raw: unknown;
  readonly form: SiteForm;
  readonly role: SiteRole;
  readonly workflow?: WorkflowModel;
  readonly step?: StepModel;
  /** Set when the site is a component reached through this Reusable `reference`. */
  readonly via?: string;
  /** What the model already compiled here (compiled.ts does not compile it again). */
  readonly compiledValue?: CompiledValue;
  readonly compiledCriterion?: CompiledCriterion;
}

interface Scope {
  readonly workflow?: WorkflowModel;
  readonly step?: StepModel;
}

export function sites(ctx: RuleContext): readonly Site[] {
  return memo(ctx, 'sites', () => collect(ctx));
}

/**
 * Walks the model (src/model): its parameter and action lists have their Reusable Objects
 * resolved, so a component's value or criteria appear in the scope of each user, `via` the
 * reference.
 */
function collect(ctx: RuleContext): Site[] {
  const out: Site[] = [];
  const { components } = ctx.model;
  const add = (site: Site): void => {
    out.push(site);
  };

  const criteria = (
    list: readonly CriterionModel[],
    role: SiteRole,
    scope: Scope,
    via?: string,
  ): void => {
    for (const criterion of list) {
      add({
        pointer: criterion.pointer,
        raw: criterion.raw,
        form: 'criterion',
        role,
        ...scope,
        ...(via === undefined ? {} : { via }),
        ...(criterion.compiled === undefined ? {} : { compiledCriterion: criterion.compiled }),
      });
    }
  };

  const reference = (pointer: string, value: string, scope: Scope): void => {
    add({
      pointer: childPointer(pointer, 'reference'),
      raw: value,
      form: 'expression',
      role: 'reference',
      ...scope,
    });
  };

  const parameters = (list: readonly ParameterModel[], role: SiteRole, scope: Scope): void => {
    for (const parameter of list) {
      if (parameter.reference !== undefined)
        reference(parameter.pointer, parameter.reference, scope);
      const { value } = parameter;
      if (value === undefined) continue;
      // A reusable parameter's own value overrides the component's (model/merge.ts).
      const viaComponent = value.pointer.startsWith('/components/');
      add({
        pointer: value.pointer,
        raw: value.raw,
        form: 'value',
        role,
        ...scope,
        ...(viaComponent && parameter.reference !== undefined ? { via: parameter.reference } : {}),
        ...compiledValueOf(value),
      });
    }
  };

  const actions = (list: readonly ActionModel[], role: SiteRole, scope: Scope): void => {
    for (const action of list) {
      if (action.reference !== undefined) {
        reference(action.pointer, action.reference, scope);
        criteria(action.criteria, role, scope, action.reference);
        continue;
      }
      if (!action.object) continue;
      criteria(action.criteria, role, scope);
      // 1.1 action `parameters`: evaluated when the action is taken, as its criteria are.
      parameters(action.parameters, role, scope);
      if (has(action.object, 'workflowId'))
        add({
          pointer: childPointer(action.pointer, 'workflowId'),
          raw: action.object['workflowId'],
          form: 'id',
          role: 'target',
          ...scope,
        });
    }
  };

  const outputs = (list: readonly OutputModel[], role: SiteRole, scope: Scope): void => {
    for (const output of list) {
      // 1.1: a Selector Object output is a value (its context is the expression).
      const form = isSelectorObject(output.raw, ctx.model.version) ? 'value' : 'expression';
      add({ pointer: output.pointer, raw: output.raw, form, role, ...scope });
    }
  };

  for (const workflow of ctx.model.workflows) {
    const scope: Scope = { workflow };
    const raw = workflow.raw;
    for (const [index, entry] of arrayAt(raw, 'dependsOn').entries()) {
      add({
        pointer: childPointer(childPointer(workflow.pointer, 'dependsOn'), index),
        raw: entry,
        form: 'id',
        role: 'target',
        ...scope,
      });
    }
    parameters(workflow.parameters, 'workflow-parameter', scope);
    actions(workflow.successActions, 'workflow-action-criteria', scope);
    actions(workflow.failureActions, 'workflow-action-criteria', scope);
    for (const step of workflow.steps) {
      const stepScope: Scope = { workflow, step };
      const s = step.raw;
      for (const key of ['operationId', 'workflowId'] as const) {
        if (has(s, key))
          add({
            pointer: childPointer(step.pointer, key),
            raw: s[key],
            form: 'id',
            role: 'target',
            ...stepScope,
          });
      }
      if (has(s, 'operationPath'))
        add({
          pointer: childPointer(step.pointer, 'operationPath'),
          raw: s['operationPath'],
          form: 'template',
          role: 'target',
          ...stepScope,
        });
      const own = <T extends { readonly origin: 'step' | 'workflow' }>(list: readonly T[]) =>
        list.filter((item) => item.origin === 'step');
      parameters(own(step.parameters), 'step-parameter', stepScope);
      const body = step.requestBody;
      if (body) {
        if (body.payload)
          add({
            pointer: body.payload.pointer,
            raw: body.payload.raw,
            form: 'value',
            role: 'step-body',
            ...stepScope,
            ...compiledValueOf(body.payload),
          });
        for (const replacement of body.replacements) {
          if (replacement.value.raw === undefined) continue;
          add({
            pointer: replacement.value.pointer,
            raw: replacement.value.raw,
            form: 'value',
            role: 'step-body',
            ...stepScope,
            ...compiledValueOf(replacement.value),
          });
        }
      }
      // 1.1 §Step Object `correlationId`: a value or an expression, evaluated before the message
      // is sent or awaited (runtime/message-step.ts).
      if (has(s, 'correlationId') && ctx.model.version === '1.1') {
        const { target } = step;
        const compiled =
          target.kind === 'message' && target.status === 'resolved'
            ? target.correlationId
            : undefined;
        add({
          pointer: childPointer(step.pointer, 'correlationId'),
          raw: s['correlationId'],
          form: 'value',
          role: 'step-body',
          ...stepScope,
          ...(compiled === undefined ? {} : compiledValueOf(compiled)),
        });
      }
      criteria(step.successCriteria, 'step-criteria', stepScope);
      actions(own(step.onSuccess), 'action-criteria', stepScope);
      actions(own(step.onFailure), 'action-criteria', stepScope);
      outputs(step.outputs, 'step-outputs', stepScope);
    }
    outputs(workflow.outputs, 'workflow-outputs', scope);
  }

  // Components on their own (no workflow scope): their problems are reported once, here.
  for (const [name, parameter] of Object.entries(components.parameters)) {
    if (has(parameter, 'value')) {
      add({
        pointer: childPointer(childPointer('/components/parameters', name), 'value'),
        raw: (parameter as Dict)['value'],
        form: 'value',
        role: 'component',
      });
    }
  }
  for (const kind of ['successActions', 'failureActions'] as const) {
    for (const [name, action] of Object.entries(components[kind])) {
      if (!isDict(action)) continue;
      const pointer = childPointer(childPointer('/components', kind), name);
      for (const [index, criterion] of arrayAt(action, 'criteria').entries()) {
        add({
          pointer: childPointer(childPointer(pointer, 'criteria'), index),
          raw: criterion,
          form: 'criterion',
          role: 'component',
        });
      }
      if (has(action, 'workflowId'))
        add({
          pointer: childPointer(pointer, 'workflowId'),
          raw: action['workflowId'],
          form: 'id',
          role: 'target',
        });
    }
  }
  return out;
}

function compiledValueOf(value: ValueModel): { compiledValue?: CompiledValue } {
  return value.compiled === undefined ? {} : { compiledValue: value.compiled };
}
