import type { RunResult } from '../runtime/result.js';
import type { Diagnostic } from '../validate/diagnostic.js';
import { jsonDiagnostic } from './diagnostics/json.js';
import type { Redactor } from './redact.js';

/**
 * The `--json` document (CLI contract): exactly one object on stdout with the workflow's
 * outputs, every step visit's outcome and timing, and the error if the run failed.
 * `diagnostics` are validate's warnings for the workflow, in `validate --json`'s shape; the
 * run's own `warnings` stay strings.
 */
export function formatJsonReport(
  result: RunResult,
  redactor: Redactor,
  diagnostics: readonly Diagnostic[] = [],
  runId?: string,
): string {
  const report = jsonReport(result, redactor, diagnostics) as Record<string, unknown>;
  // A durable run's id first: what `arazzo runs show` takes.
  const shown = runId === undefined ? report : { runId, ...report };
  return `${JSON.stringify(shown, null, 2)}\n`;
}

/** The `--json` object of one run, redacted (`arazzo test` lists one per workflow). */
export function jsonReport(
  result: RunResult,
  redactor: Redactor,
  diagnostics: readonly Diagnostic[] = [],
): unknown {
  const report = {
    workflowId: result.workflowId,
    success: result.success,
    outputs: result.outputs,
    ...(result.unresolvedOutputs.length > 0 ? { unresolvedOutputs: result.unresolvedOutputs } : {}),
    steps: result.steps.map((step) => ({
      ...(step.workflowId === result.workflowId ? {} : { workflowId: step.workflowId }),
      stepId: step.stepId,
      success: step.success,
      statusCode: step.statusCode ?? null,
      ...(step.action === undefined ? {} : { action: step.action, channel: step.channel ?? null }),
      attempts: step.attempts,
      executions: step.executions,
      durationMs: Math.round(step.durationMs * 1000) / 1000,
      ...(step.reasons ? { reasons: step.reasons } : {}),
    })),
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
    ...(diagnostics.length > 0
      ? {
          diagnostics: diagnostics.map(jsonDiagnostic),
        }
      : {}),
    durationMs: Math.round(result.durationMs * 1000) / 1000,
    ...(result.error ? { error: result.error } : {}),
  };
  return redactor.value(report);
}
