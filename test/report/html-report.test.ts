/**
 * `arazzo run --html`: the report of a real run (the resume workflow against the bundled CrewAI
 * simulator), opened in headless Chromium (Debian's `chromium`, driven by playwright-core) and
 * checked for what a person sees. A screenshot of each page goes to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { startSimulator, type Simulator } from '../../examples/crewai/simulator/index.js';
import { ROOT, runArazzo } from '../_helpers/cli.js';

const CHROMIUM = process.env['ARAZZO_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? undefined
  : `chromium is not installed at ${CHROMIUM} (scripts/services.sh installs it as root: apt-get install -y chromium)`;
const TOKEN = 'html-report-token-5c7e';
const ARTIFACTS = join(ROOT, 'test-artifacts');

interface JsonResult {
  readonly success: boolean;
  readonly steps: readonly { readonly stepId: string; readonly executions: number }[];
}

describe('arazzo run --html, in a real browser', { skip }, () => {
  let sim: Simulator;
  let browser: Browser;
  let dir: string;
  before(async () => {
    sim = await startSimulator({ tokens: [TOKEN], taskDurationMs: 100 });
    dir = await mkdtemp(join(tmpdir(), 'arazzo-html-'));
    await mkdir(ARTIFACTS, { recursive: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // As root in a sandbox without a network: no sandbox, no background connections.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The resume workflow with `token`, reported to `<dir>/<name>.html` and as JSON. */
  async function resume(name: string, token: string): Promise<{ file: string; json: JsonResult }> {
    const kickoffId = sim.kickoff({ topic: name });
    await sim.waitForStatus(kickoffId, 'pending_human_input', 10_000);
    const taskId = (sim.status(kickoffId) as { current_task?: string }).current_task ?? '';
    const file = join(dir, `${name}.html`);
    const run = await runArazzo([
      'run',
      'workflows/resume.yml',
      '--json',
      '--html',
      file,
      '--server',
      sim.url,
      '--poll-interval',
      '100ms',
      '--input',
      `bearerToken=${token}`,
      '--input',
      `kickoffId=${kickoffId}`,
      '--input',
      `taskId=${taskId}`,
      '--input',
      'humanFeedback=Ship it.',
      '--input',
      'isApprove=true',
    ]);
    return { file, json: JSON.parse(run.stdout) as JsonResult };
  }

  /** Opens the page with every request but the file itself refused, and counts the others. */
  async function open(file: string, viewport = { width: 1100, height: 900 }) {
    const page = await browser.newPage({ viewport });
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pathToFileURL(file).href) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    return { page, requests };
  }

  test('a run that succeeded: summary figures, one timeline row per step execution, the path in the graph', async () => {
    const { file, json } = await resume('succeeded', TOKEN);
    assert.equal(json.success, true);
    const executions = json.steps.reduce((sum, step) => sum + step.executions, 0);
    assert.ok(executions >= 4, `a poll loop ran: ${executions} executions`);

    const { page, requests } = await open(file);
    assert.deepEqual(requests, [], 'the page loads nothing');
    assert.equal(await page.locator('.count.pass').innerText(), '1 passed');
    assert.equal(await page.locator('.count.fail').innerText(), '0 failed');
    assert.equal(await page.locator('.timeline .row').count(), executions);
    assert.equal(await page.locator('details.exec').count(), executions);
    assert.equal(await page.locator('.failures').count(), 0);
    // Every step the run reached is marked in the graph, the failure exit is not.
    const visited = await page.locator('svg.graph .node.visited title').allTextContents();
    assert.deepEqual(
      visited.map((title) => title.split('\n')[0]),
      [
        '▶ resume-paused-execution',
        'inspectStatus',
        'submitFeedback',
        'pollUntilDone',
        '✔ success',
      ],
    );
    assert.ok((await page.locator('svg.graph .edge.taken').count()) >= 5);
    // An exchange opens with one click: the request with its headers, the token masked.
    await page.locator('details.exec summary').nth(1).click();
    const exchange = page.locator('details.exec').nth(1);
    assert.ok(await exchange.locator('text=POST').first().isVisible());
    assert.match(await exchange.innerText(), /authorization\s+\*\*\*/i);
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-succeeded.png'), fullPage: true });
    await page.close();
    assert.ok(
      !(await readFile(file, 'utf8')).includes(TOKEN),
      'the token is in no byte of the file',
    );
  });

  test('a run that failed: listed first, its reason visible after one click, readable on a phone', async () => {
    const { file, json } = await resume('failed', 'wrong-token-0b9d');
    assert.equal(json.success, false);
    const { page } = await open(file, { width: 390, height: 844 });
    assert.equal(await page.locator('.count.fail').innerText(), '1 failed');
    const link = page.locator('.failures a').first();
    assert.match(await link.innerText(), /inspectStatus/);
    await link.click();
    const failed = page.locator('details.exec.fail').first();
    const reason = failed.locator('.reasons li').first();
    assert.ok(await reason.isVisible());
    assert.match(await reason.innerText(), /401/);
    assert.ok(await reason.evaluate((el) => el.getBoundingClientRect().top < window.innerHeight));
    // Nothing wider than the phone's screen but the graph's own scroll box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 390, `page width ${overflow}`);
    await page.screenshot({
      path: join(ARTIFACTS, 'html-report-failed-phone.png'),
      fullPage: true,
    });
    await page.close();
    assert.ok(!(await readFile(file, 'utf8')).includes('wrong-token-0b9d'));
  });
});
