/** Shared helpers for the simulator tests: real HTTP calls and a hand-stepped clock. */

import { startSimulator } from '../../examples/crewai/simulator/index.js';
import type { Simulator, SimulatorOptions } from '../../examples/crewai/simulator/index.js';

export const TOKEN = 'sim-token';

export interface Reply {
  status: number;
  contentType: string;
  /** Parsed JSON when the response is JSON, else the text. */
  body: unknown;
}

export interface CallOptions {
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  /** Sent as is (for malformed bodies). */
  raw?: string;
  /** `null` sends no Authorization header. */
  token?: string | null;
}

export async function call(
  sim: Simulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return {
    status: response.status,
    contentType,
    body: contentType.startsWith('application/json') ? (JSON.parse(text) as unknown) : text,
  };
}

/** A clock the test moves by hand, so task timing is exact. */
export class ManualClock {
  #ms = 0;
  readonly now = (): number => this.#ms;
  advance(ms: number): void {
    this.#ms += ms;
  }
}

/** A simulator on a random loopback port driven by a manual clock; tasks take 100 "ms" each. */
export async function startManual(
  options: SimulatorOptions = {},
): Promise<{ sim: Simulator; clock: ManualClock }> {
  const clock = new ManualClock();
  const sim = await startSimulator({ taskDurationMs: 100, ...options, now: clock.now });
  return { sim, clock };
}

export function kickoffId(reply: Reply): string {
  const body = reply.body as { kickoff_id?: unknown };
  if (typeof body.kickoff_id !== 'string')
    throw new Error(`No kickoff_id in ${JSON.stringify(reply.body)}`);
  return body.kickoff_id;
}

export function resumeBody(
  executionId: string,
  taskId: string,
  isApprove: boolean,
  feedback = 'Reviewed.',
): Record<string, unknown> {
  return {
    execution_id: executionId,
    task_id: taskId,
    human_feedback: feedback,
    is_approve: isApprove,
  };
}
