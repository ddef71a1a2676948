/**
 * The engine as a library: load an Arazzo document, validate it, run a workflow. Nothing here
 * prints; subscribe to run events with `onEvent`.
 *
 * Left out on purpose: the request builders, serializers and expression/criteria compilers
 * (internal shapes that change with the spec; the runner is the interface to them) and the CLI.
 */
export { loadDocument, parseArazzoText, type LoadedDocument } from './document/load-document.js';
export type {
  ArazzoDocument,
  Components,
  Criterion,
  CriterionExpressionType,
  FailureAction,
  Info,
  Json,
  JsonSchema,
  Parameter,
  ParameterLocation,
  PayloadReplacement,
  RequestBody as RequestBodyObject,
  Reusable,
  SourceDescription,
  Step,
  SuccessAction,
  Workflow,
} from './document/types.js';
export {
  loadSources,
  type LoadedSource,
  type LoadSourcesOptions,
  type SourcesResult,
} from './sources/load-sources.js';
export { createScope, type DocumentScope } from './runtime/scope.js';
export { openDocument, type OpenDocumentOptions } from './runtime/open-document.js';
export {
  prepareRun,
  WorkflowInvalidError,
  type PrepareRunOptions,
  type PreparedRun,
} from './runtime/prepare-run.js';
export { runWorkflow } from './runtime/run.js';
export type { RunOptions } from './runtime/options.js';
export type { RunClock } from './runtime/clock.js';
export type { RunEvent, RunListener, RunError, StepError } from './runtime/events.js';
export type { RunResult, StepRecord } from './runtime/result.js';
export type {
  HttpRequest,
  HttpResponse,
  HttpTransport,
  RequestBody,
  SendOptions,
} from './http/types.js';
export type { Credentials } from './http/auth/types.js';
export { validateFile, validateLoaded, CODES } from './validate/index.js';
export type {
  Diagnostic,
  DiagnosticCode,
  Severity,
  ValidateOptions,
  ValidationResult,
} from './validate/index.js';
export {
  formatResults,
  type FormatOptions,
  type Formatter,
  type OutputFormat,
} from './report/diagnostics/index.js';
export { UndiciTransport } from './http/undici-transport.js';
export {
  ArazzoError,
  formatError,
  isArazzoError,
  type ErrorCode,
  type LinePos,
  type Location,
} from './errors.js';
export { Redactor } from './report/redact.js';
// Durable runs (POSITIONS §15): DBOS Transact is loaded only once an engine is launched or runs
// are opened.
export {
  DurableEngine,
  DurableRuns,
  databaseUrl,
  durableHost,
  durableSpec,
  type DurableHost,
  type DurableHostOptions,
  type DurableRunDetails,
  type DurableRunSpec,
  type DurableRunSummary,
  type DurableStatus,
  type EngineOptions,
  type HostEnvironment,
  type PreparedDurableRun,
} from './durable/index.js';
