import { bodySignature } from '../http/request-signature.js';
import type { RunEvent } from '../runtime/events.js';
import type { RunResult } from '../runtime/result.js';
import type { Redactor } from './redact.js';
import { formatDuration, palette, printable, type Palette } from './style.js';

export interface HumanReporterOptions {
  readonly write: (text: string) => void;
  readonly redactor: Redactor;
  /** An interactive terminal: a poll shows one live line instead of a line per iteration. */
  readonly live: boolean;
  readonly color: boolean;
  /** Print every request and response in full (headers and bodies, redacted). */
  readonly verbose?: boolean;
}

/** Bodies longer than this are cut in verbose output. */
const BODY_LIMIT = 2000;

/**
 * Terminal output for `arazzo run`: a line per step execution (id, method and path, status,
 * duration, outcome), the reasons of a failure, one live line while polling, then the
 * workflow's outputs and the total time. Every text from the document or a server passes
 * through the redactor, then `printable` (a response body cannot drive the terminal), before
 * it is styled.
 */
export class HumanReporter {
  readonly #options: HumanReporterOptions;
  readonly #style: Palette;
  #liveLine = false;
  #pendingPoll: (() => string) | undefined;
  #lastPollWrite = Number.NEGATIVE_INFINITY;
  readonly #warned = new Set<string>();

  constructor(options: HumanReporterOptions) {
    this.#options = options;
    this.#style = palette(options.color);
  }

  readonly onEvent = (event: RunEvent): void => {
    const s = this.#style;
    switch (event.type) {
      case 'step-finished':
        this.#stepFinished(event);
        break;
      case 'request':
        if (this.#options.verbose) this.#exchangeRequest(event);
        break;
      case 'response':
        if (this.#options.verbose) this.#exchangeResponse(event);
        break;
      case 'message':
        if (this.#options.verbose) this.#message(event);
        break;
      case 'warning': {
        // A poll repeats the same warning: say it once.
        const text = `${event.stepId}: ${event.message}`;
        if (!this.#warned.has(text)) {
          this.#warned.add(text);
          this.#line(s.yellow(`  ⚠ ${this.#clean(text)}`));
        }
        break;
      }
      case 'retry-wait':
        this.#line(
          s.dim(
            `  ↻ retry ${event.retry} of ${this.#clean(event.stepId)} (${this.#clean(event.action)}) in ${formatDuration(event.delayMs)}`,
          ),
        );
        break;
      case 'action':
        this.#action(event);
        break;
      case 'workflow-started':
        if (event.depth > 0) this.#line(s.dim(`  ⤷ workflow ${this.#clean(event.workflowId)}`));
        break;
      default:
        break;
    }
  };

  /** Foreign text (document, server, user) as it may be printed: redacted, then printable. */
  #clean(text: string): string {
    return printable(this.#options.redactor.text(text));
  }

  /**
   * A `goto` another step, or to a workflow: a one-way transfer whose result becomes the current
   * workflow's (POSITIONS §6.5), so a failed step it rescues does not fail the run: said in so
   * many words. A `goto` back to the same step is a poll, shown by the poll line.
   */
  #action(event: Extract<RunEvent, { type: 'action' }>): void {
    const s = this.#style;
    // A poll's goto back to its own step is the hot path: nothing to format for it.
    if (event.actionType !== 'goto' || event.target === undefined) return;
    if (event.target === event.stepId && event.targetKind !== 'workflow') return;
    const target = this.#clean(event.target);
    if (event.targetKind === 'workflow') {
      const text = `  ↪ transfer to workflow ${target} (${event.trigger} action "${this.#clean(event.action)}" of step "${this.#clean(event.stepId)}")`;
      this.#line(event.trigger === 'failure' ? s.yellow(text) : s.dim(text));
    } else {
      this.#line(s.dim(`  → ${this.#clean(event.action)}: goto ${target}`));
    }
  }

  #stepFinished(event: Extract<RunEvent, { type: 'step-finished' }>): void {
    if (event.poll !== undefined && event.success) {
      // Formatted only when shown: a fast poll shows one line in thousands.
      this.#poll(() => this.#pollLine(event));
      return;
    }
    this.#line(this.#stepLine(event));
    for (const reason of event.reasons) this.#line(`    ${this.#style.red(this.#clean(reason))}`);
  }

  #stepLine(event: Extract<RunEvent, { type: 'step-finished' }>): string {
    const s = this.#style;
    const mark = event.success ? s.green('✔') : s.red('✖');
    // A workflow step's exchange is its callee's last one (POSITIONS §4.2): name the callee.
    const called = event.calledWorkflowId;
    const target =
      called !== undefined
        ? `→ workflow ${called}`
        : event.action !== undefined && event.channel !== undefined
          ? `${event.action} ${event.channel}`
          : event.method && event.url
            ? `${event.method} ${pathOf(event.url)}`
            : '';
    const status =
      called !== undefined || event.statusCode === undefined ? '' : String(event.statusCode);
    const attempt = event.attempt > 1 ? s.dim(` (attempt ${event.attempt})`) : '';
    const columns = [
      mark,
      s.bold(this.#clean(event.stepId)),
      this.#clean(target),
      status,
      s.dim(formatDuration(event.durationMs)),
    ];
    return columns.filter(Boolean).join('  ') + attempt;
  }

  /**
   * A poll: its iteration, the pacing wait before it and the time since the poll began (on the
   * run's clock, from the event), then the step's current outputs.
   */
  #pollLine(event: Extract<RunEvent, { type: 'step-finished' }>): string {
    const s = this.#style;
    const detail = printable(summarize(this.#options.redactor.value(event.outputs)));
    const times = [
      event.pollWaitMs ? `waited ${formatDuration(event.pollWaitMs)}` : '',
      event.pollElapsedMs === undefined ? '' : `${formatDuration(event.pollElapsedMs)} elapsed`,
    ].filter(Boolean);
    const timing = times.length > 0 ? `  ${s.dim(times.join(' · '))}` : '';
    const poll = `${s.cyan(`⟳ poll ${event.poll}`)}${timing}${detail ? `  ${detail}` : ''}`;
    return `${this.#stepLine(event)}  ${poll}`;
  }

  #exchangeRequest(event: Extract<RunEvent, { type: 'request' }>): void {
    const { redactor } = this.#options;
    const { request } = event;
    this.#line(this.#style.cyan(`→ ${request.method} ${this.#clean(request.url)}`));
    this.#headers(redactor.headers(request.headers));
    if (request.body !== undefined) this.#body(this.#clean(bodySignature(request.body)));
  }

  #exchangeResponse(event: Extract<RunEvent, { type: 'response' }>): void {
    const { redactor } = this.#options;
    const { response } = event;
    this.#line(
      this.#style.cyan(
        `← ${response.statusCode} ${this.#style.dim(formatDuration(response.durationMs))}`,
      ),
    );
    this.#headers(redactor.headers(response.headers));
    if (response.bodyText !== '') this.#body(this.#clean(response.bodyText));
  }

  /** An AsyncAPI step's message, as verbose output shows an exchange (→ sent, ← received). */
  #message(event: Extract<RunEvent, { type: 'message' }>): void {
    const { redactor } = this.#options;
    const arrow = event.action === 'send' ? '→' : '←';
    this.#line(
      this.#style.cyan(
        `${arrow} ${event.action} ${this.#clean(event.channel)} ${this.#style.dim(this.#clean(event.server))}`,
      ),
    );
    const properties: Record<string, string> = {};
    if (event.contentType !== undefined) properties['(content type)'] = event.contentType;
    if (event.correlationId !== undefined) properties['(correlation id)'] = event.correlationId;
    this.#headers({ ...redactor.headers(event.headers), ...redactor.headers(properties) });
    if (event.payload !== '') this.#body(this.#clean(event.payload));
  }

  #headers(headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers))
      this.#line(this.#style.dim(`  ${printable(name)}: ${printable(value)}`));
  }

  #body(text: string): void {
    const cut =
      text.length > BODY_LIMIT
        ? `${text.slice(0, BODY_LIMIT)}… (${text.length - BODY_LIMIT} more characters)`
        : text;
    for (const line of cut.split('\n')) this.#line(`  ${line}`);
  }

  /** The run's end: outputs (masked) and the total time. */
  finish(result: RunResult): void {
    const s = this.#style;
    const verdict = result.success
      ? s.green(`✔ ${this.#clean(result.workflowId)} succeeded`)
      : s.red(`✖ ${this.#clean(result.workflowId)} failed`);
    this.#line('');
    this.#line(`${verdict} ${s.dim(`in ${formatDuration(result.durationMs)}`)}`);
    if (result.error) this.#line(`  ${s.red(this.#clean(result.error.message))}`);
    const outputs = Object.entries(result.outputs);
    if (outputs.length > 0) {
      this.#line(s.bold('outputs:'));
      for (const [name, value] of outputs) {
        this.#line(
          `  ${this.#clean(name)}: ${printable(truncate(JSON.stringify(this.#options.redactor.value(value)) ?? 'null', 400))}`,
        );
      }
    }
  }

  /**
   * A poll line: rewritten in place on a terminal (at most every 100 ms), a line of its own
   * when piped (at most one a second). What is held back is written before the next other
   * line, so the last poll is always shown; a fast poll costs no output per iteration.
   */
  #poll(line: () => string): void {
    const live = this.#options.live && !this.#options.verbose;
    const now = performance.now();
    if (now - this.#lastPollWrite < (live ? 100 : 1000)) {
      this.#pendingPoll = line;
      return;
    }
    this.#pendingPoll = undefined;
    this.#lastPollWrite = now;
    if (live) {
      this.#options.write(`\r\x1b[2K${line()}`);
      this.#liveLine = true;
    } else {
      this.#line(line());
    }
  }

  #line(text: string): void {
    const pending = this.#pendingPoll;
    if (pending !== undefined) {
      this.#lastPollWrite = Number.NEGATIVE_INFINITY;
      this.#poll(pending);
    }
    if (this.#liveLine) {
      this.#options.write('\n');
      this.#liveLine = false;
    }
    this.#options.write(`${text}\n`);
  }
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/** A compact `name=value` view of a step's scalar outputs, for the poll line. */
function summarize(outputs: unknown): string {
  if (typeof outputs !== 'object' || outputs === null) return '';
  return Object.entries(outputs)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .slice(0, 3)
    .map(([name, value]) => `${name}=${truncate(String(value), 40)}`)
    .join(' ');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
