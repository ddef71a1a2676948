/**
 * Every Arazzo object of a document with its pointer (root, info, sources, workflows, steps,
 * parameters, actions, criteria, request bodies, replacements, components) — not the free-form
 * data inside them (payloads, values, JSON Schemas, extension values).
 */
import { childPointer } from '../../errors.js';
import { memo, type RuleContext } from './context.js';
import { arrayAt, dictAt, isDict, type Dict } from '../util.js';

export interface ArazzoObject {
  readonly pointer: string;
  readonly raw: Dict;
  readonly kind: ObjectKind;
}

export type ObjectKind =
  | 'document'
  | 'info'
  | 'source'
  | 'workflow'
  | 'step'
  | 'parameter'
  | 'success-action'
  | 'failure-action'
  | 'criterion'
  | 'request-body'
  | 'replacement'
  | 'components';

/** Every Arazzo object of the context's document (computed once per validation). */
export function objectsOf(ctx: RuleContext): readonly ArazzoObject[] {
  return memo(ctx, 'objects', () => arazzoObjects(ctx.model.data));
}

export function arazzoObjects(data: Dict): ArazzoObject[] {
  const out: ArazzoObject[] = [];
  const add = (raw: unknown, pointer: string, kind: ObjectKind): raw is Dict => {
    if (!isDict(raw)) return false;
    out.push({ pointer, raw, kind });
    return true;
  };
  const list = (
    owner: Dict,
    pointer: string,
    key: string,
    kind: ObjectKind,
    each?: (raw: Dict, at: string) => void,
  ) => {
    for (const [index, raw] of arrayAt(owner, key).entries()) {
      const at = childPointer(childPointer(pointer, key), index);
      if (add(raw, at, kind)) each?.(raw, at);
    }
  };
  const criteria = (owner: Dict, pointer: string, key: string) =>
    list(owner, pointer, key, 'criterion');
  const action = (raw: Dict, at: string) => criteria(raw, at, 'criteria');

  add(data, '', 'document');
  add(data['info'], '/info', 'info');
  list(data, '', 'sourceDescriptions', 'source');
  list(data, '', 'workflows', 'workflow', (workflow, wp) => {
    list(workflow, wp, 'parameters', 'parameter');
    list(workflow, wp, 'successActions', 'success-action', action);
    list(workflow, wp, 'failureActions', 'failure-action', action);
    list(workflow, wp, 'steps', 'step', (step, sp) => {
      list(step, sp, 'parameters', 'parameter');
      const body = dictAt(step, 'requestBody');
      const bp = childPointer(sp, 'requestBody');
      if (add(body, bp, 'request-body')) list(body, bp, 'replacements', 'replacement');
      criteria(step, sp, 'successCriteria');
      list(step, sp, 'onSuccess', 'success-action', action);
      list(step, sp, 'onFailure', 'failure-action', action);
    });
  });
  const components = dictAt(data, 'components');
  if (add(components, '/components', 'components')) {
    const kinds = [
      ['parameters', 'parameter'],
      ['successActions', 'success-action'],
      ['failureActions', 'failure-action'],
    ] as const;
    for (const [key, kind] of kinds) {
      for (const [name, raw] of Object.entries(dictAt(components, key) ?? {})) {
        const at = childPointer(childPointer('/components', key), name);
        if (add(raw, at, kind) && kind !== 'parameter') criteria(raw, at, 'criteria');
      }
    }
  }
  return out;
}
