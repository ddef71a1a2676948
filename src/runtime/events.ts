import type { HttpRequest, HttpResponse } from '../http/types.js';
import type { ErrorCode } from '../errors.js';

/**
 * What the runtime reports while it runs. The runtime never prints: reporters (terminal,
 * JSON, JUnit…) and library users subscribe to these events.
 */
export type RunEvent =
  | { readonly type: 'workflow-started'; readonly workflowId: string; readonly depth: number }
  | {
      readonly type: 'step-started';
      readonly workflowId: string;
      readonly stepId: string;
      /** 1 for the first attempt, 2+ for retries of the same visit. */
      readonly attempt: number;
    }
  | {
      readonly type: 'request';
      readonly workflowId: string;
      readonly stepId: string;
      readonly request: HttpRequest;
    }
  | {
      readonly type: 'response';
      readonly workflowId: string;
      readonly stepId: string;
      readonly request: HttpRequest;
      readonly response: HttpResponse;
    }
  | {
      readonly type: 'step-finished';
      readonly workflowId: string;
      readonly stepId: string;
      readonly success: boolean;
      readonly attempt: number;
      readonly durationMs: number;
      readonly method?: string;
      readonly url?: string;
      readonly statusCode?: number;
      /** An AsyncAPI step (1.1): the channel address it sent on or received from. */
      readonly channel?: string;
      /** An AsyncAPI step: `send` or `receive`. */
      readonly action?: 'send' | 'receive';
      /** One line per failed success criterion or error, saying why. */
      readonly reasons: readonly string[];
      /** For a paced poll (a goto re-sending the same request): which execution of the poll this was (2, 3, …). */
      readonly poll?: number;
      /** For a poll: the pacing wait before this execution (0 when polls are not paced), not in `durationMs`. */
      readonly pollWaitMs?: number;
      /** For a poll: the time since the poll's first execution started, its waits included. */
      readonly pollElapsedMs?: number;
      /**
       * A step that calls a workflow: the workflow's id. `method`, `url` and `statusCode` are then
       * that workflow's last exchange (POSITIONS §4.2), not a request of the step's own.
       */
      readonly calledWorkflowId?: string;
      /** The step's outputs after this execution (unresolved ones are null). */
      readonly outputs: Readonly<Record<string, unknown>>;
      readonly error?: StepError;
    }
  | {
      /**
       * An AsyncAPI step's message (1.1 §Step Object `action`): sent once the broker accepted
       * it, or received once it matched the step's `correlationId` (POSITIONS §11.11).
       */
      readonly type: 'message';
      readonly workflowId: string;
      readonly stepId: string;
      readonly action: 'send' | 'receive';
      /** The broker's URL without user info (messaging/display-url.ts). */
      readonly server: string;
      /** The channel address, parameters substituted. */
      readonly channel: string;
      readonly headers: Readonly<Record<string, string>>;
      /** The payload as text. */
      readonly payload: string;
      readonly contentType?: string;
      readonly correlationId?: string;
    }
  | {
      /** A `goto` re-entered a step that sends the same request again: the runner paces it. */
      readonly type: 'poll-wait';
      readonly workflowId: string;
      readonly stepId: string;
      readonly iteration: number;
      readonly delayMs: number;
    }
  | {
      /**
       * A credential the run obtained (an OAuth2 access token from a client credentials
       * grant), emitted before any request carries it. It is as secret as the credentials it
       * was obtained with: reporters mask it from then on (`Redactor.onEvent`), and a
       * listener must never print or log `value`.
       */
      readonly type: 'credential';
      readonly workflowId: string;
      readonly stepId: string;
      /** The security scheme it was obtained for. */
      readonly schemeName: string;
      readonly value: string;
    }
  | {
      /** Something worth knowing that does not fail the step (serialization fallbacks, contract checks). */
      readonly type: 'warning';
      readonly workflowId: string;
      readonly stepId: string;
      readonly message: string;
    }
  | {
      readonly type: 'retry-wait';
      readonly workflowId: string;
      readonly stepId: string;
      readonly action: string;
      readonly retry: number;
      readonly delayMs: number;
    }
  | {
      readonly type: 'action';
      readonly workflowId: string;
      readonly stepId: string;
      readonly action: string;
      readonly actionType: 'end' | 'goto' | 'retry';
      /** Whether the action is one of the step's success actions or its failure actions. */
      readonly trigger: 'success' | 'failure';
      /** The stepId or workflowId the action names; `targetKind` says which. */
      readonly target?: string;
      /**
       * `workflow` on a `goto`: a one-way transfer, the workflow's result becomes the current
       * workflow's (§Success Action Object, §Failure Action Object; POSITIONS §6.5).
       */
      readonly targetKind?: 'step' | 'workflow';
    }
  | {
      readonly type: 'workflow-finished';
      readonly workflowId: string;
      readonly depth: number;
      readonly success: boolean;
      readonly outputs: Readonly<Record<string, unknown>>;
      readonly error?: RunError;
    };

export type RunListener = (event: RunEvent) => void;

export interface StepError {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface RunError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly stepId?: string;
}
