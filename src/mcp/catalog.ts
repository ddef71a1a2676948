import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../document/guards.js';
import type { JsonSchema } from '../document/types.js';
import type { DocumentModel, WorkflowModel } from '../model/types.js';
import { isSecretInput } from '../report/redact.js';
import { inputsSchema } from '../runtime/inputs.js';
import type { RunOptions } from '../runtime/options.js';
import type { DocumentScope } from '../runtime/scope.js';
import { toolNames } from './tool-name.js';
import { toolAnnotations, toolInputSchema, toolOutputSchema } from './tool-schema.js';

/** A document the server serves, with the run options its operator gave (`--server`, `--auth`, …). */
export interface ServedDocument {
  /** The path as the operator wrote it. */
  readonly file: string;
  /** The file name without folders and extensions: tells documents apart in names and URIs. */
  readonly stem: string;
  readonly scope: DocumentScope;
  readonly model: DocumentModel;
  /** Everything but the workflow, its inputs, the signal and the listener. */
  readonly environment: RunOptions;
  /** Credentials, secret headers, broker passwords: masked in every result and log line. */
  readonly secrets: readonly string[];
}

/** One workflow as an MCP tool. */
export interface WorkflowTool {
  readonly name: string;
  readonly document: ServedDocument;
  readonly workflow: WorkflowModel;
  readonly workflowId: string;
  /** The workflow's whole inputs schema (the tool's `inputSchema` leaves some out). */
  readonly inputs: JsonSchema | undefined;
  /** Inputs the operator fixed (`--input`): the model cannot see or change them. */
  readonly fixed: Readonly<Record<string, unknown>>;
  /** Inputs the tool's schema leaves out: the fixed ones and every secret. */
  readonly hidden: ReadonlySet<string>;
  readonly definition: Tool;
}

export interface CatalogEntry {
  readonly document: ServedDocument;
  readonly workflow: WorkflowModel;
  readonly fixed: Readonly<Record<string, unknown>>;
}

/** The tools for these workflows, in the order given (documents, then workflows). */
export function buildCatalog(entries: readonly CatalogEntry[]): WorkflowTool[] {
  const names = toolNames(
    entries.map(({ document, workflow }) => ({
      workflowId: workflow.id ?? '',
      documentStem: document.stem,
    })),
  );
  return entries.map(({ document, workflow, fixed }, position) => {
    const inputs = inputsSchema(document.scope, workflow.index);
    const hidden = new Set([...Object.keys(fixed), ...secretInputNames(inputs)]);
    const title = text(workflow.raw['summary']);
    const definition: Tool = {
      name: names[position] ?? workflow.id ?? '',
      ...(title === undefined ? {} : { title }),
      description: toolDescription(workflow, document),
      inputSchema: toolInputSchema(
        inputs,
        document.scope.components,
        hidden,
      ) as Tool['inputSchema'],
      outputSchema: toolOutputSchema(workflow, inputs) as Tool['outputSchema'],
      annotations: toolAnnotations(workflow, title),
    };
    return {
      name: definition.name,
      document,
      workflow,
      workflowId: workflow.id ?? '',
      inputs,
      fixed,
      hidden,
      definition,
    };
  });
}

/** The inputs the runner treats as secrets (README "Secrets"): never asked of the model. */
export function secretInputNames(inputs: JsonSchema | undefined): string[] {
  const properties = isRecord(inputs) ? inputs['properties'] : undefined;
  const required = isRecord(inputs) && Array.isArray(inputs['required']) ? inputs['required'] : [];
  const names = new Set([
    ...(isRecord(properties) ? Object.keys(properties) : []),
    ...required.filter((name): name is string => typeof name === 'string'),
  ]);
  return [...names].filter((name) =>
    isSecretInput(name, isRecord(properties) ? properties[name] : undefined),
  );
}

/** The workflow's own words, then what it does, step by step: what a model reads to choose it. */
function toolDescription(workflow: WorkflowModel, document: ServedDocument): string {
  const parts = [text(workflow.raw['description']) ?? text(workflow.raw['summary'])];
  const steps = workflow.steps.map((step) => {
    const what = text(step.raw['description']);
    return `- ${step.id ?? `step ${step.index + 1}`}${what === undefined ? '' : `: ${firstSentence(what)}`}`;
  });
  if (steps.length > 0) parts.push(`Steps:\n${steps.join('\n')}`);
  parts.push(`Arazzo workflow "${workflow.id ?? ''}" of ${document.file}.`);
  return parts.filter((part) => part !== undefined).join('\n\n');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const end = flat.search(/\.(\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}
