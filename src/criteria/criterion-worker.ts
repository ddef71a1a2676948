/**
 * The condition worker's entry point (a worker thread started by condition-worker.ts; built next
 * to it by tsc and by the bundle, as `criterion-worker.js`). It evaluates the tasks it is sent,
 * one at a time, and answers each; the main thread keeps the deadline and terminates this thread
 * when a bound is exceeded. It loads only the condition engines: no HTTP client, no CLI.
 */
import { parentPort } from 'node:worker_threads';
import {
  taskCondition,
  type TaskResult,
  type WorkerReply,
  type WorkerRequest,
} from './criterion-task.js';
import { loadEngine, runTask } from './run-task.js';

const port = parentPort;
// A request this thread cannot deserialise (a value nested beyond its stack): say so at once.
port?.on('messageerror', (error: Error) => {
  port.postMessage({ unreadable: error.message } satisfies WorkerReply);
});
port?.on('message', (request: WorkerRequest) => {
  if ('load' in request) {
    // A failed load shows up as the task's failure, with the engine's own message.
    try {
      loadEngine(request.load);
    } catch {
      // the task reports it
    }
    port.postMessage({ id: request.id, loaded: true } satisfies WorkerReply);
    return;
  }
  let result: TaskResult;
  try {
    result = runTask(request.task);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    result = {
      passed: false,
      reason: `${taskCondition(request.task)} could not be evaluated: ${detail}`,
    };
  }
  port.postMessage({ id: request.id, result } satisfies WorkerReply);
});
