/**
 * Durable runs (POSITIONS §15): the same interpreter, each exchange and wait checkpointed in
 * Postgres through DBOS Transact, so a run survives its process and many runs share workers.
 */
export { DurableEngine, runnerExecutorId, sha256, WORKFLOW_NAME } from './engine.js';
export type { DurableHost, EngineOptions, PreparedDurableRun } from './engine.js';
export { DurableRuns, statusOf } from './runs.js';
export type { Checkpoint, DurableRunDetails, DurableRunSummary, DurableStatus } from './runs.js';
export { databaseUrl } from './dbos.js';
export { durableHost, durableSpec } from './host.js';
export type { HostEnvironment, HostOptions as DurableHostOptions } from './host.js';
export { durableOptions, splitInputs } from './spec.js';
export type { DurableRunOptions, DurableRunSpec } from './spec.js';
