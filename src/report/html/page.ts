import type { RunResult } from '../../runtime/result.js';
import type { WorkflowGraph } from '../graph/model.js';
import { formatDuration } from '../style.js';
import { xmlAttribute as attr, xmlText as text } from '../xml.js';
import { edgeKey, graphSvg, type TakenPath } from './graph-svg.js';
import { STYLE } from './style.js';
import type { ExecutionRecord, RunTimeline } from './timeline.js';

/**
 * `--html <file>`: one self-contained page (no script, no request when opened: styles and the
 * graphs are inline) for one run or many (`arazzo test`, data rows). Failures first: a list at
 * the top links to each failed execution, which is open; everything else is a `<details>`
 * element, so the page works with a keyboard and without JavaScript. Every text here has been
 * redacted by the collector (timeline.ts) or is redacted by the caller (inputs, outputs).
 */
export interface HtmlReport {
  readonly title: string;
  readonly runs: readonly HtmlRun[];
}

export interface HtmlRun {
  /** The workflowId, or what tells data rows apart (`row 3`). */
  readonly label: string;
  readonly result: RunResult;
  readonly timeline: RunTimeline;
  /** The graphs of the workflows that ran, from the run's document. */
  readonly graphs: readonly WorkflowGraph[];
  /** Redacted inputs, for data rows. */
  readonly inputs?: Readonly<Record<string, unknown>>;
}

/** Timeline rows drawn per run; the executions beyond are counted. */
const ROW_LIMIT = 500;

export function formatHtmlReport(report: HtmlReport): string {
  // Failed runs first, then in the order they ran.
  const runs = report.runs
    .map((run, index) => ({ run, index }))
    .sort((a, b) => Number(a.run.result.success) - Number(b.run.result.success));
  const passed = report.runs.filter((run) => run.result.success).length;
  const failed = report.runs.length - passed;
  const executions = report.runs.reduce((sum, run) => sum + run.timeline.executions.length, 0);
  const total = report.runs.reduce((sum, run) => sum + run.result.durationMs, 0);
  const verdict = failed === 0 ? 'passed' : 'failed';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No request may leave the page: its own inline style only.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${text(`${failed === 0 ? '✔' : '✖'} ${report.title}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body class="${verdict}">`,
    '<header>',
    `<h1>${text(report.title)}</h1>`,
    `<p class="summary" data-passed="${passed}" data-failed="${failed}">`,
    `<span class="count pass">${passed} passed</span>`,
    `<span class="count fail">${failed} failed</span>`,
    `<span>${executions} step execution${executions === 1 ? '' : 's'}</span>`,
    `<span>${text(formatDuration(total))}</span>`,
    '</p>',
    failuresList(runs),
    '</header>',
    '<main>',
    ...runs.map(({ run, index }) => runSection(run, index)),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function failuresList(runs: readonly { run: HtmlRun; index: number }[]): string {
  const items = runs.flatMap(({ run, index }) => {
    if (run.result.success) return [];
    const failedAt = run.timeline.executions.findLastIndex((execution) => !execution.success);
    const execution = run.timeline.executions[failedAt];
    const reason = execution?.reasons[0] ?? run.result.error?.message ?? 'the workflow failed';
    const href = failedAt >= 0 ? `#r${index}-x${failedAt}` : `#r${index}`;
    const where = execution === undefined ? run.label : `${run.label} › ${execution.stepId}`;
    return [
      `<li><a href="${href}"><strong>${text(where)}</strong>: <span class="reason">${text(reason)}</span></a></li>`,
    ];
  });
  if (items.length === 0) return '';
  return [
    '<nav class="failures" aria-label="failures">',
    '<h2>Failures</h2>',
    '<ol>',
    ...items,
    '</ol>',
    '</nav>',
  ].join('\n');
}

function runSection(run: HtmlRun, index: number): string {
  const { result, timeline } = run;
  const status = result.success ? 'succeeded' : 'failed';
  return [
    `<section class="run ${result.success ? 'ok' : 'fail'}" id="r${index}">`,
    `<h2>${result.success ? '✔' : '✖'} ${text(run.label)} <small>${status} in ${text(formatDuration(result.durationMs))}</small></h2>`,
    result.error === undefined ? '' : `<p class="error">${text(result.error.message)}</p>`,
    run.inputs === undefined ? '' : valuesTable('Inputs', run.inputs),
    '<h3>Timeline</h3>',
    timelineList(timeline, result.durationMs, index),
    ...run.graphs.map((graph) => graphFigure(graph, timeline)),
    '<h3>Steps</h3>',
    ...timeline.executions.map((execution, at) => executionDetails(execution, index, at)),
    valuesTable('Outputs', result.outputs),
    '</section>',
  ].join('\n');
}

function timelineList(timeline: RunTimeline, durationMs: number, run: number): string {
  const { executions } = timeline;
  const end = Math.max(durationMs, ...executions.map((e) => e.startMs + e.durationMs), 1);
  const percent = (ms: number): string => `${((Math.max(0, ms) / end) * 100).toFixed(2)}%`;
  const rows = executions.slice(0, ROW_LIMIT).map((execution, at) => {
    const wait =
      execution.waitMs > 0
        ? `<span class="wait" style="left:${percent(execution.startMs - execution.waitMs)};width:${percent(execution.waitMs)}" title="${attr(`waited ${formatDuration(execution.waitMs)}`)}"></span>`
        : '';
    const bar = `<span class="bar" style="left:${percent(execution.startMs)};width:max(2px,${percent(execution.durationMs)})"></span>`;
    const tag =
      execution.poll === undefined ? '' : ` <span class="tag">poll ${execution.poll}</span>`;
    const retry =
      execution.attempt > 1 ? ` <span class="tag">attempt ${execution.attempt}</span>` : '';
    return [
      `<li class="row ${execution.success ? 'ok' : 'fail'}">`,
      `<a class="name" href="#r${run}-x${at}">${execution.success ? '✔' : '✖'} ${text(execution.stepId)}${tag}${retry}</a>`,
      `<span class="track">${wait}${bar}</span>`,
      `<span class="time">${text(formatDuration(execution.durationMs))}</span>`,
      '</li>',
    ].join('');
  });
  const more =
    executions.length > ROW_LIMIT
      ? `<p class="note">… and ${executions.length - ROW_LIMIT} more executions (listed under Steps).</p>`
      : '';
  return `<ol class="timeline" aria-label="timeline">${rows.join('\n')}</ol>${more}`;
}

function graphFigure(graph: WorkflowGraph, timeline: RunTimeline): string {
  return [
    '<figure class="graph-figure">',
    `<figcaption>Graph of ${text(graph.workflowId)}: the path taken is highlighted</figcaption>`,
    `<div class="scroll">${graphSvg(graph, takenPath(graph, timeline))}</div>`,
    '</figure>',
  ].join('\n');
}

/** The nodes the run reached and the edges it followed, from the executions in order. */
function takenPath(graph: WorkflowGraph, timeline: RunTimeline): TakenPath {
  const nodeOf = new Map<string, string>();
  for (const node of graph.nodes)
    if (node.stepId !== undefined && node.kind !== 'external') nodeOf.set(node.stepId, node.id);
  const start = graph.nodes.find((node) => node.kind === 'start')?.id;
  const ok = graph.nodes.find((node) => node.kind === 'success')?.id;
  const fail = graph.nodes.find((node) => node.kind === 'failure')?.id;
  const visited = new Set<string>();
  const taken = new Set<string>();
  const steps = timeline.executions
    .filter((execution) => execution.workflowId === graph.workflowId)
    .map((execution) => nodeOf.get(execution.stepId));
  let previous = start;
  if (start !== undefined && steps.length > 0) visited.add(start);
  for (const node of steps) {
    if (node === undefined) continue;
    visited.add(node);
    if (previous !== undefined) taken.add(edgeKey(previous, node));
    previous = node;
  }
  const path = timeline.paths.findLast((p) => p.workflowId === graph.workflowId);
  const exit = path?.success === true ? ok : path?.success === false ? fail : undefined;
  if (exit !== undefined && previous !== undefined) {
    visited.add(exit);
    taken.add(edgeKey(previous, exit));
  }
  return { visited, taken };
}

function executionDetails(execution: ExecutionRecord, run: number, at: number): string {
  const mark = execution.success ? '✔' : '✖';
  const facts = [
    execution.target,
    execution.statusCode === undefined ? undefined : String(execution.statusCode),
    formatDuration(execution.durationMs),
    execution.poll === undefined ? undefined : `poll ${execution.poll}`,
    execution.attempt > 1 ? `attempt ${execution.attempt}` : undefined,
  ].filter((fact): fact is string => fact !== undefined && fact !== '');
  const { detail } = execution;
  const body: string[] = [];
  if (execution.reasons.length > 0)
    body.push(
      `<ul class="reasons">${execution.reasons.map((reason) => `<li>${text(reason)}</li>`).join('')}</ul>`,
    );
  if (detail === undefined) {
    body.push('<p class="note">Exchange not kept: only the first and last executions are.</p>');
  } else {
    if (detail.request !== undefined) {
      const { request } = detail;
      body.push(
        exchangePart('Request', `${request.method} ${request.url}`, request.headers, request.body),
      );
    }
    if (detail.response !== undefined) {
      const { response } = detail;
      body.push(
        exchangePart(
          'Response',
          `${response.statusCode} in ${formatDuration(response.durationMs)}`,
          response.headers,
          response.body,
        ),
      );
    }
    for (const message of detail.messages)
      body.push(
        exchangePart(
          message.action === 'send' ? 'Message sent' : 'Message received',
          `${message.channel} on ${message.server}`,
          message.headers,
          message.payload,
        ),
      );
    if (Object.keys(detail.outputs).length > 0) body.push(valuesTable('Outputs', detail.outputs));
  }
  return [
    `<details class="exec ${execution.success ? 'ok' : 'fail'}" id="r${run}-x${at}"${execution.success ? '' : ' open'}>`,
    `<summary>${mark} <strong>${text(execution.stepId)}</strong> <span class="facts">${text(facts.join(' · '))}</span></summary>`,
    ...body,
    '</details>',
  ].join('\n');
}

function exchangePart(
  title: string,
  line: string,
  headers: Readonly<Record<string, string>>,
  content: string | undefined,
): string {
  const rows = Object.entries(headers)
    .map(([name, value]) => `<tr><th>${text(name)}</th><td>${text(value)}</td></tr>`)
    .join('');
  return [
    `<div class="part"><h4>${text(title)}</h4><p class="line">${text(line)}</p>`,
    rows === '' ? '' : `<table class="headers">${rows}</table>`,
    content === undefined || content === '' ? '' : `<pre>${text(content)}</pre>`,
    '</div>',
  ].join('');
}

function valuesTable(title: string, values: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(values);
  if (entries.length === 0) return '';
  const rows = entries
    .map(([name, value]) => {
      const shown = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
      return `<tr><th>${text(name)}</th><td><code>${text(shown)}</code></td></tr>`;
    })
    .join('');
  return `<h4>${text(title)}</h4><table class="values">${rows}</table>`;
}
