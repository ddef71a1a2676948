import type { CallToolResult, ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import { isArazzoError } from '../errors.js';
import { isRecord } from '../document/guards.js';
import { Redactor } from '../report/redact.js';
import type { RunEvent } from '../runtime/events.js';
import { missingRequiredInputs, prepareInputs } from '../runtime/inputs.js';
import type { RunResult } from '../runtime/result.js';
import type { WorkflowTool } from './catalog.js';
import { plainRunner, type ToolRunner } from './runner.js';

/** A form the user fills in (MCP §Elicitation): flat, primitive properties only. */
export type ElicitForm = Pick<ElicitRequestFormParams, 'message' | 'requestedSchema'>;

export interface CallContext {
  /** Aborted when the client cancels the call (or the task): in-flight requests stop. */
  readonly signal: AbortSignal;
  /** One line per step execution and per poll wait, for progress notifications. */
  readonly progress?: (message: string) => void;
  /**
   * Asks the user for missing inputs, when the client supports elicitation: the answers, or
   * undefined when the user declined or cancelled.
   */
  readonly elicit?: (form: ElicitForm) => Promise<Record<string, unknown> | undefined>;
  /** How the workflow runs: in memory (default) or durably (`--durable`). */
  readonly runner?: ToolRunner;
}

/** What a call ended with, for the server's log line (never an input value). */
export interface CallOutcome {
  readonly result: CallToolResult;
  /** `succeeded`, `failed at <step>`, or why nothing ran. */
  readonly summary: string;
}

/**
 * One `tools/call`: checks the arguments (nothing is sent when they are wrong), asks the user
 * for missing ones where it can, runs the workflow and turns its result into the tool result.
 * A failed workflow is an `isError` result that names the step and why, never a protocol error.
 */
export async function callWorkflowTool(
  tool: WorkflowTool,
  args: Readonly<Record<string, unknown>> | undefined,
  context: CallContext,
): Promise<CallOutcome> {
  const given = args ?? {};
  const refused = Object.keys(given).filter((name) => tool.hidden.has(name));
  if (refused.length > 0) {
    return refusal(
      `${list(refused)} ${refused.length === 1 ? 'is' : 'are'} set by the server's operator, not by a tool argument; call again without ${refused.length === 1 ? 'it' : 'them'}`,
    );
  }
  const inputs: Record<string, unknown> = { ...given, ...tool.fixed };
  const missing = missingRequiredInputs(tool.inputs, inputs);
  if (missing.length > 0 && context.elicit !== undefined) {
    const form = elicitForm(tool, missing);
    if (form !== undefined) {
      const answers = await context.elicit(form);
      if (answers === undefined)
        return refusal(`the user did not give ${list(missing)}; nothing was sent`);
      for (const name of missing) if (Object.hasOwn(answers, name)) inputs[name] = answers[name];
    }
  }
  const redactor = Redactor.forInputs(tool.inputs, inputs, tool.document.secrets);
  try {
    prepareInputs(tool.document.scope, tool.workflow.index, inputs);
  } catch (error) {
    if (!isArazzoError(error)) throw error;
    return refusal(`${redactor.text(error.message)}; nothing was sent`);
  }
  const onEvent = (event: RunEvent): void => {
    redactor.onEvent(event);
    const line = progressLine(event);
    if (line !== undefined) context.progress?.(redactor.text(line));
  };
  let ran: { result: RunResult; runId?: string };
  try {
    ran = await (context.runner ?? plainRunner)(tool, inputs, context.signal, onEvent);
  } catch (error) {
    if (!isArazzoError(error)) throw error;
    return refusal(redactor.text(error.message));
  }
  return outcomeOf(ran.result, redactor, ran.runId);
}

function refusal(text: string): CallOutcome {
  return { result: { content: [{ type: 'text', text }], isError: true }, summary: text };
}

function outcomeOf(result: RunResult, redactor: Redactor, runId?: string): CallOutcome {
  const structured = redactor.value({
    workflowId: result.workflowId,
    ...(runId === undefined ? {} : { runId }),
    success: result.success,
    outputs: result.outputs,
    steps: result.steps.map((step) => ({
      ...(step.workflowId === result.workflowId ? {} : { workflowId: step.workflowId }),
      stepId: step.stepId,
      success: step.success,
      statusCode: step.statusCode ?? null,
      executions: step.executions,
      ...(step.reasons === undefined ? {} : { reasons: step.reasons }),
    })),
    ...(result.error === undefined
      ? {}
      : { error: { code: result.error.code, message: result.error.message } }),
  }) as Record<string, unknown>;
  const failedStep = result.error?.stepId ?? result.steps.findLast((s) => !s.success)?.stepId;
  const headline = result.success
    ? `Workflow ${result.workflowId} succeeded (${result.steps.length} step executions).`
    : `Workflow ${result.workflowId} failed${failedStep === undefined ? '' : ` at step ${failedStep}`}: ${reasonOf(result)}`;
  const text = `${redactor.text(headline)}\nOutputs: ${JSON.stringify(structured['outputs'])}`;
  return {
    result: {
      content: [{ type: 'text', text }],
      structuredContent: structured,
      ...(result.success ? {} : { isError: true }),
    },
    summary: result.success
      ? 'succeeded'
      : `failed${failedStep === undefined ? '' : ` at ${failedStep}`}`,
  };
}

function reasonOf(result: RunResult): string {
  if (result.error !== undefined) return result.error.message;
  const step = result.steps.findLast((s) => !s.success);
  return step?.reasons?.join('; ') ?? 'a step failed';
}

function progressLine(event: RunEvent): string | undefined {
  if (event.type === 'step-finished') {
    const status = event.statusCode === undefined ? '' : ` (${event.statusCode})`;
    const poll = event.poll === undefined ? '' : `, poll ${event.poll}`;
    return `${event.stepId}: ${event.success ? 'succeeded' : 'failed'}${status}${poll}`;
  }
  if (event.type === 'poll-wait')
    return `${event.stepId}: waiting ${Math.round(event.delayMs)} ms before poll ${event.iteration}`;
  return undefined;
}

const PRIMITIVE = new Set(['string', 'number', 'integer', 'boolean']);
const KEPT = ['title', 'description', 'default', 'minimum', 'maximum', 'minLength', 'maxLength'];
const FORMATS = new Set(['email', 'uri', 'date', 'date-time']);

/**
 * The form for the missing inputs, or undefined when one cannot be asked in a form: elicitation
 * takes flat primitive fields only (MCP §Elicitation, "Requested Schema"), and never a secret
 * ("Servers MUST NOT use form mode elicitation to request sensitive information"): secrets are
 * hidden inputs and never reach here.
 */
function elicitForm(tool: WorkflowTool, missing: readonly string[]): ElicitForm | undefined {
  const properties: Record<string, Record<string, unknown>> = {};
  const declared = isRecord(tool.inputs) ? tool.inputs['properties'] : undefined;
  for (const name of missing) {
    const schema = isRecord(declared) ? declared[name] : undefined;
    if (!isRecord(schema) || tool.hidden.has(name)) return undefined;
    const type = schema['type'];
    if (typeof type !== 'string' || !PRIMITIVE.has(type)) return undefined;
    const field: Record<string, unknown> = { type };
    for (const key of KEPT) if (Object.hasOwn(schema, key)) field[key] = schema[key];
    if (typeof schema['format'] === 'string' && FORMATS.has(schema['format']))
      field['format'] = schema['format'];
    if (Array.isArray(schema['enum']) && type === 'string') field['enum'] = schema['enum'];
    properties[name] = field;
  }
  return {
    message: `${tool.definition.title ?? tool.name} needs ${list(missing)} to run.`,
    requestedSchema: {
      type: 'object',
      properties: properties as ElicitForm['requestedSchema']['properties'],
      required: [...missing],
    },
  };
}

function list(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}
