import { compileDocument } from '../../model/compile-document.js';
import type { RunResult } from '../../runtime/result.js';
import type { DocumentScope } from '../../runtime/scope.js';
import { graphOfView, type WorkflowGraph } from '../graph/model.js';
import { workflowView } from '../graph/workflow-view.js';
import type { Redactor } from '../redact.js';
import type { HtmlRun } from './page.js';
import type { RunTimeline } from './timeline.js';

/**
 * One run as the HTML report shows it: its result redacted (outputs, the error, the step
 * reasons) and the graphs of the workflows of `scope`'s document that ran, in the order they
 * first ran (workflows of other documents, run through an Arazzo source, are not drawn).
 */
export function htmlRun(
  label: string,
  result: RunResult,
  timeline: RunTimeline,
  scope: DocumentScope,
  redactor: Redactor,
  inputs?: Readonly<Record<string, unknown>>,
): HtmlRun {
  const redacted: RunResult = {
    ...result,
    outputs: redactor.value(result.outputs) as RunResult['outputs'],
    steps: [],
    warnings: result.warnings.map((warning) => redactor.text(warning)),
    ...(result.error === undefined
      ? {}
      : { error: { ...result.error, message: redactor.text(result.error.message) } }),
  };
  return {
    label: redactor.text(label),
    result: redacted,
    timeline,
    graphs: runGraphs(scope, timeline),
    ...(inputs === undefined ? {} : { inputs: redactor.value(inputs) as Record<string, unknown> }),
  };
}

function runGraphs(scope: DocumentScope, timeline: RunTimeline): WorkflowGraph[] {
  const ran = [...new Set(timeline.paths.map((path) => path.workflowId))];
  const model = compileDocument(scope.loaded, scope.sources);
  return ran.flatMap((workflowId) => {
    const workflow = model.workflows.find((w) => w.id === workflowId);
    return workflow === undefined ? [] : [graphOfView(workflowView(workflow))];
  });
}
