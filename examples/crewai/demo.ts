/**
 * `npm run demo`: the resume workflow end to end against the bundled CrewAI AMP simulator.
 * It starts the simulator on a free loopback port, kicks off a crew and waits until it pauses
 * for human review, then runs `arazzo run workflows/resume.yml` as a user would.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimulator, DEFAULT_TOKENS } from './simulator/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const token = DEFAULT_TOKENS[0] ?? 'sim-token';

const simulator = await startSimulator({ taskDurationMs: 400 });
try {
  const kickoffId = simulator.kickoff({ topic: 'Arazzo workflows' });
  console.log(`CrewAI AMP simulator at ${simulator.url}`);
  console.log(`kicked off execution ${kickoffId}; waiting for it to pause for human review…`);
  await simulator.waitForStatus(kickoffId, 'pending_human_input', 10_000);
  const status = simulator.status(kickoffId) as { current_task?: string };
  const taskId = status.current_task ?? 'draft_task';
  console.log(`paused at task ${taskId}\n`);

  const args = [
    'run',
    'workflows/resume.yml',
    '--server',
    simulator.url,
    '--input',
    `bearerToken=${token}`,
    '--input',
    `kickoffId=${kickoffId}`,
    '--input',
    `taskId=${taskId}`,
    '--input',
    'humanFeedback=Looks good; keep the summary short.',
    '--input',
    'isApprove=true',
    '--poll-interval',
    '250ms',
  ];
  console.log(
    `$ arazzo ${args.map((arg) => (arg.includes(token) ? arg.replace(token, '***') : quote(arg))).join(' ')}\n`,
  );
  const child = spawn(process.execPath, ['dist/bundle/arazzo.js', ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (exit) => resolve(exit ?? 1)),
  );
  process.exitCode = code;
} finally {
  await simulator.close();
}

function quote(arg: string): string {
  return /^[\w./:=@-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
