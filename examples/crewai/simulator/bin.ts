#!/usr/bin/env node
/**
 * CLI for the CrewAI AMP simulator:
 *   node dist/examples/crewai/simulator/bin.js [--port 4010] [--host 127.0.0.1] [--token sim-token] [--task-ms 200]
 * Prints its URL and a ready-made curl example, logs one line per request, stops on SIGINT/SIGTERM.
 */

import { parseArgs } from 'node:util';

import { DEFAULT_REQUIRED_INPUTS, DEFAULT_TASK_DURATION_MS, DEFAULT_TOKENS } from './defaults.js';
import { startSimulator } from './server.js';

const USAGE = `Usage: node dist/examples/crewai/simulator/bin.js [options]

A local, stateful simulator of a crew's CrewAI AMP REST API
(openapi/crewai-amp-rest-api-openapi.yml).

Options:
  --port <n>       port to listen on (default 4010; 0 picks a free one)
  --host <addr>    interface to listen on (default 127.0.0.1, loopback only)
  --token <t>      accepted bearer token; repeat for several (default ${DEFAULT_TOKENS.join(', ')})
  --task-ms <n>    duration of each simulated task in ms (default ${DEFAULT_TASK_DURATION_MS})
  -h, --help       show this help`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function nonNegativeInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    fail(`--${name} must be a non-negative integer, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string', multiple: true },
        'task-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help === true) {
    console.log(USAGE);
    return;
  }

  const port = nonNegativeInteger('port', values.port, 4010);
  if (port > 65535) fail(`--port must be at most 65535, got ${port}`);
  const taskDurationMs = nonNegativeInteger('task-ms', values['task-ms'], DEFAULT_TASK_DURATION_MS);
  const host = values.host ?? '127.0.0.1';
  const tokens = values.token ?? DEFAULT_TOKENS;
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    console.warn(`Warning: listening on ${host}, which may be reachable from other machines.`);
  }

  const simulator = await startSimulator({
    host,
    port,
    tokens,
    taskDurationMs,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });

  const token = tokens[0] ?? '';
  const auth = `-H 'Authorization: Bearer ${token}'`;
  const sampleInputs = Object.fromEntries(
    DEFAULT_REQUIRED_INPUTS.map((name) => [name, 'AI agents']),
  );
  console.log(`CrewAI AMP simulator listening on ${simulator.url}`);
  console.log(`Accepted bearer token(s): ${tokens.join(', ')}`);
  console.log('Try:');
  console.log(`  curl -s ${auth} ${simulator.url}/inputs`);
  console.log(
    `  curl -s ${auth} -H 'Content-Type: application/json' -d '${JSON.stringify({ inputs: sampleInputs })}' ${simulator.url}/kickoff`,
  );
  console.log(`  curl -s ${auth} ${simulator.url}/status/<kickoff_id>`);
  console.log(
    `  curl -s ${auth} -H 'Content-Type: application/json' -d '{"execution_id":"<kickoff_id>","task_id":"draft_task","human_feedback":"Looks good","is_approve":true}' ${simulator.url}/resume`,
  );
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    simulator.close().then(
      () => console.log('Simulator stopped.'),
      (error: unknown) => {
        console.error(`Error while stopping: ${String(error)}`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(
    `Could not start the simulator: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
