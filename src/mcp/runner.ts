import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { ArazzoError, isArazzoError } from '../errors.js';
import { DurableEngine, durableSpec, runnerExecutorId } from '../durable/index.js';
import { Redactor } from '../report/redact.js';
import type { RunListener } from '../runtime/events.js';
import type { RunResult } from '../runtime/result.js';
import { runWorkflow } from '../runtime/run.js';
import type { WorkflowTool } from './catalog.js';

/**
 * Runs a tool's workflow: resolves with its result (and its durable run's id), or rejects with
 * an ArazzoError whose message says whether anything was sent.
 */
export type ToolRunner = (
  tool: WorkflowTool,
  inputs: Readonly<Record<string, unknown>>,
  signal: AbortSignal,
  onEvent: RunListener,
) => Promise<{ result: RunResult; runId?: string }>;

/** In this process's memory: what `arazzo mcp` does without `--durable`. */
export const plainRunner: ToolRunner = async (tool, inputs, signal, onEvent) => {
  try {
    const result = await runWorkflow(tool.document.scope, {
      ...tool.document.environment,
      workflowId: tool.workflowId,
      inputs,
      signal,
      onEvent,
    });
    return { result };
  } catch (error) {
    // What the runner throws, it throws before the first request.
    if (!isArazzoError(error)) throw error;
    throw new ArazzoError(error.code, `${error.message}; nothing was sent`);
  }
};

/**
 * `arazzo mcp --durable`: each call is a durable run (POSITIONS §15.6) in the database, listed by
 * `arazzo runs` and continued by `arazzo runs resume` if the server dies. The run executes here,
 * with the documents, credentials and fixed inputs the server was started with; a client's
 * cancellation cancels the run at its next checkpoint.
 */
export async function durableRunner(
  tools: readonly WorkflowTool[],
  databaseUrl: string,
  cwd: string,
): Promise<{ runner: ToolRunner; close(): Promise<void> }> {
  const listeners = new Map<string, RunListener>();
  const toolOf = (file: string, workflowId: string): WorkflowTool | undefined =>
    tools.find((t) => resolve(cwd, t.document.file) === file && t.workflowId === workflowId);
  const engine = await DurableEngine.launch({
    databaseUrl,
    executorId: runnerExecutorId().replace(/^run:/, 'mcp:'),
    host: {
      onEvent: (runId, event) => listeners.get(runId)?.(event),
      prepare(spec) {
        const tool = toolOf(spec.file, spec.workflowId);
        if (tool === undefined)
          throw new ArazzoError(
            'USAGE',
            `${spec.file}: workflow "${spec.workflowId}" is not served here`,
          );
        // Secret inputs are never stored: the ones the operator fixed are given again.
        const inputs = { ...spec.inputs, ...tool.fixed };
        return Promise.resolve({
          scope: tool.document.scope,
          options: { ...tool.document.environment, inputs },
          secrets: [...tool.document.secrets, ...Redactor.secretsOf(tool.inputs, inputs)],
        });
      },
    },
  });
  const runner: ToolRunner = async (tool, inputs, signal, onEvent) => {
    const file = resolve(cwd, tool.document.file);
    let spec;
    try {
      spec = await durableSpec(
        file,
        tool.document.scope,
        tool.workflowId,
        inputs,
        tool.inputs,
        tool.document.environment,
      );
    } catch (error) {
      if (!isArazzoError(error)) throw error;
      throw new ArazzoError(error.code, `${error.message}; nothing was sent`);
    }
    const runId = randomUUID();
    listeners.set(runId, onEvent);
    const cancel = (): void => void engine.cancel(runId).catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      await engine.start(spec, runId);
      try {
        return { result: await engine.result(runId), runId };
      } catch (error) {
        if (signal.aborted)
          throw new ArazzoError('ABORTED', `durable run ${runId} cancelled by the client`);
        const message = (error as Error).message.split('\n', 1)[0] ?? '';
        throw new ArazzoError(
          isArazzoError(error) ? error.code : 'DATABASE_ERROR',
          `durable run ${runId}: ${message}`,
        );
      }
    } finally {
      signal.removeEventListener('abort', cancel);
      listeners.delete(runId);
    }
  };
  return { runner, close: () => engine.close() };
}
