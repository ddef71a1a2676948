import type { Json, JsonSchema } from '../document/types.js';
import {
  operationLabel,
  type ActionView,
  type CriterionView,
  type DependencyView,
  type OperationView,
  type StepView,
  type WorkflowView,
} from './graph/workflow-view.js';
import { MASK, Redactor } from './redact.js';
import { palette, type Palette } from './style.js';

/**
 * `arazzo describe`: everything a person needs to call a workflow. The command loads and
 * resolves; this module only formats, from plain data.
 */
export interface DocumentDescription {
  /** The document path as the user wrote it (used in the `arazzo run` line). */
  readonly file: string;
  readonly title: string;
  readonly summary?: string;
  readonly version: string;
  readonly arazzo: string;
  /** The 1.1 `$self`, resolved (POSITIONS §11.7). */
  readonly self?: string;
  readonly sources: readonly SourceDescriptionView[];
  readonly workflows: readonly WorkflowDescription[];
}

export interface SourceDescriptionView {
  readonly name: string;
  readonly type: string;
  readonly url: string;
  /** Why it could not be loaded; its operations are then shown unresolved. */
  readonly error?: string;
}

export interface WorkflowDescription {
  readonly view: WorkflowView;
  readonly inputs: readonly InputView[];
  readonly outputs: Readonly<Record<string, string>>;
}

export interface InputView {
  readonly name: string;
  /** `string`, `integer`, `string|null`, `"a"|"b"` for an enum, `any` when the schema says nothing. */
  readonly type: string;
  readonly format?: string;
  readonly required: boolean;
  readonly hasDefault: boolean;
  readonly default?: Json;
  readonly description?: string;
  /** Masked in every output of `arazzo run` (README "Secrets"). */
  readonly secret: boolean;
}

/**
 * The inputs a workflow declares, from its (resolved) JSON Schema: top-level properties, then
 * required names the properties do not list. `isSecret` classifies each name the way the
 * runner's redactor does.
 */
export function describeInputs(
  schema: JsonSchema | undefined,
  isSecret: (name: string) => boolean,
): InputView[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required'])
    ? schema['required'].filter((n): n is string => typeof n === 'string')
    : [];
  const names = [...Object.keys(properties), ...required.filter((name) => !(name in properties))];
  return names.map((name) => {
    const property = properties[name];
    const p = isObject(property) ? property : {};
    const format = typeof p['format'] === 'string' ? p['format'] : undefined;
    const description =
      typeof p['description'] === 'string'
        ? p['description']
        : typeof p['title'] === 'string'
          ? p['title']
          : undefined;
    return {
      name,
      type: schemaType(p),
      ...(format === undefined ? {} : { format }),
      required: required.includes(name),
      hasDefault: 'default' in p,
      ...('default' in p && p['default'] !== undefined ? { default: p['default'] } : {}),
      ...(description === undefined ? {} : { description }),
      secret: isSecret(name),
    };
  });
}

/** Secret inputs' defaults are credentials too; they join the redactor's secrets. */
export function descriptionRedactor(description: Pick<DocumentDescription, 'workflows'>): Redactor {
  const secrets: string[] = [];
  for (const workflow of description.workflows) {
    for (const input of workflow.inputs) {
      if (input.secret && input.default !== undefined && input.default !== null) {
        secrets.push(
          typeof input.default === 'string' ? input.default : JSON.stringify(input.default),
        );
      }
    }
  }
  return new Redactor(secrets);
}

export interface DescribeFormatOptions {
  readonly color?: boolean;
}

/** The human description: document, sources, then each workflow ending with its `arazzo run` line. */
export function formatDescription(
  description: DocumentDescription,
  redactor: Redactor,
  options: DescribeFormatOptions = {},
): string {
  const s = palette(options.color === true);
  const out: string[] = [];
  const title = `${s.bold(oneLine(description.title))} ${s.dim(`v${description.version} · Arazzo ${description.arazzo}`)}`;
  out.push(title);
  if (description.summary) out.push(oneLine(description.summary));
  if (description.self !== undefined) out.push(`${s.dim('$self')} ${description.self}`);
  for (const source of description.sources) {
    const problem =
      source.error === undefined ? '' : `  ${s.red(`not loaded: ${oneLine(source.error)}`)}`;
    out.push(
      `${s.dim('source')} ${source.name} ${s.dim(`(${source.type})`)} ${source.url}${problem}`,
    );
  }
  for (const workflow of description.workflows)
    out.push('', ...workflowLines(workflow, description.file, s));
  return `${out.map((line) => redactor.text(line)).join('\n')}\n`;
}

function workflowLines(workflow: WorkflowDescription, file: string, s: Palette): string[] {
  const { view } = workflow;
  const out = [`${s.bold('workflow')} ${s.bold(s.cyan(view.workflowId))}`];
  if (view.summary) out.push(`  ${oneLine(view.summary)}`);
  if (view.description && view.description !== view.summary)
    out.push(`  ${s.dim(oneLine(view.description))}`);
  if (view.dependsOn.length > 0) out.push(`  ${s.dim('runs after')} ${view.dependsOn.join(', ')}`);

  out.push('', `  ${s.bold('inputs')}`);
  if (workflow.inputs.length === 0) out.push(`    ${s.dim('(none)')}`);
  const nameWidth = Math.max(0, ...workflow.inputs.map((input) => input.name.length));
  const typeWidth = Math.max(0, ...workflow.inputs.map((input) => typeText(input).length));
  const flagsOf = (input: InputView): [string, (text: string) => string][] => [
    input.required && !input.hasDefault ? ['required', s.yellow] : ['optional', s.dim],
    ...(input.secret ? [['secret', s.red] as [string, (text: string) => string]] : []),
    ...(input.hasDefault
      ? [
          [`default ${input.secret ? MASK : compact(input.default)}`, s.dim] as [
            string,
            (text: string) => string,
          ],
        ]
      : []),
  ];
  const flagsWidth = Math.max(
    0,
    ...workflow.inputs.map((input) => plainJoin(flagsOf(input)).length),
  );
  for (const input of workflow.inputs) {
    const flags = flagsOf(input);
    const styled = flags.map(([text, paint]) => paint(text)).join(s.dim(', '));
    const padding = ' '.repeat(flagsWidth - plainJoin(flags).length);
    const about = input.description === undefined ? '' : `  ${s.dim(oneLine(input.description))}`;
    const line = `    ${input.name.padEnd(nameWidth)}  ${typeText(input).padEnd(typeWidth)}  ${styled}${padding}${about}`;
    out.push(line.trimEnd());
  }

  out.push('', `  ${s.bold('steps')}`);
  if (view.steps.length === 0) out.push(`    ${s.dim('(none)')}`);
  // Listed as they run; 1.1 `dependsOn` moved them (§Step Dependencies and Execution Order).
  if (view.documentOrder !== undefined)
    out.push(
      `    ${s.dim(`in run order (dependsOn); the document lists ${view.documentOrder.join(', ')}`)}`,
    );
  const number = (index: number): string =>
    `${index + 1}.`.padStart(String(view.steps.length).length + 1);
  const idWidth = Math.max(0, ...view.steps.map((step) => step.stepId.length));
  view.steps.forEach((step, index) => {
    out.push(`    ${number(index)} ${s.bold(step.stepId.padEnd(idWidth))}  ${targetText(step, s)}`);
    const pad = ' '.repeat(String(view.steps.length).length + 6);
    if (step.description) out.push(`${pad}${s.dim(oneLine(step.description))}`);
    if (step.timeoutMs !== undefined) out.push(`${pad}${s.dim('timeout')} ${step.timeoutMs} ms`);
    const correlationId =
      step.target.kind === 'operation' ? step.target.operation.correlationId : undefined;
    if (correlationId !== undefined) out.push(`${pad}${s.dim('correlationId')} ${correlationId}`);
    if (step.dependsOn !== undefined)
      out.push(`${pad}${s.dim('depends on')}  ${dependenciesText(step.dependsOn, s)}`);
    out.push(...successLines(step, s).map((line) => `${pad}${line}`));
    const under = `${pad}${' '.repeat('on success  '.length)}`;
    for (const action of step.onSuccess) {
      out.push(`${pad}${s.green('on success')}  ${actionText(action, 'success')}`);
      out.push(...parameterLines(action, s).map((line) => `${under}${line}`));
    }
    for (const action of step.onFailure) {
      out.push(`${pad}${s.red('on failure')}  ${actionText(action, 'failure')}`);
      out.push(...parameterLines(action, s).map((line) => `${under}${line}`));
    }
  });

  const outputs = Object.entries(workflow.outputs);
  out.push('', `  ${s.bold('outputs')}`);
  if (outputs.length === 0) out.push(`    ${s.dim('(none)')}`);
  const outputWidth = Math.max(0, ...outputs.map(([name]) => name.length));
  for (const [name, expression] of outputs)
    out.push(`    ${name.padEnd(outputWidth)}  ${s.dim(expression)}`);

  out.push('', `  ${s.bold('run')}`, `    ${runLine(file, view.workflowId, workflow.inputs)}`);
  return out;
}

/** `dependsOn` entries as written, then the implicit ones (output references) marked so. */
function dependenciesText(dependencies: readonly DependencyView[], s: Palette): string {
  return dependencies
    .map(
      (dependency) =>
        dependency.entry ?? `${dependency.stepId ?? ''} ${s.dim('(implicit: reads its outputs)')}`,
    )
    .join(', ');
}

/**
 * 1.1 action `parameters`, one `with name = value` line each: the inputs of the workflow the
 * action runs (§Success Action Object). Values as written; a secret literal masked.
 */
function parameterLines(action: ActionView, s: Palette): string[] {
  const parameters = action.parameters ?? [];
  const width = Math.max(0, ...parameters.map((parameter) => parameter.name.length));
  return parameters.map(
    (parameter) =>
      `${s.dim('with')} ${parameter.name.padEnd(width)} = ${parameter.masked ? MASK : oneLine(parameter.value)}`,
  );
}

function targetText(step: StepView, s: Palette): string {
  const { target } = step;
  if (target.kind === 'workflow') return `${s.cyan('⤷ workflow')} ${target.workflowId}`;
  if (target.kind === 'none') return s.red('(no operationId, operationPath or workflowId)');
  const { operation } = target;
  const label = operationLabel(operation);
  if (operation.problem !== undefined)
    return `${label}  ${s.red(`(unresolved: ${oneLine(operation.problem)})`)}`;
  const resolved = isResolved(operation);
  const id =
    resolved && operation.operationId !== undefined ? `  ${s.dim(operation.operationId)}` : '';
  return `${label}${id}`;
}

/** Resolved: an HTTP method and path, or an AsyncAPI action and channel address. */
function isResolved(operation: OperationView): boolean {
  if (operation.problem !== undefined) return false;
  if (operation.action !== undefined) return operation.channel !== undefined;
  return operation.method !== undefined && operation.path !== undefined;
}

/** What counts as success without `successCriteria` (§Step Object; POSITIONS §11.11 for async). */
function implicitSuccess(target: StepView['target']): string {
  if (target.kind === 'workflow') return 'the called workflow succeeds';
  if (target.kind === 'operation' && target.operation.action === 'send')
    return 'the broker accepts the message (no successCriteria)';
  if (target.kind === 'operation' && target.operation.action === 'receive')
    return 'a matching message arrives in time (no successCriteria)';
  return 'a 2xx status (no successCriteria)';
}

function successLines(step: StepView, s: Palette): string[] {
  if (step.successCriteria.length === 0) {
    const implicit = implicitSuccess(step.target);
    return [`${s.dim('success when')} ${implicit}`];
  }
  return step.successCriteria.map(
    (criterion) => `${s.dim('success when')} ${criterionText(criterion)}`,
  );
}

function criterionText(criterion: CriterionView): string {
  const qualifiers = [
    ...(criterion.type === 'simple' ? [] : [criterion.type]),
    ...(criterion.context === undefined ? [] : [`on ${criterion.context}`]),
  ];
  return `${oneLine(criterion.condition)}${qualifiers.length > 0 ? `  [${qualifiers.join(' ')}]` : ''}`;
}

/** One line per action: `name → goto step`, `retry ×3 after 2s`, `end`, then its criteria. */
export function actionText(action: ActionView, outcome: 'success' | 'failure'): string {
  const when =
    action.criteria.length > 0 ? ` when ${action.criteria.map(criterionText).join(' and ')}` : '';
  const inherited = action.inherited ? ' (workflow-level)' : '';
  let what: string;
  switch (action.type) {
    case 'end':
      what = outcome === 'success' ? 'end (the workflow succeeds)' : 'end (the workflow fails)';
      break;
    case 'goto':
      what =
        action.stepId !== undefined
          ? `goto ${action.stepId}`
          : action.workflowId !== undefined
            ? `goto workflow ${action.workflowId} (transfer)`
            : 'goto (no target)';
      break;
    case 'retry': {
      const first = action.stepId ?? action.workflowId;
      what = `retry ×${action.retryLimit ?? 1}${action.retryAfter ? ` after ${action.retryAfter}s` : ''}${first === undefined ? '' : `, running ${first} first`}`;
      break;
    }
    default:
      return `${action.reference ?? action.name} (unresolved reference)${inherited}`;
  }
  return `${action.name} → ${what}${when}${inherited}`;
}

/**
 * A ready-to-paste `arazzo run` line: each required input without a default as
 * `--input name='<type>'`; a secret one reads an environment variable instead, so the
 * credential never lands in shell history.
 */
export function runLine(file: string, workflowId: string, inputs: readonly InputView[]): string {
  const parts = ['arazzo', 'run', shellWord(file), '--workflow', shellWord(workflowId)];
  for (const input of inputs) {
    if (!input.required || input.hasDefault) continue;
    const value = input.secret ? `"$${envName(input.name)}"` : `'<${placeholder(input)}>'`;
    parts.push('--input', `${shellWord(input.name)}=${value}`);
  }
  return parts.join(' ');
}

/** The `--json` description: the same facts as data. */
export function formatDescriptionJson(
  description: DocumentDescription,
  redactor: Redactor,
): string {
  const json = {
    file: description.file,
    title: description.title,
    ...(description.summary === undefined ? {} : { summary: description.summary }),
    version: description.version,
    arazzo: description.arazzo,
    ...(description.self === undefined ? {} : { self: description.self }),
    sources: description.sources,
    workflows: description.workflows.map(({ view, inputs, outputs }) => ({
      workflowId: view.workflowId,
      ...(view.summary === undefined ? {} : { summary: view.summary }),
      ...(view.description === undefined ? {} : { description: view.description }),
      ...(view.dependsOn.length > 0 ? { dependsOn: view.dependsOn } : {}),
      ...(view.documentOrder === undefined ? {} : { documentOrder: view.documentOrder }),
      inputs: inputs.map((input) => ({
        name: input.name,
        type: input.type,
        ...(input.format === undefined ? {} : { format: input.format }),
        required: input.required,
        ...(input.hasDefault ? { default: input.secret ? MASK : (input.default ?? null) } : {}),
        ...(input.description === undefined ? {} : { description: input.description }),
        secret: input.secret,
      })),
      steps: view.steps.map((step) => ({
        stepId: step.stepId,
        ...(step.description === undefined ? {} : { description: step.description }),
        ...(step.target.kind === 'operation'
          ? {
              operation: {
                ...step.target.operation,
                resolved: isResolved(step.target.operation),
              },
            }
          : step.target.kind === 'workflow'
            ? { workflowId: step.target.workflowId }
            : {}),
        ...(step.timeoutMs === undefined ? {} : { timeout: step.timeoutMs }),
        ...(step.dependsOn === undefined ? {} : { dependsOn: step.dependsOn }),
        successCriteria: step.successCriteria,
        onSuccess: step.onSuccess.map(actionJson),
        onFailure: step.onFailure.map(actionJson),
        outputs: step.outputs,
      })),
      outputs,
      run: runLine(description.file, view.workflowId, inputs),
    })),
  };
  return `${JSON.stringify(redactor.value(json), null, 2)}\n`;
}

/** An action as data; a secret literal parameter value masked as in the text. */
function actionJson(action: ActionView): ActionView {
  if (action.parameters === undefined) return action;
  return {
    ...action,
    parameters: action.parameters.map((parameter) =>
      parameter.masked ? { ...parameter, value: MASK } : parameter,
    ),
  };
}

function plainJoin(flags: readonly [string, unknown][]): string {
  return flags.map(([text]) => text).join(', ');
}

function typeText(input: InputView): string {
  return input.format === undefined ? input.type : `${input.type} (${input.format})`;
}

function placeholder(input: InputView): string {
  if (input.type === 'boolean') return 'true|false';
  if (input.type === 'object' || input.type === 'array') return `${input.type} as JSON`;
  return input.type;
}

function schemaType(schema: Record<string, unknown>): string {
  if (Array.isArray(schema['enum']))
    return schema['enum'].map((value) => JSON.stringify(value)).join('|');
  if ('const' in schema) return JSON.stringify(schema['const']);
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.map(String).join('|');
  if (isObject(schema['properties'])) return 'object';
  if (schema['items'] !== undefined) return 'array';
  return 'any';
}

/** `bearerToken` → `BEARER_TOKEN`. */
function envName(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z_]/.test(snake) ? snake : `INPUT_${snake}`;
}

function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function compact(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
