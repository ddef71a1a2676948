/**
 * Evaluating a parsed runtime expression against a RuntimeContext (Arazzo 1.0.1 §Runtime
 * Expressions, "Examples" table; resolution per POSITIONS §4.2). "Runtime expressions preserve the
 * type of the referenced value": the value is returned as is (by reference — callers must not
 * mutate it). Anything that does not resolve (no such input, a step that has not run, a pointer
 * miss, a pointer into a string) is `undefined`, never an exception (POSITIONS §4.5); the
 * `resolveExpression` form also says why, for criterion failure reasons.
 */
import type {
  Accessor,
  Expression,
  MessageExpression,
  RequestExpression,
  ResponseExpression,
} from './ast.js';
import type { RuntimeContext } from './context.js';

export type Resolution =
  | { readonly found: true; readonly value: unknown }
  | {
      readonly found: false;
      /** One clause, e.g. `input "token" was not provided`. */ readonly why: string;
    };

export function evaluateExpression(expr: Expression, ctx: RuntimeContext): unknown {
  const resolution = resolveExpression(expr, ctx);
  return resolution.found ? resolution.value : undefined;
}

const missing = (why: string): Resolution => ({ found: false, why });
const found = (value: unknown): Resolution =>
  value === undefined ? missing('it has no value') : { found: true, value };

export function resolveExpression(expr: Expression, ctx: RuntimeContext): Resolution {
  let base: Resolution;
  switch (expr.kind) {
    case 'url':
      base = ctx.exchange ? found(ctx.exchange.url) : missing(NO_EXCHANGE);
      break;
    case 'method':
      base = ctx.exchange ? found(ctx.exchange.method) : missing(NO_EXCHANGE);
      break;
    case 'statusCode':
      base = !ctx.exchange
        ? missing(NO_EXCHANGE)
        : ctx.exchange.response
          ? found(ctx.exchange.response.statusCode)
          : missing(NO_RESPONSE);
      break;
    case 'request':
    case 'response':
      base = message(expr, ctx);
      break;
    case 'message':
      base = asyncMessage(expr, ctx);
      break;
    case 'self':
      base = ctx.self === undefined ? missing('the document has no $self') : found(ctx.self);
      break;
    case 'inputs':
      base = byName(ctx.inputs, expr.name, 'input');
      break;
    case 'outputs':
      base = byName(ctx.outputs, expr.name, 'output');
      break;
    case 'steps': {
      const step = own(ctx.steps, expr.stepId);
      base =
        step === undefined
          ? missing(`step "${expr.stepId}" has not run in this workflow`)
          : byName(step.outputs, expr.name, `output of step "${expr.stepId}"`);
      break;
    }
    case 'workflows': {
      const workflow = own(ctx.workflows, expr.workflowId);
      base =
        workflow === undefined
          ? missing(`workflow "${expr.workflowId}" has not run`)
          : byName(
              workflow[expr.field],
              expr.name,
              `${expr.field === 'inputs' ? 'input' : 'output'} of workflow "${expr.workflowId}"`,
            );
      break;
    }
    case 'sourceDescriptions':
      base = sourceDescription(expr.sourceName, expr.reference, ctx);
      break;
    case 'components': {
      const group = own(ctx.components, expr.componentType);
      base =
        group === undefined
          ? missing(`the document has no components.${expr.componentType}`)
          : byName(group, expr.name, `components.${expr.componentType} entry`);
      break;
    }
  }
  if (!base.found) return base;
  if (expr.accessors !== undefined) return applyAccessors(base.value, expr.accessors);
  if (expr.pointer !== undefined) return applyPointer(base.value, expr.pointer);
  return base;
}

const NO_EXCHANGE = 'there is no HTTP exchange here';
const NO_RESPONSE = 'no HTTP response was received';

/** 1.1 `$message.header.<name>` / `$message.payload`: what the AsyncAPI step sent or received. */
function asyncMessage(expr: MessageExpression, ctx: RuntimeContext): Resolution {
  const { message } = ctx;
  if (!message)
    return missing('there is no message here (only AsyncAPI steps send or receive one)');
  if (expr.source === 'payload')
    return message.payload === undefined
      ? missing('the message has no payload')
      : found(message.payload);
  const name = (expr.name ?? '').toLowerCase();
  const key = Object.keys(message.headers).find((k) => k.toLowerCase() === name);
  return key === undefined
    ? missing(`the message has no header "${expr.name ?? ''}"`)
    : found(own(message.headers, key));
}

function message(expr: RequestExpression | ResponseExpression, ctx: RuntimeContext): Resolution {
  const exchange = ctx.exchange;
  if (!exchange) return missing(NO_EXCHANGE);
  const part = expr.kind === 'request' ? exchange.request : exchange.response;
  if (part === undefined) return missing(NO_RESPONSE);
  switch (expr.source) {
    case 'header': {
      // RFC 9110 §5.1: field names are case-insensitive. The context stores them lower-cased;
      // the fallback scan keeps us correct if a caller did not.
      const name = (expr.name ?? '').toLowerCase();
      let value = own(part.headers, name);
      if (value === undefined) {
        const key = Object.keys(part.headers).find((k) => k.toLowerCase() === name);
        value = key === undefined ? undefined : own(part.headers, key);
      }
      return value === undefined
        ? missing(`the ${expr.kind} has no header "${expr.name ?? ''}"`)
        : found(value);
    }
    case 'query':
    case 'path': {
      if (!('query' in part)) return missing(`a response has no ${expr.source} parameters`);
      const value = own(part[expr.source], expr.name ?? '');
      return value === undefined
        ? missing(`the request has no ${expr.source} parameter "${expr.name ?? ''}"`)
        : found(value);
    }
    case 'body':
      return part.body === undefined ? missing(`the ${expr.kind} has no body`) : found(part.body);
  }
}

/**
 * A name that may contain dots (`^[a-zA-Z0-9.\-_]+$`): an exact key wins; otherwise the longest
 * key that is a dot-prefix of the name, and the remaining segments navigate members
 * (`$inputs.customer.firstName` = member `firstName` of input `customer`; POSITIONS §4.4).
 * Exported so `validate` applies the same rule to declared input/output names.
 */
export function splitDottedName(
  name: string,
  has: (key: string) => boolean,
): { readonly key: string; readonly members: readonly string[] } | undefined {
  if (has(name)) return { key: name, members: [] };
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const key = name.slice(0, dot);
    if (has(key)) {
      const members = name.slice(dot + 1).split('.');
      return members.includes('') ? undefined : { key, members };
    }
  }
  return undefined;
}

function byName(record: Readonly<Record<string, unknown>>, name: string, what: string): Resolution {
  const split = splitDottedName(name, (key) => own(record, key) !== undefined);
  if (split === undefined) return missing(`no ${what} named "${name}"`);
  const value = own(record, split.key);
  if (split.members.length === 0) return found(value);
  return applyAccessors(
    value,
    split.members.map((member): Accessor => ({ kind: 'member', name: member, offset: 0 })),
  );
}

function sourceDescription(name: string, reference: string, ctx: RuntimeContext): Resolution {
  const source = own(ctx.sourceDescriptions, name);
  if (source === undefined) return missing(`there is no source description "${name}"`);
  // Evaluated (rather than read structurally) only inside templates such as `operationPath`'s
  // `{$sourceDescriptions.x.url}`, so the Source Description Object's fields come first here;
  // an operationId/workflowId evaluates to itself (1.1 §Source Description Expression Resolution
  // gives ids priority — that matters where the runtime resolves `operationId`, not here).
  if (reference === 'url') return found(source.url);
  if (reference === 'type') return found(source.type);
  if (reference === 'name') return found(name);
  if (source.ids.has(reference)) return found(reference);
  return missing(`source description "${name}" has no operation, workflow or field "${reference}"`);
}

function applyAccessors(start: unknown, accessors: readonly Accessor[]): Resolution {
  let value = start;
  for (let i = 0; i < accessors.length; i++) {
    const accessor = accessors[i] as Accessor;
    const next =
      accessor.kind === 'index'
        ? Array.isArray(value) && accessor.index < value.length
          ? (value[accessor.index] as unknown)
          : undefined
        : member(value, accessor.name);
    if (next === undefined) return missing(accessorMiss(value, accessors, i));
    value = next;
  }
  return found(value);
}

/** Why accessor `i` did not apply to `value` (built only on failure). */
function accessorMiss(value: unknown, accessors: readonly Accessor[], i: number): string {
  const text = (a: Accessor): string => (a.kind === 'member' ? `.${a.name}` : `[${a.index}]`);
  const at = describeAt(accessors.slice(0, i).map(text).join(''));
  const accessor = accessors[i] as Accessor;
  if (accessor.kind === 'index') {
    return Array.isArray(value)
      ? `${at} has ${value.length} element(s), so ${text(accessor)} does not exist`
      : `${at} is ${kindOf(value)}, not an array, so ${text(accessor)} does not apply`;
  }
  return isContainer(value)
    ? `${at} has no member "${accessor.name}"`
    : `${at} is ${kindOf(value)}, so ${text(accessor)} does not apply`;
}

/** RFC 6901 §4 evaluation (the loop does no string work; reasons are built only on a miss). */
function applyPointer(start: unknown, tokens: readonly string[]): Resolution {
  let value = start;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    let next: unknown;
    if (Array.isArray(value)) {
      // Array indices are decimal without leading zeros; "-" names the (missing) element after the last.
      next = isArrayIndex(token) ? (value[Number(token)] as unknown) : undefined;
    } else if (isContainer(value)) {
      next = own(value as Record<string, unknown>, token);
    }
    if (next === undefined) return missing(pointerMiss(value, tokens, i));
    value = next;
  }
  return found(value);
}

function pointerMiss(value: unknown, tokens: readonly string[], i: number): string {
  const escape = (t: string): string => t.replaceAll('~', '~0').replaceAll('/', '~1');
  const at = i === 0 ? 'the value' : `#/${tokens.slice(0, i).map(escape).join('/')}`;
  const token = tokens[i] as string;
  if (Array.isArray(value)) {
    return isArrayIndex(token)
      ? `${at} has ${value.length} element(s), so index ${token} does not exist`
      : `pointer token "${escape(token)}" is not an array index (${at} is an array)`;
  }
  if (isContainer(value)) return `${at} has no member "${token}"`;
  return `${at} is ${kindOf(value)}, so the pointer cannot go into it ("/${escape(token)}")`;
}

function isArrayIndex(token: string): boolean {
  const length = token.length;
  if (length === 0 || (length > 1 && token.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function member(value: unknown, name: string): unknown {
  if (Array.isArray(value))
    return isArrayIndex(name) ? (value[Number(name)] as unknown) : undefined;
  return isContainer(value) ? own(value as Record<string, unknown>, name) : undefined;
}

/** Own enumerable data only: `$inputs.constructor` or `#/__proto__` must not reach the prototype. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function describeAt(path: string): string {
  return path === '' ? 'the value' : `the value at ${path}`;
}

/** "a string", "null", "an array", … for failure reasons. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'undefined';
    default:
      return `a ${typeof value}`;
  }
}
