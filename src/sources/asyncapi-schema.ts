/**
 * The schema an AsyncAPI message declares for its payload (or headers), and whether it is JSON
 * Schema, the only format this runner checks (POSITIONS §11.9, §11.11).
 *
 * AsyncAPI 3.0 §Message Object `payload`: "Multi Format Schema Object | Schema Object |
 * Reference Object … If this is a Schema Object, then the `schemaFormat` will be assumed to be
 * 'application/vnd.aai.asyncapi+json;version=`asyncapi`'"; §Multi Format Schema Object: a
 * `schemaFormat` and a `schema`, both required. AsyncAPI 2.x §Message Object: `schemaFormat`
 * beside `payload`, default the AsyncAPI format. §Schema Object: "a superset of the JSON Schema
 * Specification Draft 07", so the AsyncAPI formats and `application/schema+json;version=draft-07`
 * (and `+yaml`) are JSON Schema draft-07; Avro, RAML, OpenAPI and Protobuf schemas are not.
 */
import { isRecord } from '../document/guards.js';

export type MessageSchema =
  | { readonly kind: 'json-schema'; readonly schema: unknown }
  | { readonly kind: 'other'; readonly format: string };

const JSON_SCHEMA_FORMATS = [
  /^application\/vnd\.aai\.asyncapi(\+json|\+yaml)?;version=[^;]+$/,
  /^application\/schema(\+json|\+yaml);version=draft-07$/,
];

/** Whether a `schemaFormat` is one of the JSON Schema draft-07 formats (AsyncAPI's own included). */
export function isJsonSchemaFormat(format: string): boolean {
  const normalized = format.toLowerCase().replaceAll(/\s+/g, '');
  return JSON_SCHEMA_FORMATS.some((pattern) => pattern.test(normalized));
}

/**
 * The schema of a message's `payload` or `headers` (`schema`) with its format: a Multi Format
 * Schema Object's own, else `messageFormat` (2.x `schemaFormat`, payload only), else JSON Schema.
 * Undefined when there is no schema.
 */
export function messageSchema(
  schema: unknown,
  messageFormat: string | undefined,
): MessageSchema | undefined {
  if (schema === undefined || schema === null) return undefined;
  let format = messageFormat;
  let body: unknown = schema;
  if (isRecord(schema) && typeof schema['schemaFormat'] === 'string' && 'schema' in schema) {
    format = schema['schemaFormat'];
    body = schema['schema'];
  }
  if (format === undefined || isJsonSchemaFormat(format))
    return { kind: 'json-schema', schema: body };
  return { kind: 'other', format };
}
