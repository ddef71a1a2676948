/**
 * OpenAPI response schemas compiled with ajv: JSON Schema 2020-12 for OAS 3.1; draft-07 for
 * OAS 3.0 and Swagger 2.0, after turning their dialect into JSON Schema (`nullable` /
 * `x-nullable` → a `null` type, boolean `exclusiveMinimum`/`exclusiveMaximum` → numeric ones,
 * Swagger's `type: file` dropped). For every version: `$ref`s left in the description (its
 * circular references) are resolved against the document, cycles become `$defs` references,
 * `writeOnly` properties are not required in a response (OAS 3.0 §Schema Object `writeOnly`),
 * and OpenAPI's own formats (int32, int64, float, double, byte, binary, password) are known.
 *
 * The same machinery checks AsyncAPI message payloads (`compileJsonSchema` with the draft-07
 * dialect: AsyncAPI 3.0 §Schema Object is "a superset of the JSON Schema Specification Draft
 * 07"): no OpenAPI conversion, `$ref`s left by dereferencing resolved against the AsyncAPI
 * document, errors worded for a payload (POSITIONS §11.11).
 */
import { Ajv as AjvDraft07 } from 'ajv/dist/ajv.js';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { JSONPointer } from 'json-p3';
import type { OpenApiDocument } from '../sources/openapi-types.js';
import { openApiFamily } from './parameter-definitions.js';
import { isRecord } from '../document/guards.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020 | AjvDraft07) => unknown;

type Family = ReturnType<typeof openApiFamily>;

/** An OpenAPI family, or plain JSON Schema draft-07 (AsyncAPI message schemas). */
export type SchemaDialect = Family | 'json-schema-draft-07';

export interface CompiledSchema {
  readonly validate: (value: unknown) => readonly string[];
}

let ajv2020: Ajv2020 | undefined;
let ajvDraft07: AjvDraft07 | undefined;

function engine(family: SchemaDialect): Ajv2020 | AjvDraft07 {
  const options = { strict: false, allErrors: true, logger: false as const, validateFormats: true };
  if (family === 'oas-3.1') {
    ajv2020 ??= withFormats(new Ajv2020(options));
    return ajv2020;
  }
  ajvDraft07 ??= withFormats(new AjvDraft07(options));
  return ajvDraft07;
}

function withFormats<T extends Ajv2020 | AjvDraft07>(ajv: T): T {
  addFormats(ajv);
  const int = (min: number, max: number) => (value: number) =>
    Number.isInteger(value) && value >= min && value <= max;
  ajv.addFormat('int32', { type: 'number', validate: int(-(2 ** 31), 2 ** 31 - 1) });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat('binary', true);
  ajv.addFormat('password', true);
  return ajv;
}

/** Compiles a response schema of `document`; throws ajv's error if it cannot. */
export function compileResponseSchema(schema: unknown, document: OpenApiDocument): CompiledSchema {
  return compileJsonSchema(schema, document, openApiFamily(document), 'body');
}

/**
 * Compiles `schema` of the `dialect`, its `$ref`s resolved in `root`; errors name the instance
 * `subject` (`body`, `payload`). Throws ajv's error if it cannot.
 */
export function compileJsonSchema(
  schema: unknown,
  root: object,
  dialect: SchemaDialect,
  subject: string,
): CompiledSchema {
  const converted = new SchemaConverter(root, dialect).convert(schema);
  const validate: ValidateFunction = engine(dialect).compile(converted as object);
  return {
    validate: (value) =>
      validate(value) ? [] : (validate.errors ?? []).map((error) => describeError(error, subject)),
  };
}

function describeError(error: ErrorObject, subject: string): string {
  const where = error.instancePath === '' ? subject : `${subject}${error.instancePath}`;
  if (error.keyword === 'additionalProperties') {
    const property = (error.params as { additionalProperty?: unknown }).additionalProperty;
    return `${where} has the unexpected property "${String(property)}"`;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_SINGLES = [
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keys that only annotate (or that ajv would try to resolve as identifiers). */
const DROPPED = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  'discriminator',
  'xml',
  'externalDocs',
  'example',
  'examples',
]);

class SchemaConverter {
  readonly #document: object;
  readonly #family: SchemaDialect;
  readonly #defsKey: string;
  readonly #copies = new Map<object, Record<string, unknown>>();
  readonly #inProgress = new Set<object>();
  readonly #ids = new Map<object, string>();
  readonly #defs: Record<string, unknown> = {};

  constructor(document: object, family: SchemaDialect) {
    this.#document = document;
    this.#family = family;
    this.#defsKey = family === 'oas-3.1' ? '$defs' : 'definitions';
  }

  convert(schema: unknown): unknown {
    const root = this.#schema(schema);
    if (Object.keys(this.#defs).length === 0 || typeof root !== 'object') return root;
    return { ...root, [this.#defsKey]: this.#defs };
  }

  #schema(node: unknown): unknown {
    if (typeof node === 'boolean') return node;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return {};
    const record = node as Record<string, unknown>;
    if (typeof record['$ref'] === 'string') {
      const target = this.#resolve(record['$ref']);
      const resolved = this.#schema(target);
      const siblings = Object.keys(record).filter(
        (key) => key !== '$ref' && key !== 'description' && key !== 'summary',
      );
      // OAS 3.1 (JSON Schema 2020-12) applies keywords beside `$ref`; 3.0 ignores them.
      if (this.#family !== 'oas-3.1' || siblings.length === 0) return resolved;
      const rest = Object.fromEntries(siblings.map((key) => [key, record[key]]));
      return { allOf: [resolved], ...this.#keywords(rest) };
    }
    if (this.#inProgress.has(node)) {
      let id = this.#ids.get(node);
      if (id === undefined) {
        id = `s${this.#ids.size}`;
        this.#ids.set(node, id);
        this.#defs[id] = this.#copies.get(node);
      }
      return { $ref: `#/${this.#defsKey}/${id}` };
    }
    const done = this.#copies.get(node);
    if (done !== undefined) return done;
    const copy: Record<string, unknown> = {};
    this.#copies.set(node, copy);
    this.#inProgress.add(node);
    Object.assign(copy, this.#keywords(record));
    this.#inProgress.delete(node);
    return copy;
  }

  #keywords(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (DROPPED.has(key) || key.startsWith('x-')) continue;
      if (SCHEMA_MAPS.includes(key) && isRecord(value)) {
        out[key] = Object.fromEntries(
          Object.entries(value).map(([name, item]) => [name, this.#schema(item)]),
        );
      } else if (SCHEMA_SINGLES.includes(key)) {
        out[key] = this.#schema(value);
      } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
        out[key] = value.map((item) => this.#schema(item));
      } else if (key === 'items') {
        out[key] = Array.isArray(value)
          ? value.map((item) => this.#schema(item))
          : this.#schema(value);
      } else if (key === 'dependencies' && isRecord(value)) {
        out[key] = Object.fromEntries(
          Object.entries(value).map(([name, item]) => [
            name,
            Array.isArray(item) ? item : this.#schema(item),
          ]),
        );
      } else {
        out[key] = value;
      }
    }
    if (this.#family === 'json-schema-draft-07') return out;
    if (this.#family !== 'oas-3.1') this.#fromOpenApi30(record, out);
    this.#writeOnlyNotRequired(record, out);
    return out;
  }

  /** OAS 3.0 / Swagger 2.0 Schema Object → JSON Schema draft-07. */
  #fromOpenApi30(record: Readonly<Record<string, unknown>>, out: Record<string, unknown>): void {
    const nullable = record['nullable'] === true || record['x-nullable'] === true;
    delete out['nullable'];
    if (nullable) {
      if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
      else if (Array.isArray(out['type']) && !out['type'].includes('null'))
        out['type'] = [...(out['type'] as unknown[]), 'null'];
      if (Array.isArray(out['enum']) && !out['enum'].includes(null))
        out['enum'] = [...(out['enum'] as unknown[]), null];
    }
    for (const [exclusive, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (out[exclusive] === true && typeof out[bound] === 'number') {
        out[exclusive] = out[bound];
        delete out[bound];
      } else if (typeof out[exclusive] === 'boolean') {
        delete out[exclusive];
      }
    }
    if (out['type'] === 'file') delete out['type'];
  }

  /** A `writeOnly` property is never sent in a response, so it cannot be required there. */
  #writeOnlyNotRequired(
    record: Readonly<Record<string, unknown>>,
    out: Record<string, unknown>,
  ): void {
    const required = out['required'];
    const properties = record['properties'];
    if (!Array.isArray(required) || !isRecord(properties)) return;
    out['required'] = required.filter((name) => {
      if (typeof name !== 'string') return true;
      let property = properties[name];
      if (isRecord(property) && typeof property['$ref'] === 'string')
        property = this.#resolve(property['$ref']);
      return !(isRecord(property) && property['writeOnly'] === true);
    });
  }

  /** A `$ref` into the description (`#/components/schemas/X`); anything else accepts all. */
  #resolve(ref: string): unknown {
    if (!ref.startsWith('#')) return {};
    try {
      const pointer = decodeURIComponent(ref.slice(1));
      return new JSONPointer(pointer).resolve(this.#document as never);
    } catch {
      return {};
    }
  }
}
