import { bodySignature } from '../../http/request-signature.js';
import type { HttpRequest } from '../../http/types.js';
import type { RunEvent, RunListener } from '../../runtime/events.js';
import type { Redactor } from '../redact.js';

/**
 * What the HTML report shows of a run, collected from its events (plain data, redacted as it
 * arrives: the redactor is the run's first listener and knows every credential before a request
 * carries it). Every step execution keeps its timing; the exchanges (request, response,
 * messages) are kept for the first and the last `DETAIL_LIMIT` executions only, bodies cut at
 * `BODY_LIMIT`, so a poll loop of any length keeps the report, and memory, bounded.
 */
export interface RunTimeline {
  /** Epoch milliseconds of the first event. */
  readonly startedAt: number;
  readonly executions: readonly ExecutionRecord[];
  /** Per workflow, the steps in the order they ran and how it ended: the path taken. */
  readonly paths: readonly WorkflowPath[];
}

export interface ExecutionRecord {
  readonly workflowId: string;
  readonly stepId: string;
  /** Milliseconds since the timeline started. */
  readonly startMs: number;
  readonly durationMs: number;
  /** A pacing or retry wait just before this execution. */
  readonly waitMs: number;
  readonly success: boolean;
  readonly attempt: number;
  readonly poll?: number;
  /** `GET https://…`, `send orders/us`, `⤷ workflow x`. */
  readonly target: string;
  readonly statusCode?: number;
  readonly reasons: readonly string[];
  /** Undefined once the execution's details were dropped (see `DETAIL_LIMIT`). */
  detail?: ExecutionDetail;
}

export interface ExecutionDetail {
  readonly request?: ShownRequest;
  readonly response?: ShownResponse;
  readonly messages: readonly ShownMessage[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface ShownRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface ShownResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly durationMs: number;
}

export interface ShownMessage {
  readonly action: 'send' | 'receive';
  readonly server: string;
  readonly channel: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

export interface WorkflowPath {
  readonly workflowId: string;
  readonly steps: readonly string[];
  /** Undefined while it runs (a run aborted midway). */
  readonly success?: boolean;
}

/** Executions whose exchanges are kept, at the start and at the end of a run. */
export const DETAIL_LIMIT = 50;
/** Characters of a body or payload shown. */
export const BODY_LIMIT = 8_192;
/** Steps remembered per workflow path (a long poll repeats one step). */
const PATH_LIMIT = 1_000;

export class TimelineCollector {
  readonly #now: () => number;
  readonly #redactor: Redactor;
  #startedAt: number | undefined;
  readonly #executions: ExecutionRecord[] = [];
  readonly #paths = new Map<string, { workflowId: string; steps: string[]; success?: boolean }>();
  #request: ShownRequest | undefined;
  #response: ShownResponse | undefined;
  #messages: ShownMessage[] = [];
  #waitMs = 0;

  /** `now`: the run's clock (`RunOptions.clock.now`), so that durations agree with the run's. */
  constructor(redactor: Redactor, now: () => number) {
    this.#redactor = redactor;
    this.#now = now;
  }

  readonly onEvent: RunListener = (event: RunEvent): void => {
    const now = this.#now();
    this.#startedAt ??= now;
    switch (event.type) {
      case 'step-started':
        this.#request = undefined;
        this.#response = undefined;
        this.#messages = [];
        break;
      case 'request':
        this.#request = this.#shownRequest(event.request);
        break;
      case 'response': {
        const { response } = event;
        this.#request = this.#shownRequest(event.request);
        this.#response = {
          statusCode: response.statusCode,
          headers: this.#redactor.headers(response.headers),
          body: cut(this.#redactor.text(response.bodyText)),
          durationMs: response.durationMs,
        };
        break;
      }
      case 'message':
        this.#messages.push({
          action: event.action,
          server: this.#redactor.text(event.server),
          channel: this.#redactor.text(event.channel),
          headers: this.#redactor.headers(event.headers),
          payload: cut(this.#redactor.text(event.payload)),
        });
        break;
      case 'retry-wait':
        this.#waitMs += event.delayMs;
        break;
      case 'step-finished':
        this.#finished(event, now);
        break;
      case 'workflow-started':
        this.#paths.set(pathKey(event), { workflowId: event.workflowId, steps: [] });
        break;
      case 'workflow-finished': {
        const path = this.#paths.get(pathKey(event));
        if (path) path.success = event.success;
        break;
      }
      default:
        break;
    }
  };

  timeline(): RunTimeline {
    return {
      startedAt: this.#startedAt ?? this.#now(),
      executions: this.#executions,
      paths: [...this.#paths.values()],
    };
  }

  #finished(event: Extract<RunEvent, { type: 'step-finished' }>, now: number): void {
    const startedAt = this.#startedAt ?? now;
    const r = this.#redactor;
    const target =
      event.calledWorkflowId !== undefined
        ? `⤷ workflow ${event.calledWorkflowId}`
        : event.action !== undefined
          ? `${event.action} ${event.channel ?? ''}`
          : `${event.method ?? ''} ${event.url ?? ''}`;
    const record: ExecutionRecord = {
      workflowId: r.text(event.workflowId),
      stepId: r.text(event.stepId),
      startMs: Math.max(0, now - startedAt - event.durationMs),
      durationMs: event.durationMs,
      waitMs: (event.pollWaitMs ?? 0) + this.#waitMs,
      success: event.success,
      attempt: event.attempt,
      ...(event.poll === undefined ? {} : { poll: event.poll }),
      target: r.text(target.trim()),
      ...(event.statusCode === undefined ? {} : { statusCode: event.statusCode }),
      reasons: event.reasons.map((reason) => r.text(reason)),
      detail: {
        ...(this.#request === undefined ? {} : { request: this.#request }),
        ...(this.#response === undefined ? {} : { response: this.#response }),
        messages: this.#messages,
        outputs: r.value(event.outputs) as Record<string, unknown>,
      },
    };
    this.#waitMs = 0;
    this.#messages = [];
    this.#request = undefined;
    this.#response = undefined;
    this.#executions.push(record);
    // Keep the first and the last DETAIL_LIMIT executions' exchanges; drop the ones between.
    const dropAt = this.#executions.length - 1 - DETAIL_LIMIT;
    const dropped = this.#executions[dropAt];
    if (dropAt >= DETAIL_LIMIT && dropped !== undefined) delete dropped.detail;
    const path = [...this.#paths.values()].findLast((p) => p.workflowId === event.workflowId);
    if (path && path.steps.length < PATH_LIMIT && path.steps.at(-1) !== event.stepId)
      path.steps.push(event.stepId);
  }

  #shownRequest(request: HttpRequest): ShownRequest {
    const r = this.#redactor;
    const body = request.body === undefined ? undefined : bodySignature(request.body);
    return {
      method: request.method.toUpperCase(),
      url: r.text(request.url),
      headers: r.headers(request.headers),
      ...(body === undefined ? {} : { body: cut(r.text(body)) }),
    };
  }
}

function pathKey(event: { workflowId: string; depth: number }): string {
  return `${event.depth}\u0000${event.workflowId}`;
}

function cut(text: string): string {
  return text.length > BODY_LIMIT
    ? `${text.slice(0, BODY_LIMIT)}… (${text.length - BODY_LIMIT} more characters)`
    : text;
}
