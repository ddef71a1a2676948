/**
 * Embedding the engine: run the CrewAI resume workflow from code, against the bundled
 * simulator, with a typed event listener and an AbortSignal. Run it with
 * `npm run build && node dist/examples/embed-engine.js`.
 *
 * In your own project, import from the package instead: `import { openDocument, runWorkflow } from 'arazzo'`.
 */
import { openDocument, runWorkflow, type RunEvent } from '../src/index.js';
import { startSimulator } from './crewai/simulator/index.js';

const simulator = await startSimulator({ tokens: ['example-token'], taskDurationMs: 50 });
try {
  // A paused execution to resume.
  const kickoffId = simulator.kickoff({ topic: 'embedding' });
  await simulator.waitForStatus(kickoffId, 'pending_human_input');

  const document = await openDocument('workflows/resume.yml');
  const seen: string[] = [];
  const result = await runWorkflow(document, {
    inputs: {
      bearerToken: 'example-token',
      kickoffId,
      taskId: 'draft_task',
      humanFeedback: 'Approved from code',
      isApprove: true,
    },
    servers: { crewaiAmpApi: simulator.url },
    pollIntervalMs: 20,
    signal: AbortSignal.timeout(30_000),
    onEvent: (event: RunEvent) => {
      if (event.type === 'step-finished') seen.push(`${event.stepId} ${event.statusCode ?? '-'}`);
    },
  });

  console.log(`steps: ${seen.join(', ')}`);
  console.log(`success: ${result.success}, finalStatus: ${String(result.outputs['finalStatus'])}`);
  process.exitCode = result.success ? 0 : 1;
} finally {
  await simulator.close();
}
