/**
 * Structural validation against the official Arazzo JSON Schema of the document's version
 * (2020-12, via ajv), with the corrections of `schema-patches.ts` / `schema-patches-1.1.ts`,
 * compiled ahead of time (`scripts/schema-codegen.ts`); 1.1 constructs in a 1.0 document get a
 * hint (version-hints.ts).
 *
 * ajv reports every failed keyword, including the branches of `oneOf`/`anyOf` and the `if`
 * wrappers around them; `schemaFindings` turns that list into one finding per actual problem:
 * `if` errors are dropped (the `then`/`else` errors say what is wrong); a `oneOf` between
 * "required" alternatives becomes one "needs exactly one of …" message; for any other
 * `oneOf`/`anyOf`, of its branch errors (the run just before it, at or under its path) only the
 * deepest are kept, and alternatives failing at the same place are merged into one message.
 * (The patched schema has no other cascades: see schema-patches.ts, rewrite 5.) Pointers are
 * ajv's `instancePath` (already RFC 6901), extended with the offending property for unknown
 * fields and with the duplicate's index for `uniqueItems`.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { childPointer } from '../../errors.js';
import { didYouMean } from '../../sources/did-you-mean.js';
import type { SpecVersion } from '../../document/constants.js';
import { validate as generated10 } from './generated/arazzo-schema-validator.js';
import { validate as generated11 } from './generated/arazzo-1.1-schema-validator.js';
import { UNIQUE_KEYWORD } from './schema-patches.js';
import type { Finding } from '../types.js';
import { isDict } from '../util.js';
import { fieldHint11, selectorHint11, valueHint11 } from './version-hints.js';

export { officialSchema } from './schema-file.js';

/** Compiled ahead of time (scripts/schema-codegen.ts): no schema compilation at start-up. */
const VALIDATORS: Readonly<Record<SpecVersion, ValidateFunction>> = {
  '1.0': generated10 as unknown as ValidateFunction,
  '1.1': generated11 as unknown as ValidateFunction,
};

/**
 * Validates `data` against the (patched) schema of its Arazzo `version`; one finding per
 * problem, code `schema`.
 */
export function schemaFindings(data: unknown, version: SpecVersion = '1.0'): Finding[] {
  const validate = VALIDATORS[version];
  if (validate(data)) return [];
  return collapse(validate.errors ?? [], version);
}

type AjvError = ErrorObject & { parentSchema?: unknown; schema?: unknown; data?: unknown };

interface Entry {
  readonly pointer: string;
  readonly message: string;
  /** ajv's instancePath; entries are grouped and ranked by it. */
  readonly instancePath: string;
  readonly keyword: string;
}

function collapse(errors: readonly AjvError[], version: SpecVersion): Finding[] {
  // `if` only says "the then/else schema failed"; a pattern inside propertyNames repeats it.
  const kept = errors.filter(
    (error) =>
      error.keyword !== 'if' &&
      !(error.keyword === 'pattern' && error.schemaPath.includes('/propertyNames/')),
  );
  // One slot per error, in ajv's order; summaries below empty or rewrite the slots of their branches.
  const slots: (Entry | undefined)[] = kept.map((error) => describe(error, version));
  for (const [index, error] of kept.entries()) {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') continue;
    // The branch errors are the run just before the summary that lies at or under its path.
    let first = index;
    while (first > 0 && isUnder(kept[first - 1]?.instancePath ?? '', error.instancePath)) first--;
    const choice = requiredChoice(error);
    if (choice !== undefined && !isDict(error.data)) {
      // `required` ignores what is not an object, so every branch passes and the summary would
      // list fields that are not there; the type error at the same place says what is wrong.
      slots[index] = undefined;
      continue;
    }
    if (choice) {
      // Its branches are inline `{required: [x]}` schemas: their errors sit under its schemaPath.
      for (let i = first; i < index; i++) {
        if (kept[i]?.schemaPath.startsWith(`${error.schemaPath}/`)) slots[i] = undefined;
      }
      slots[index] = {
        pointer: error.instancePath,
        message: choice,
        instancePath: error.instancePath,
        keyword: 'choice',
      };
      continue;
    }
    const branch = slots.slice(first, index).filter((entry): entry is Entry => entry !== undefined);
    if (branch.length === 0) continue;
    // Prefer the deepest place; alternatives failing at the same place become one message.
    const depth = Math.max(...branch.map((entry) => entry.pointer.split('/').length));
    const deepest = branch.filter((entry) => entry.pointer.split('/').length === depth);
    for (let i = first; i <= index; i++) slots[i] = undefined;
    slots[index] = mergeAlternatives(deepest);
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const entry of slots) {
    if (!entry) continue;
    const key = `${entry.pointer}\n${entry.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({ code: 'schema', message: entry.message, pointer: entry.pointer });
  }
  return findings;
}

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

/** "x must be a; or must be b" for alternatives that failed at the same place. */
function mergeAlternatives(entries: readonly Entry[]): Entry | undefined {
  const [first, ...rest] = entries;
  if (!first) return undefined;
  const messages = [first.message];
  for (const entry of rest) {
    const prefix = `${valueName(entry.instancePath)} `;
    const tail = entry.message.startsWith(prefix)
      ? entry.message.slice(prefix.length)
      : entry.message;
    if (!messages.includes(tail) && !messages.includes(entry.message)) messages.push(tail);
  }
  return { ...first, message: messages.join('; or ') };
}

/** "needs exactly one of a, b or c" for a oneOf whose every branch is `{required: [x]}`. */
function requiredChoice(error: AjvError): string | undefined {
  const branches = error.schema;
  if (!Array.isArray(branches) || branches.length < 2) return undefined;
  const names: string[] = [];
  for (const branch of branches as unknown[]) {
    const required = (branch as { required?: unknown } | null)?.required;
    if (
      !Array.isArray(required) ||
      required.length !== 1 ||
      Object.keys(branch as object).length !== 1
    )
      return undefined;
    names.push(String(required[0]));
  }
  const what = objectName(error.instancePath);
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  if (Array.isArray(passing)) {
    const present = passing.map((index) => `"${names[Number(index)] ?? '?'}"`);
    return `${what} has ${joinWords(present, 'and')}; exactly one of ${joinWords(names.map(quote), 'or')} is allowed`;
  }
  if (error.keyword === 'anyOf')
    return `${what} needs at least one of ${joinWords(names.map(quote), 'or')}`;
  return `${what} needs exactly one of ${joinWords(names.map(quote), 'or')}`;
}

/** A readable entry for one ajv error. */
function describe(error: AjvError, version: SpecVersion): Entry | undefined {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const entry = (pointer: string, message: string): Entry => ({
    pointer,
    message,
    instancePath: at,
    keyword: error.keyword,
  });
  switch (error.keyword) {
    case 'required': {
      const field = String(params['missingProperty']);
      return entry(at, `${objectName(at)} is missing the required field "${field}"`);
    }
    case 'unevaluatedProperties':
    case 'additionalProperties': {
      const field = String(params['unevaluatedProperty'] ?? params['additionalProperty']);
      const known = knownProperties(error.parentSchema);
      const hint = (version === '1.0' && fieldHint11(field)) || didYouMean(field, known);
      const extension = field.startsWith('x-') ? '' : ' (extensions must start with "x-")';
      return entry(
        childPointer(at, field),
        `unknown field "${field}" in ${objectName(at)}${hint || extension}`,
      );
    }
    case 'dependentRequired':
      return entry(
        at,
        `"${String(params['missingProperty'])}" is required when "${String(params['property'])}" is given`,
      );
    case 'type':
      return entry(
        at,
        `${valueName(at)} must be ${article(String(params['type']))} (found ${typeOf(error.data)})${version === '1.0' ? selectorHint11(error.data) : ''}`,
      );
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[] | undefined) ?? [];
      const hint =
        typeof error.data === 'string' ? didYouMean(error.data, allowed.map(String)) : '';
      const list = allowed.map((v) => JSON.stringify(v)).join(', ');
      const added = version === '1.0' ? valueHint11(error.data) : '';
      return entry(
        at,
        `${valueName(at)} must be one of ${list} (found ${JSON.stringify(error.data)})${added || hint}`,
      );
    }
    case 'const':
      return entry(
        at,
        `${valueName(at)} must be ${JSON.stringify(params['allowedValue'])} (found ${JSON.stringify(error.data)})`,
      );
    case 'pattern':
      // 1.1 §Arazzo Object: "The `$self` URI MUST NOT contain a fragment identifier."
      if (at === '/$self') {
        return entry(
          at,
          `"$self" must not contain a fragment identifier (found ${JSON.stringify(error.data)})`,
        );
      }
      return entry(
        at,
        `${valueName(at)} must match the pattern ${String(params['pattern'])} (found ${JSON.stringify(error.data)})`,
      );
    case 'propertyNames': {
      const name = String(params['propertyName']);
      return entry(childPointer(at, name), `the name "${name}" must match ^[a-zA-Z0-9.\\-_]+$`);
    }
    case 'format':
      return entry(
        at,
        `${valueName(at)} must be a valid ${String(params['format'])} (found ${JSON.stringify(error.data)})`,
      );
    case 'minItems': {
      const limit = Number(params['limit']);
      return entry(
        at,
        `${valueName(at)} must have at least ${limit} ${limit === 1 ? 'entry' : 'entries'}`,
      );
    }
    case UNIQUE_KEYWORD:
      return entry(
        childPointer(at, Number(params['i'])),
        `${valueName(at)} has duplicate entries (#${String(params['j'])} and #${String(params['i'])} are identical)`,
      );
    default:
      return entry(at, `${valueName(at)} ${error.message ?? 'is invalid'}`);
  }
}

function knownProperties(parentSchema: unknown): string[] {
  const properties = (parentSchema as { properties?: unknown } | undefined)?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/** A short noun for the object at `pointer` ("the step", "the info object"); the pointer itself is reported separately. */
function objectName(pointer: string): string {
  const tokens = pointer.split('/').slice(1);
  const last = tokens[tokens.length - 1];
  const parent = tokens[tokens.length - 2];
  if (tokens.length === 0) return 'the document';
  if (last !== undefined && /^\d+$/.test(last) && parent !== undefined) {
    return SINGULAR[parent] ?? 'the entry';
  }
  if (
    parent !== undefined &&
    COMPONENT_KINDS[parent] !== undefined &&
    tokens[tokens.length - 3] === 'components'
  ) {
    return COMPONENT_KINDS[parent];
  }
  return OBJECT_NAMES[last ?? ''] ?? `"${last ?? ''}"`;
}

function valueName(pointer: string): string {
  if (pointer === '') return 'the document';
  return `"${pointer.split('/').pop() ?? ''}"`;
}

const SINGULAR: Record<string, string> = {
  sourceDescriptions: 'the source description',
  workflows: 'the workflow',
  steps: 'the step',
  parameters: 'the parameter',
  successActions: 'the success action',
  failureActions: 'the failure action',
  onSuccess: 'the success action',
  onFailure: 'the failure action',
  successCriteria: 'the criterion',
  criteria: 'the criterion',
  replacements: 'the payload replacement',
};

const COMPONENT_KINDS: Record<string, string> = {
  parameters: 'the component parameter',
  successActions: 'the component success action',
  failureActions: 'the component failure action',
  inputs: 'the component inputs schema',
};

const OBJECT_NAMES: Record<string, string> = {
  info: 'the info object',
  requestBody: 'the request body',
  components: 'the components object',
  type: 'the expression type object',
};

function quote(name: string): string {
  return `"${name}"`;
}

function joinWords(words: readonly string[], conjunction: string): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1] ?? ''}`;
}

function article(type: string): string {
  if (type.includes(',')) return `one of ${type}`;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
