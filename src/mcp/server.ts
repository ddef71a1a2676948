import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  InMemoryTaskMessageQueue,
  InMemoryTaskStore,
} from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../version.js';
import { callWorkflowTool, type CallContext, type ElicitForm } from './call.js';
import type { ToolRunner } from './runner.js';
import type { WorkflowTool } from './catalog.js';

/** A document text, a `describe` text or a graph, read when a client asks (MCP §Resources). */
export interface ServedResource {
  readonly uri: string;
  readonly name: string;
  readonly description: string;
  readonly mimeType: string;
  readonly read: () => Promise<string>;
}

/**
 * Where the runs of task-augmented calls live (MCP 2025-11-25 §Tasks), shared by every session
 * of one server process. Cancelling a task (`tasks/cancel`) aborts its run.
 */
export class RunTasks extends InMemoryTaskStore {
  readonly #runs = new Map<string, AbortController>();
  readonly messages = new InMemoryTaskMessageQueue();

  track(taskId: string, controller: AbortController): void {
    this.#runs.set(taskId, controller);
  }

  finished(taskId: string): void {
    this.#runs.delete(taskId);
  }

  override async updateTaskStatus(
    taskId: string,
    status: Task['status'],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    await super.updateTaskStatus(taskId, status, statusMessage, sessionId);
    if (status === 'cancelled') this.#runs.get(taskId)?.abort('task cancelled');
  }

  /** Stops every run and the store's expiry timers (the server is closing). */
  close(): void {
    for (const controller of this.#runs.values()) controller.abort('server closing');
    this.cleanup();
  }
}

export interface ServerParts {
  readonly tools: readonly WorkflowTool[];
  readonly resources: readonly ServedResource[];
  readonly tasks: RunTasks;
  /** One line per call (stderr in stdio mode): tool, outcome, time; never an input value. */
  readonly log: (line: string) => void;
  /** How calls run (runner.ts): in memory unless the server was started with `--durable`. */
  readonly runner?: ToolRunner;
}

/**
 * One MCP server session: tools (a workflow each), resources, tasks. The stdio transport has
 * one; Streamable HTTP one per client session (http.ts), all sharing `parts`.
 */
export function createServer(parts: ServerParts): Server {
  const { tools, resources, tasks, log } = parts;
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const server = new Server(
    { name: 'arazzo', version: VERSION },
    {
      capabilities: {
        tools: {},
        resources: {},
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      taskStore: tasks,
      taskMessageQueue: tasks.messages,
      instructions:
        'Each tool runs one Arazzo workflow against the APIs its document describes. Credentials are set by the operator; a tool asks for missing inputs when the client supports elicitation.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((tool) => ({ ...tool.definition, execution: { taskSupport: 'optional' } })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (tool === undefined) {
      throw new McpError(ErrorCode.InvalidParams, `unknown tool "${request.params.name}"`);
    }
    const args = request.params.arguments;
    const token = request.params._meta?.progressToken;
    let progress = 0;
    const report =
      token === undefined
        ? undefined
        : (message: string): void => {
            progress += 1;
            void extra
              .sendNotification({
                method: 'notifications/progress',
                params: { progressToken: token, progress, message },
              })
              .catch(() => undefined);
          };
    const canElicit = server.getClientCapabilities()?.elicitation !== undefined;
    const elicitWith =
      (options: Parameters<Server['elicitInput']>[1]) =>
      async (form: ElicitForm): Promise<Record<string, unknown> | undefined> => {
        const answer = await server.elicitInput({ mode: 'form', ...form }, options);
        return answer.action === 'accept' ? (answer.content ?? {}) : undefined;
      };
    // In a task, a question waits for the client's `tasks/result`, which it calls once the
    // task says `input_required` (MCP §Tasks, "Input Required Status").
    const taskElicit =
      (store: NonNullable<typeof extra.taskStore>, taskId: string) =>
      async (form: ElicitForm): Promise<Record<string, unknown> | undefined> => {
        await store.updateTaskStatus(taskId, 'input_required');
        try {
          return await elicitWith({ relatedTask: { taskId } })(form);
        } finally {
          await store.updateTaskStatus(taskId, 'working');
        }
      };
    const run = async (context: CallContext): Promise<CallToolResult> => {
      const started = performance.now();
      const { result, summary } = await callWorkflowTool(tool, args, {
        ...context,
        ...(parts.runner === undefined ? {} : { runner: parts.runner }),
      });
      log(`${tool.name}: ${summary} (${Math.round(performance.now() - started)} ms)`);
      return result;
    };

    if (request.params.task === undefined || extra.taskStore === undefined) {
      return run({
        signal: extra.signal,
        ...(report === undefined ? {} : { progress: report }),
        ...(canElicit ? { elicit: elicitWith({ relatedRequestId: extra.requestId }) } : {}),
      });
    }
    // A task-augmented call: answered at once with the task; the run goes on without the
    // request, and `tasks/result` delivers its result (and any elicitation on the way).
    const store = extra.taskStore;
    const task = await store.createTask({ ttl: request.params.task.ttl ?? null });
    const controller = new AbortController();
    tasks.track(task.taskId, controller);
    void run({
      signal: controller.signal,
      ...(report === undefined ? {} : { progress: report }),
      ...(canElicit ? { elicit: taskElicit(store, task.taskId) } : {}),
    })
      .then((result) =>
        controller.signal.aborted
          ? undefined
          : store.storeTaskResult(
              task.taskId,
              result.isError === true ? 'failed' : 'completed',
              result,
            ),
      )
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        log(`${tool.name}: task ${task.taskId} failed: ${(error as Error).message}`);
        return store
          .storeTaskResult(task.taskId, 'failed', {
            content: [{ type: 'text', text: 'the run stopped unexpectedly' }],
            isError: true,
          })
          .catch(() => undefined);
      })
      .finally(() => tasks.finished(task.taskId));
    return { task };
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: resources.map(({ uri, name, description, mimeType }) => ({
      uri,
      name,
      description,
      mimeType,
    })),
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const resource = resources.find((r) => r.uri === request.params.uri);
    if (resource === undefined) {
      throw new McpError(ErrorCode.InvalidParams, `unknown resource ${request.params.uri}`);
    }
    return {
      contents: [{ uri: resource.uri, mimeType: resource.mimeType, text: await resource.read() }],
    };
  });
  return server;
}
