import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ArazzoError, childPointer } from '../errors.js';
import type { JsonSchema } from '../document/types.js';
import type { DocumentScope } from './scope.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * One validator per Arazzo document: the whole document is registered under its URL so that
 * `$ref: '#/components/inputs/x'` inside a workflow's `inputs` resolves against the document
 * (POSITIONS §7.6). Validators are compiled once and cached (never per step).
 */
const validators = new WeakMap<DocumentScope, Map<number, ValidateFunction>>();
const ajvs = new WeakMap<DocumentScope, Ajv2020>();

function ajvFor(scope: DocumentScope): Ajv2020 {
  let ajv = ajvs.get(scope);
  if (!ajv) {
    // strict: false — the Arazzo document around the schemas has keywords ajv does not know.
    // Schemas are not validated against the meta-schema (validate reports bad schemas), so the
    // meta-schemas are not loaded either: a few milliseconds of every run's start.
    ajv = new Ajv2020({
      allErrors: true,
      strict: false,
      useDefaults: true,
      validateSchema: false,
      meta: false,
    });
    addFormats(ajv);
    ajv.addSchema(scope.loaded.document, scope.loaded.url);
    ajvs.set(scope, ajv);
  }
  return ajv;
}

function validatorFor(scope: DocumentScope, workflowIndex: number): ValidateFunction {
  let perDocument = validators.get(scope);
  if (!perDocument) validators.set(scope, (perDocument = new Map<number, ValidateFunction>()));
  let validate = perDocument.get(workflowIndex);
  if (!validate) {
    const pointer = childPointer(childPointer('/workflows', workflowIndex), 'inputs');
    try {
      validate = ajvFor(scope).compile({ $ref: `${scope.loaded.url}#${pointer}` });
    } catch (error) {
      // A schema ajv cannot compile: its own message names a wrong keyword value or a $ref that
      // resolves nowhere; a TypeError only means a schema of the wrong shape (null, a number).
      const reason =
        error instanceof TypeError
          ? 'it is not a JSON Schema (an object or a boolean); `arazzo validate` says where'
          : (error as Error).message;
      throw new ArazzoError('DOCUMENT_INVALID', `the inputs schema cannot be used: ${reason}`, {
        location: { file: scope.loaded.file, pointer },
        cause: error,
      });
    }
    perDocument.set(workflowIndex, validate);
  }
  return validate;
}

/** The workflow's inputs schema with a top-level `$ref` to `components.inputs` followed. */
export function inputsSchema(scope: DocumentScope, workflowIndex: number): JsonSchema | undefined {
  const schema = scope.loaded.document.workflows[workflowIndex]?.inputs;
  if (typeof schema !== 'object' || schema === null) return schema;
  const ref = schema['$ref'];
  const prefix = '#/components/inputs/';
  if (typeof ref === 'string' && ref.startsWith(prefix)) {
    return scope.loaded.document.components?.inputs?.[
      ref.slice(prefix.length).replaceAll('~1', '/').replaceAll('~0', '~')
    ];
  }
  return schema;
}

/**
 * Checks inputs against the workflow's JSON Schema and applies its `default`s (ajv
 * `useDefaults`) on a copy. Every problem is named in one error: `INPUT_MISSING` when only
 * required inputs are missing, otherwise `INPUT_INVALID`.
 */
export function prepareInputs(
  scope: DocumentScope,
  workflowIndex: number,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const workflow = scope.loaded.document.workflows[workflowIndex];
  const inputs = structuredClone(given) as Record<string, unknown>;
  if (workflow?.inputs === undefined) return inputs;
  const validate = validatorFor(scope, workflowIndex);
  if (validate(inputs)) return inputs;
  const problems = validate.errors ?? [];
  const missing = problems
    .filter((e) => e.keyword === 'required' && e.instancePath === '')
    .map(missingName);
  if (missing.length === problems.length) {
    throw new ArazzoError(
      'INPUT_MISSING',
      `missing required input${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    );
  }
  throw new ArazzoError('INPUT_INVALID', `invalid inputs: ${problems.map(describe).join('; ')}`);
}

/** The names of required inputs that were not given. */
export function missingRequiredInputs(
  schema: JsonSchema | undefined,
  given: Readonly<Record<string, unknown>>,
): string[] {
  if (typeof schema !== 'object' || !Array.isArray(schema['required'])) return [];
  return (schema['required'] as unknown[]).filter(
    (name): name is string => typeof name === 'string' && !(name in given),
  );
}

function missingName(error: ErrorObject): string {
  return String((error.params as { missingProperty?: string }).missingProperty);
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'required') return `missing required input ${missingName(error)}`;
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
  return `input ${path || '(root)'} ${error.message ?? 'is invalid'}`;
}

/**
 * Inputs for a workflow started by goto, dependsOn or a retry: the given ones if they satisfy
 * its schema, else none (its defaults).
 */
/**
 * The inputs of a workflow another one calls (a workflow step, a goto or retry with 1.1
 * `parameters`), checked as `prepareInputs` does, or why its schema refuses them.
 */
export function calleeInputs(
  scope: DocumentScope,
  workflowIndex: number,
  workflowId: string,
  given: Readonly<Record<string, unknown>>,
): { readonly inputs: Record<string, unknown> } | { readonly problem: string } {
  try {
    return { inputs: prepareInputs(scope, workflowIndex, given) };
  } catch (error) {
    return { problem: `inputs for workflow "${workflowId}": ${(error as Error).message}` };
  }
}

export function inputsOrNone(
  scope: DocumentScope,
  workflowIndex: number,
  candidate: Record<string, unknown>,
): Record<string, unknown> {
  try {
    return prepareInputs(scope, workflowIndex, candidate);
  } catch {
    return prepareInputs(scope, workflowIndex, {});
  }
}

/** The schema of one input, from a workflow's inputs schema. */
export function propertySchema(inputs: JsonSchema | undefined, name: string): unknown {
  if (typeof inputs !== 'object') return undefined;
  return (inputs['properties'] as Record<string, unknown> | undefined)?.[name];
}
