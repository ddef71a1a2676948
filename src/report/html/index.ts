/** `--html <file>`: a self-contained page of one run or many (page.ts), from their events (timeline.ts). */
export { formatHtmlReport, type HtmlReport, type HtmlRun } from './page.js';
export { TimelineCollector, type RunTimeline } from './timeline.js';
export { htmlRun } from './html-run.js';
