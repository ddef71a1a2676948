/**
 * The simulator's HTTP side: routes CrewAI AMP's per-crew endpoints onto the state machine in
 * crew.ts and answers with the bodies of openapi/crewai-amp-rest-api-openapi.yml.
 * Section references (§) are to shared/crewai/NOTES.md.
 */

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import {
  NOT_PENDING,
  RESUME_EXECUTION_NOT_FOUND,
  RESUME_MESSAGES,
  RESUME_TASK_NOT_FOUND,
  ROUTE_NOT_FOUND,
  SERVER_ERROR,
  UNAUTHORIZED,
  badRequest,
  executionNotFound,
  missingInputs,
} from './bodies.js';
import { Crew } from './crew.js';
import type { CrewTask, ExecutionStatusValue, StatusBody } from './crew.js';
import {
  DEFAULT_REQUIRED_INPUTS,
  DEFAULT_TASKS,
  DEFAULT_TASK_DURATION_MS,
  DEFAULT_TOKENS,
} from './defaults.js';
import { bearerToken, flatHeaders, isPlainObject, readBody, sendJson, sendText } from './io.js';
import type { ReadBody } from './io.js';

export interface SimulatorOptions {
  /** Interface to listen on. Defaults to loopback: the simulator is not meant to be reachable from elsewhere. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Accepted bearer tokens (CrewAI has organization and user tokens, §1). Default `['sim-token']`. */
  tokens?: readonly string[];
  /** Input names `GET /inputs` lists and `POST /kickoff` requires. Default `['topic']`. */
  requiredInputs?: readonly string[];
  /** The crew's tasks, in order. Default: three tasks, the second one with human input. */
  tasks?: readonly CrewTask[];
  /** Duration of tasks without their own `durationMs`. Default 200 ms. */
  taskDurationMs?: number;
  /** Clock in milliseconds (default `performance.now`); tests inject one to step time by hand. */
  now?: () => number;
  /** Called with one line per request answered (the CLI prints them). */
  log?: (line: string) => void;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string, as received. */
  path: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON, or raw text when not JSON, or undefined when empty. */
  body: unknown;
}

export type WaitableStatus = ExecutionStatusValue;

export interface Simulator {
  /** e.g. http://127.0.0.1:54321 */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Starts an execution in-process (as POST /kickoff would) and returns its kickoff_id.
   * Required inputs are not enforced here, so `kickoff()` works without arguments;
   * `{placeholders}` without a value stay as they are in task outputs.
   * Optional per-execution task list.
   */
  kickoff(inputs?: Record<string, string>, tasks?: readonly CrewTask[]): string;
  /**
   * Resolves once the execution's status equals `status`; rejects after timeoutMs (default
   * 5000, real time), at once if the execution is unknown or has ended in another status,
   * or when the simulator is closed.
   */
  waitForStatus(kickoffId: string, status: WaitableStatus, timeoutMs?: number): Promise<void>;
  /** The current status body, as GET /status would return it. Throws for an unknown id. */
  status(kickoffId: string): unknown;
  /** Stops listening, drops open (keep-alive) connections and pending waits. */
  close(): Promise<void>;
}

const WAIT_POLL_MS = 5;
const TERMINAL: ReadonlySet<ExecutionStatusValue> = new Set(['completed', 'error']);
const RESUME_STRING_FIELDS = ['execution_id', 'task_id', 'human_feedback'] as const;
const RESUME_REQUIRED_FIELDS = [...RESUME_STRING_FIELDS, 'is_approve'] as const;
const WEBHOOK_FIELDS = ['taskWebhookUrl', 'stepWebhookUrl', 'crewWebhookUrl'] as const;

interface Reply {
  status: number;
  body: unknown;
  /** Plain text instead of JSON (only the health check). */
  text?: true;
  headers?: Record<string, string>;
}

interface Route {
  /** The allowed method. */
  method: 'GET' | 'POST';
  handle: (body: ReadBody, params: { id?: string }) => Reply;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const tokens = new Set(options.tokens ?? DEFAULT_TOKENS);
  if (tokens.size === 0) throw new Error('The simulator needs at least one accepted token');
  const crew = new Crew({
    tasks: options.tasks ?? DEFAULT_TASKS,
    requiredInputs: options.requiredInputs ?? DEFAULT_REQUIRED_INPUTS,
    taskDurationMs: options.taskDurationMs ?? DEFAULT_TASK_DURATION_MS,
    now: options.now ?? (() => performance.now()),
    newId: randomUUID,
  });
  const log = options.log;
  const requests: RecordedRequest[] = [];

  const inputs: Route = {
    method: 'GET',
    handle: () => ({ status: 200, body: { inputs: [...crew.requiredInputs] } }),
  };
  const health: Route = {
    method: 'GET',
    handle: () => ({ status: 200, body: 'Healthy', text: true }),
  };
  const kickoff: Route = { method: 'POST', handle: (body) => handleKickoff(crew, body) };
  const resume: Route = { method: 'POST', handle: (body) => handleResume(crew, body) };
  const status: Route = {
    method: 'GET',
    handle: (_body, { id = '' }) => {
      const current = crew.status(id);
      return current === undefined
        ? { status: 404, body: executionNotFound(id) }
        : { status: 200, body: current };
    },
  };

  function route(pathname: string): { route: Route; params: { id?: string } } | undefined {
    switch (pathname) {
      case '/':
        return { route: health, params: {} };
      case '/inputs':
        return { route: inputs, params: {} };
      case '/kickoff':
        return { route: kickoff, params: {} };
      case '/resume':
        return { route: resume, params: {} };
    }
    const match = /^\/status\/([^/]+)$/.exec(pathname);
    if (match?.[1] === undefined) return undefined;
    return { route: status, params: { id: decodePathSegment(match[1]) } };
  }

  async function handle(req: IncomingMessage): Promise<Reply> {
    const body = await readBody(req);
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    requests.push({
      method,
      path,
      headers: flatHeaders(req),
      body: body.kind === 'json' ? body.value : body.kind === 'text' ? body.text : undefined,
    });

    // Route before auth (our choice): a mistyped path says 404 whatever the token.
    // Split rather than `new URL()`: a path such as `//x` must not be read as a host name.
    const found = route(path.split('?', 1)[0] ?? '/');
    if (found === undefined) return { status: 404, body: ROUTE_NOT_FOUND };
    if (method !== found.route.method) {
      return {
        status: 405,
        body: { error: 'Method Not Allowed', message: `Use ${found.route.method} for this path` },
        headers: { allow: found.route.method },
      };
    }
    const token = bearerToken(req);
    if (token === undefined || !tokens.has(token)) return { status: 401, body: UNAUTHORIZED };
    if (body.kind === 'too-large') {
      return {
        status: 413,
        body: { error: 'Payload Too Large', message: 'Request body is too large' },
      };
    }
    return found.route.handle(body, found.params);
  }

  function respond(res: ServerResponse, reply: Reply): void {
    if (reply.text === true) sendText(res, reply.status, String(reply.body));
    else sendJson(res, reply.status, reply.body, reply.headers);
  }

  const server: Server = createServer((req, res) => {
    handle(req)
      .catch((): Reply => ({ status: 500, body: SERVER_ERROR }))
      .then((reply) => {
        log?.(`${req.method ?? '?'} ${req.url ?? '/'} -> ${reply.status}`);
        if (!res.headersSent) respond(res, reply);
      })
      .catch(() => res.destroy());
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const waits = new Set<{ timer: NodeJS.Timeout | undefined; reject: (error: Error) => void }>();
  let closed = false;

  function statusOf(kickoffId: string): StatusBody {
    const current = crew.status(kickoffId);
    if (current === undefined) throw new Error(`No execution found with ID: ${kickoffId}`);
    return current;
  }

  return {
    url,
    requests,
    kickoff(kickoffInputs = {}, tasks) {
      return crew.kickoff(kickoffInputs, tasks);
    },
    status(kickoffId) {
      return statusOf(kickoffId);
    },
    waitForStatus(kickoffId, wanted, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        if (closed) {
          reject(new Error('The simulator is closed'));
          return;
        }
        const deadline = Date.now() + timeoutMs;
        const wait = { timer: undefined as NodeJS.Timeout | undefined, reject };
        waits.add(wait);
        const finish = (error?: Error): void => {
          waits.delete(wait);
          if (error === undefined) resolve();
          else reject(error);
        };
        const check = (): void => {
          let current: ExecutionStatusValue;
          try {
            current = statusOf(kickoffId).status;
          } catch (error) {
            finish(error as Error);
            return;
          }
          if (current === wanted) return finish();
          if (TERMINAL.has(current)) {
            return finish(new Error(`Execution ${kickoffId} ended as ${current}, not ${wanted}`));
          }
          if (Date.now() >= deadline) {
            return finish(
              new Error(
                `Execution ${kickoffId} is still ${current}, not ${wanted}, after ${timeoutMs} ms`,
              ),
            );
          }
          wait.timer = setTimeout(check, WAIT_POLL_MS);
        };
        check();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const wait of waits) {
        clearTimeout(wait.timer);
        wait.reject(new Error('The simulator is closed'));
      }
      waits.clear();
      const stopped = new Promise<void>((resolve, reject) =>
        server.close((error) => (error === undefined ? resolve() : reject(error))),
      );
      server.closeAllConnections();
      await stopped;
    },
  };
}

/** Path ids are matched as given; a malformed escape simply names no execution (404). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function handleKickoff(crew: Crew, body: ReadBody): Reply {
  if (body.kind !== 'json') return { status: 400, body: badRequest(jsonProblem(body)) };
  const request = body.value;
  if (!isPlainObject(request) || !isPlainObject(request.inputs)) {
    return {
      status: 400,
      body: badRequest('Request body must be a JSON object with an "inputs" object'),
    };
  }
  const given = request.inputs;
  const missing = crew.missingInputs(given);
  if (missing.length > 0) return { status: 422, body: missingInputs(missing) };
  // CrewAI documents string values (§2.2); we accept any JSON value and keep it as text, the way
  // a template placeholder would render it (our choice: lenient about what clients send).
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (value === null || value === undefined) continue;
    inputs[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  // meta and the webhook fields are accepted and ignored: the simulator sends no webhooks.
  return { status: 200, body: { kickoff_id: crew.kickoff(inputs) } };
}

function handleResume(crew: Crew, body: ReadBody): Reply {
  if (body.kind !== 'json') return { status: 400, body: badRequest(jsonProblem(body)) };
  const request = body.value;
  if (!isPlainObject(request)) {
    return { status: 400, body: badRequest('Request body must be a JSON object') };
  }
  const absent = RESUME_REQUIRED_FIELDS.filter((field) => request[field] === undefined);
  if (absent.length > 0) {
    return { status: 400, body: badRequest(`Missing required fields: ${absent.join(', ')}`) };
  }
  for (const field of [...RESUME_STRING_FIELDS, ...WEBHOOK_FIELDS]) {
    if (request[field] !== undefined && typeof request[field] !== 'string') {
      return { status: 400, body: badRequest(`${field} must be a string`) };
    }
  }
  if (typeof request.is_approve !== 'boolean') {
    return { status: 400, body: badRequest('is_approve must be a boolean') };
  }
  const outcome = crew.resume({
    executionId: request.execution_id as string,
    taskId: request.task_id as string,
    humanFeedback: request.human_feedback as string,
    isApprove: request.is_approve,
  });
  if (outcome.ok) {
    return {
      status: 200,
      body: { status: outcome.status, message: RESUME_MESSAGES[outcome.status] },
    };
  }
  switch (outcome.reason) {
    case 'execution-not-found':
      return { status: 404, body: RESUME_EXECUTION_NOT_FOUND };
    case 'task-not-found':
      return { status: 404, body: RESUME_TASK_NOT_FOUND };
    case 'not-pending':
      return { status: 400, body: NOT_PENDING };
  }
}

function jsonProblem(body: Exclude<ReadBody, { kind: 'json' }>): string {
  switch (body.kind) {
    case 'empty':
      return 'Request body is empty; a JSON object is required';
    case 'text':
      return 'Request body is not valid JSON';
    case 'too-large':
      return 'Request body is too large';
  }
}
