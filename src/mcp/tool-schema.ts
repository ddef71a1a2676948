import { isRecord } from '../document/guards.js';
import type { JsonSchema } from '../document/types.js';
import type { Expression } from '../expressions/index.js';
import type { StepModel, WorkflowModel } from '../model/types.js';
import { requestMethod } from '../sources/operations.js';

/**
 * The JSON Schemas and hints of a workflow's MCP tool (MCP 2025-11-25 §Tools: `inputSchema`,
 * `outputSchema`, `annotations`), read from the compiled model. Pure: no I/O.
 */

type Schema = Record<string, unknown>;

/**
 * The workflow's inputs schema without the inputs the model may not give: those fixed at server
 * start and every secret (credentials come from the operator). `$ref`s to
 * `#/components/inputs/…` are written out, since the client cannot resolve them.
 */
export function toolInputSchema(
  inputs: JsonSchema | undefined,
  components: Readonly<Record<string, unknown>>,
  hidden: ReadonlySet<string>,
): Schema {
  const schema: Schema = isRecord(inputs) ? (inline(inputs, components, 0) as Schema) : {};
  const properties = isRecord(schema['properties']) ? { ...schema['properties'] } : {};
  for (const name of hidden) delete properties[name];
  const required = Array.isArray(schema['required'])
    ? schema['required'].filter((name) => typeof name === 'string' && !hidden.has(name))
    : [];
  // The dialect and id belong to the Arazzo document, not to the tool's schema.
  const rest = Object.fromEntries(
    Object.entries(schema).filter(([key]) => !['$schema', '$id', 'required'].includes(key)),
  );
  return {
    ...rest,
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
}

const INLINE_DEPTH = 16;

/** Writes out local component `$ref`s (to a bounded depth: a recursive schema stays a `$ref`-free `{}`). */
function inline(
  value: unknown,
  components: Readonly<Record<string, unknown>>,
  depth: number,
): unknown {
  if (Array.isArray(value)) return value.map((item) => inline(item, components, depth));
  if (!isRecord(value)) return value;
  const ref = value['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/components/inputs/')) {
    const name = ref
      .slice('#/components/inputs/'.length)
      .replaceAll('~1', '/')
      .replaceAll('~0', '~');
    const inputs = components['inputs'];
    const target = isRecord(inputs) && Object.hasOwn(inputs, name) ? inputs[name] : undefined;
    return depth >= INLINE_DEPTH || target === undefined
      ? {}
      : inline(target, components, depth + 1);
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, inline(item, components, depth)]),
  );
}

/**
 * `structuredContent` of every call (call.ts): the run's outcome, its outputs, a step summary.
 * An output's type is given where the expression says it (an input's type, `$statusCode`, a
 * header, a response body field the OpenAPI schema types); else any value. Every output may be
 * null: one that does not resolve is reported as null.
 */
export function toolOutputSchema(workflow: WorkflowModel, inputs: JsonSchema | undefined): Schema {
  const outputs = Object.fromEntries(
    workflow.outputs.map((output) => [
      output.name,
      {
        ...nullable(output.expression && typeOf(output.expression, workflow, inputs, 0)),
        ...(typeof output.raw === 'string' ? { description: output.raw } : {}),
      },
    ]),
  );
  return {
    type: 'object',
    properties: {
      workflowId: { type: 'string' },
      // Served with --durable: the run's id, for `arazzo runs show`.
      runId: { type: 'string' },
      success: { type: 'boolean' },
      outputs: { type: 'object', properties: outputs },
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            stepId: { type: 'string' },
            success: { type: 'boolean' },
            statusCode: { type: ['integer', 'null'] },
            executions: { type: 'integer' },
            reasons: { type: 'array', items: { type: 'string' } },
          },
          required: ['stepId', 'success'],
        },
      },
      error: {
        type: 'object',
        properties: { code: { type: 'string' }, message: { type: 'string' } },
        required: ['code', 'message'],
      },
    },
    required: ['workflowId', 'success', 'outputs', 'steps'],
  };
}

const SIMPLE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array']);

function nullable(type: string | undefined): Schema {
  return type === undefined ? {} : { type: [type, 'null'] };
}

function typeOf(
  expression: Expression,
  workflow: WorkflowModel,
  inputs: JsonSchema | undefined,
  depth: number,
): string | undefined {
  if (depth > 8) return undefined;
  switch (expression.kind) {
    case 'statusCode':
      return 'integer';
    case 'url':
    case 'method':
      return 'string';
    case 'inputs': {
      if (expression.accessors !== undefined || expression.pointer !== undefined) return undefined;
      const properties = isRecord(inputs) ? inputs['properties'] : undefined;
      return simpleType(isRecord(properties) ? properties[expression.name] : undefined);
    }
    case 'steps': {
      const step = workflow.stepById.get(expression.stepId);
      const output = step?.outputs.find((o) => o.name === expression.name);
      if (output?.expression === undefined || hasSuffix(expression) || step === undefined)
        return undefined;
      return output.expression.kind === 'response'
        ? responseType(output.expression, step)
        : typeOf(output.expression, workflow, inputs, depth + 1);
    }
    default:
      return undefined;
  }
}

function hasSuffix(expression: Expression): boolean {
  return expression.accessors !== undefined || expression.pointer !== undefined;
}

/** `$response.header.X` is a string; `$response.body#/a/b` has the type the operation's 2xx JSON schema gives it. */
function responseType(expression: Expression, step: StepModel): string | undefined {
  if (expression.kind !== 'response') return undefined;
  if (expression.source === 'header') return 'string';
  if (expression.source !== 'body' || expression.accessors !== undefined) return undefined;
  const target = step.target;
  if (target.status !== 'resolved' || target.kind !== 'operation') return undefined;
  const responses: unknown = (target.operation.operation as Record<string, unknown>)['responses'];
  if (!isRecord(responses)) return undefined;
  const success = Object.keys(responses).find((code) => /^2(\d\d|XX)$/.test(code));
  const response = success === undefined ? undefined : responses[success];
  const content = isRecord(response) ? response['content'] : undefined;
  const json = isRecord(content)
    ? Object.entries(content).find(([type]) => /json/i.test(type))?.[1]
    : undefined;
  let schema: unknown = isRecord(json) ? json['schema'] : undefined;
  for (const token of expression.pointer ?? []) {
    if (!isRecord(schema)) return undefined;
    const properties = schema['properties'];
    schema =
      /^\d+$/.test(token) && isRecord(schema['items'])
        ? schema['items']
        : isRecord(properties) && Object.hasOwn(properties, token)
          ? properties[token]
          : undefined;
  }
  return simpleType(schema);
}

function simpleType(schema: unknown): string | undefined {
  const type = isRecord(schema) ? schema['type'] : undefined;
  return typeof type === 'string' && SIMPLE_TYPES.has(type) ? type : undefined;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'QUERY']);
const IDEMPOTENT = new Set([...SAFE, 'PUT', 'DELETE']);

/**
 * Tool annotations (hints, never guarantees, MCP §Tools): read-only when every step of the
 * workflow, and of the local workflows its steps call, sends a safe request and no message;
 * idempotent when every request is; open-world always (it calls APIs).
 */
export function toolAnnotations(
  workflow: WorkflowModel,
  title: string | undefined,
): Record<string, unknown> {
  const methods = new Set<string>();
  let other = false;
  const seen = new Set<WorkflowModel>();
  const visit = (current: WorkflowModel): void => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const step of current.steps) {
      const target = step.target;
      if (target.status === 'resolved' && target.kind === 'operation') {
        methods.add(requestMethod(target.operation));
      } else if (target.status === 'resolved' && target.kind === 'url') {
        methods.add(target.method.toUpperCase());
      } else if (target.status === 'resolved' && target.kind === 'workflow') {
        if (target.workflow.status === 'local') visit(target.workflow.workflow);
        else other = true;
      } else other = true;
    }
  };
  visit(workflow);
  const all = [...methods];
  const readOnly = !other && all.every((m) => SAFE.has(m));
  return {
    ...(title === undefined ? {} : { title }),
    readOnlyHint: readOnly,
    ...(readOnly
      ? {}
      : {
          destructiveHint: other || all.includes('DELETE'),
          idempotentHint: !other && all.every((m) => IDEMPOTENT.has(m)),
        }),
    openWorldHint: true,
  };
}
