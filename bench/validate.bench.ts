/**
 * Validation throughput (documents per second): `node dist/bench/validate.bench.js`.
 *
 * - the resume workflow (`workflows/resume.yml`, or the seed YAML when it does not exist yet),
 *   fully: parse, schema, sources loaded (the local CrewAI OpenAPI), every rule;
 * - the same without loading sources (`resolveSources: false`);
 * - a generated document of 200 workflows × 20 steps (about 4,000 steps, 16,000 expressions),
 *   with its source loaded.
 * Each case runs for at least ~1.5 s after a warm-up; the schema is compiled once per process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { parseArazzoText } from '../src/document/load-document.js';
import { validateLoaded, type ValidateOptions } from '../src/validate/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const resumePath = `${root}workflows/resume.yml`;
const seedPath = `${root}../shared/seeds/crewai-resume-paused-execution-arazzo.txt`;

function resumeText(): { text: string; origin: string } {
  if (existsSync(resumePath))
    return { text: readFileSync(resumePath, 'utf8'), origin: 'workflows/resume.yml' };
  const seed = readFileSync(seedPath, 'utf8');
  return {
    text: seed.slice(seed.indexOf('arazzo: 1.0.1')),
    origin: 'seed YAML (workflows/resume.yml not found)',
  };
}

function generated(workflows: number, steps: number): string {
  const doc = {
    arazzo: '1.0.1',
    info: { title: 'Generated', version: '1.0.0', description: 'Throughput benchmark document.' },
    sourceDescriptions: [
      { name: 'crew', url: '../openapi/crewai-amp-rest-api-openapi.yml', type: 'openapi' },
    ],
    workflows: Array.from({ length: workflows }, (_, w) => ({
      workflowId: `workflow-${w}`,
      description: `Generated workflow ${w}.`,
      inputs: {
        type: 'object',
        properties: { token: { type: 'string' }, kickoffId: { type: 'string' } },
      },
      steps: Array.from({ length: steps }, (_, s) => ({
        stepId: `step-${s}`,
        description: `Step ${s}.`,
        operationId: 'getKickoffStatus',
        parameters: [
          { name: 'Authorization', in: 'header', value: 'Bearer {$inputs.token}' },
          {
            name: 'kickoff_id',
            in: 'path',
            value: s === 0 ? '$inputs.kickoffId' : `$steps.step-${s - 1}.outputs.id`,
          },
        ],
        successCriteria: [
          { condition: '$statusCode == 200' },
          { context: '$response.body', type: 'jsonpath', condition: '$.status' },
        ],
        outputs: { id: '$response.body#/kickoff_id', status: '$response.body#/status' },
        ...(s === steps - 1
          ? {}
          : {
              onSuccess: [
                {
                  name: 'loop',
                  type: 'goto',
                  stepId: `step-${s}`,
                  criteria: [{ condition: "$response.body#/status == 'running'" }],
                },
              ],
            }),
      })),
      outputs: { last: `$steps.step-${steps - 1}.outputs.status` },
    })),
  };
  return stringify(doc);
}

async function measure(
  label: string,
  text: string,
  url: string,
  options: ValidateOptions,
): Promise<void> {
  let parseMs = 0;
  let validateMs = 0;
  const once = async () => {
    const t0 = performance.now();
    const loaded = parseArazzoText(text, 'bench.yml', url);
    const t1 = performance.now();
    const result = await validateLoaded(loaded, options);
    validateMs += performance.now() - t1;
    parseMs += t1 - t0;
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0)
      throw new Error(`${label}: unexpected errors: ${JSON.stringify(errors.slice(0, 3))}`);
  };
  for (let i = 0; i < 3; i++) await once();
  parseMs = 0;
  validateMs = 0;
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < 1500 || count < 3) {
    await once();
    count++;
  }
  const total = parseMs + validateMs;
  const kib = Math.round(Buffer.byteLength(text) / 1024);
  console.log(
    `${label.padEnd(48)} ${((count * 1000) / total).toFixed(1).padStart(7)} docs/s` +
      `  ${(total / count).toFixed(2).padStart(8)} ms/doc = parse ${(parseMs / count).toFixed(2)} + validate ${(validateMs / count).toFixed(2)}` +
      `  (${kib} KiB, ${count} runs)`,
  );
}

const workflowUrl = pathToFileURL(resumePath).href;
const resume = resumeText();
console.log(`arazzo validate throughput (Node ${process.version}); resume = ${resume.origin}`);
const start = performance.now();
await validateLoaded(parseArazzoText(resume.text, 'bench.yml', workflowUrl), {
  resolveSources: false,
});
console.log(`first validation incl. schema compile: ${(performance.now() - start).toFixed(0)} ms`);
await measure('resume workflow (sources loaded)', resume.text, workflowUrl, {});
await measure('resume workflow (resolveSources: false)', resume.text, workflowUrl, {
  resolveSources: false,
});
const large = generated(200, 20);
await measure('generated 200 workflows × 20 steps (sources)', large, workflowUrl, {});
await measure('generated 200 workflows × 20 steps (no sources)', large, workflowUrl, {
  resolveSources: false,
});
