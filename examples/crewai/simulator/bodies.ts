/**
 * Error and resume bodies. Texts marked "doc" are the examples in CrewAI's API reference
 * (NOTES §2–3); the rest are ours, in the same `{error, message}` shape.
 */

export interface ErrorBody {
  error: string;
  message: string;
}

export interface ValidationErrorBody extends ErrorBody {
  details: { missing_inputs: string[] };
}

/** doc: the shared UnauthorizedError response. */
export const UNAUTHORIZED: ErrorBody = {
  error: 'Unauthorized',
  message: 'Invalid or missing bearer token',
};

/** doc: the shared NotFoundError response; we use it for unknown routes. */
export const ROUTE_NOT_FOUND: ErrorBody = {
  error: 'Not Found',
  message: 'The requested resource was not found',
};

/** doc: the shared ServerError response. */
export const SERVER_ERROR: ErrorBody = {
  error: 'Internal Server Error',
  message: 'An unexpected error occurred',
};

/** doc: `GET /status/{id}` 404. */
export function executionNotFound(id: string): ErrorBody {
  return { error: 'Execution not found', message: `No execution found with ID: ${id}` };
}

/** doc: `POST /resume` 404. */
export const RESUME_EXECUTION_NOT_FOUND: ErrorBody = {
  error: 'Not Found',
  message: 'Execution ID not found',
};

/** Ours: the task variant of the documented `POST /resume` 404 ("Execution ID or Task ID not found"). */
export const RESUME_TASK_NOT_FOUND: ErrorBody = {
  error: 'Not Found',
  message: 'Task ID not found',
};

/** doc: `POST /resume` 400 when the execution is not paused. */
export const NOT_PENDING: ErrorBody = {
  error: 'Invalid Request',
  message: 'Execution is not in pending human input state',
};

/** doc (shape and `error`/`message` texts): `POST /kickoff` 422. */
export function missingInputs(names: string[]): ValidationErrorBody {
  return {
    error: 'Validation Error',
    message: 'Missing required inputs',
    details: { missing_inputs: names },
  };
}

/** Ours: 400 bodies; CrewAI documents the status and shape but no text (NOTES §8). */
export function badRequest(message: string): ErrorBody {
  return { error: 'Bad Request', message };
}

/** doc: the two documented `POST /resume` 200 examples; `completed` has no documented text. */
export const RESUME_MESSAGES = {
  resumed: 'Execution resumed successfully',
  retrying: 'Task will be retried with your feedback',
  completed: 'Execution completed successfully',
} as const;
