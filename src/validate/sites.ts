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
import { childPointer } from '../errors.js';
import { resolveEntry } from '../model/merge.js';
import { memo, type RuleContext, type StepModel, type WorkflowModel } from './context.js';
import { arrayAt, dictAt, has, isDict, stringAt, type Dict } from './util.js';

export type SiteRole =
  /** Step parameter values (and Reusable `value`s): evaluated before the request. */
  | 'step-parameter'
  /** Request body payload and replacement values: evaluated before the request. */
  | 'step-body'
  /** `successCriteria`: after the response, before the step's outputs. */
  | 'step-criteria'
  /** Step `outputs`: after the step succeeded. */
  | 'step-outputs'
  /** Criteria of the step's own success/failure actions: after its outputs. */
  | 'action-criteria'
  /** Workflow-level parameters: evaluated for each step, before its request. */
  | 'workflow-parameter'
  /** Criteria of workflow-level actions: after any step. */
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
}

type ComponentKind = 'parameters' | 'successActions' | 'failureActions';

interface Scope {
  readonly workflow?: WorkflowModel;
  readonly step?: StepModel;
}

export function sites(ctx: RuleContext): readonly Site[] {
  return memo(ctx, 'sites', () => collect(ctx));
}

function collect(ctx: RuleContext): Site[] {
  const out: Site[] = [];
  const { components } = ctx.model;
  const add = (site: Site): void => {
    out.push(site);
  };

  /** A component's value/criteria, walked in a user's scope (`entry` is the Reusable Object). */
  const viaComponent = (
    entry: Dict,
    reference: string,
    kind: ComponentKind,
    role: SiteRole,
    scope: Scope,
  ): void => {
    const resolved = resolveEntry(entry, kind, components);
    if (resolved.status !== 'resolved') return;
    const component = resolved.object;
    const pointer = childPointer(childPointer('/components', kind), resolved.name);
    if (kind === 'parameters') {
      if (has(component, 'value'))
        add({
          pointer: childPointer(pointer, 'value'),
          raw: component['value'],
          form: 'value',
          role,
          ...scope,
          via: reference,
        });
    } else {
      criteria(component, pointer, role, scope, reference);
    }
  };

  const criteria = (
    owner: Dict,
    pointer: string,
    role: SiteRole,
    scope: Scope,
    via?: string,
  ): void => {
    for (const [index, criterion] of arrayAt(owner, 'criteria').entries()) {
      add({
        pointer: childPointer(childPointer(pointer, 'criteria'), index),
        raw: criterion,
        form: 'criterion',
        role,
        ...scope,
        ...(via === undefined ? {} : { via }),
      });
    }
  };

  const parameters = (owner: Dict, pointer: string, role: SiteRole, scope: Scope): void => {
    for (const [index, parameter] of arrayAt(owner, 'parameters').entries()) {
      if (!isDict(parameter)) continue;
      const at = childPointer(childPointer(pointer, 'parameters'), index);
      const reference = stringAt(parameter, 'reference');
      if (has(parameter, 'reference')) {
        add({
          pointer: childPointer(at, 'reference'),
          raw: parameter['reference'],
          form: 'expression',
          role: 'reference',
          ...scope,
        });
        // A reusable parameter's own value overrides the component's.
        if (!has(parameter, 'value') && reference !== undefined)
          viaComponent(parameter, reference, 'parameters', role, scope);
      }
      if (has(parameter, 'value')) {
        add({
          pointer: childPointer(at, 'value'),
          raw: parameter['value'],
          form: 'value',
          role,
          ...scope,
        });
      }
    }
  };

  const actions = (
    owner: Dict,
    pointer: string,
    key: string,
    kind: ComponentKind,
    role: SiteRole,
    scope: Scope,
  ): void => {
    for (const [index, action] of arrayAt(owner, key).entries()) {
      if (!isDict(action)) continue;
      const at = childPointer(childPointer(pointer, key), index);
      const reference = stringAt(action, 'reference');
      if (has(action, 'reference')) {
        add({
          pointer: childPointer(at, 'reference'),
          raw: action['reference'],
          form: 'expression',
          role: 'reference',
          ...scope,
        });
        if (reference !== undefined) viaComponent(action, reference, kind, role, scope);
        continue;
      }
      criteria(action, at, role, scope);
      if (has(action, 'workflowId'))
        add({
          pointer: childPointer(at, 'workflowId'),
          raw: action['workflowId'],
          form: 'id',
          role: 'target',
          ...scope,
        });
    }
  };

  const outputs = (owner: Dict, pointer: string, role: SiteRole, scope: Scope): void => {
    for (const [name, value] of Object.entries(dictAt(owner, 'outputs') ?? {})) {
      add({
        pointer: childPointer(childPointer(pointer, 'outputs'), name),
        raw: value,
        form: 'expression',
        role,
        ...scope,
      });
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
    parameters(raw, workflow.pointer, 'workflow-parameter', scope);
    actions(
      raw,
      workflow.pointer,
      'successActions',
      'successActions',
      'workflow-action-criteria',
      scope,
    );
    actions(
      raw,
      workflow.pointer,
      'failureActions',
      'failureActions',
      'workflow-action-criteria',
      scope,
    );
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
      parameters(s, step.pointer, 'step-parameter', stepScope);
      const body = dictAt(s, 'requestBody');
      if (body) {
        const bodyPointer = childPointer(step.pointer, 'requestBody');
        if (has(body, 'payload'))
          add({
            pointer: childPointer(bodyPointer, 'payload'),
            raw: body['payload'],
            form: 'value',
            role: 'step-body',
            ...stepScope,
          });
        for (const [index, replacement] of arrayAt(body, 'replacements').entries()) {
          if (!has(replacement, 'value')) continue;
          const at = childPointer(
            childPointer(childPointer(bodyPointer, 'replacements'), index),
            'value',
          );
          add({
            pointer: at,
            raw: (replacement as Dict)['value'],
            form: 'value',
            role: 'step-body',
            ...stepScope,
          });
        }
      }
      for (const [index, criterion] of arrayAt(s, 'successCriteria').entries()) {
        add({
          pointer: childPointer(childPointer(step.pointer, 'successCriteria'), index),
          raw: criterion,
          form: 'criterion',
          role: 'step-criteria',
          ...stepScope,
        });
      }
      actions(s, step.pointer, 'onSuccess', 'successActions', 'action-criteria', stepScope);
      actions(s, step.pointer, 'onFailure', 'failureActions', 'action-criteria', stepScope);
      outputs(s, step.pointer, 'step-outputs', stepScope);
    }
    outputs(raw, workflow.pointer, 'workflow-outputs', scope);
  }

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
      criteria(action, pointer, 'component', {});
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
