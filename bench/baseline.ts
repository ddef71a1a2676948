/**
 * The reference for the poll benchmark: the requests `arazzo run bench/poll.arazzo.yaml` sends,
 * written by hand with undici. `node dist/bench/baseline.js <baseUrl> [maxPolls]`.
 *
 * Same requests as the runner, byte for byte on the wire (the bench checks this against the
 * server's record): `GET /status/job-1` with `Authorization: Bearer t`; `POST /resume` with
 * `Authorization`, `content-type: application/json` and the body
 * `{"id":"job-1","note":"resume job-1 after running"}`; then `GET /status/job-1` until the
 * status is no longer `running`. Same client set-up as the runner's transport: one keep-alive
 * undici Agent, bodies read and parsed as JSON. No timeouts, events, reports or expressions:
 * what a person would write for this one API. Prints one line; exit 0 when the job completed.
 */
import { Agent, request } from 'undici';

interface Status {
  readonly status?: string;
  readonly result?: { readonly output?: string };
}

const base = process.argv[2];
const maxPolls = Number.parseInt(process.argv[3] ?? '1000000', 10);
if (base === undefined || !Number.isSafeInteger(maxPolls) || maxPolls < 1) {
  process.stderr.write('usage: node dist/bench/baseline.js <baseUrl> [maxPolls]\n');
  process.exit(2);
}

const token = 't';
const jobId = 'job-1';
const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
const statusUrl = `${base}/status/${encodeURIComponent(jobId)}`;
const auth = { Authorization: `Bearer ${token}` };

async function getStatus(): Promise<Status> {
  const response = await request(statusUrl, { method: 'GET', headers: auth, dispatcher });
  if (response.statusCode !== 200) throw new Error(`GET /status: ${response.statusCode}`);
  return (await response.body.json()) as Status;
}

try {
  const initial = await getStatus();
  const resumed = await request(`${base}/resume`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ id: jobId, note: `resume ${jobId} after ${initial.status}` }),
    dispatcher,
  });
  const answer = (await resumed.body.json()) as Status;
  if (resumed.statusCode !== 200 || answer.status !== 'resumed') {
    throw new Error(`POST /resume: ${resumed.statusCode} ${answer.status}`);
  }
  let polls = 0;
  let last: Status;
  do {
    last = await getStatus();
    polls += 1;
  } while (last.status === 'running' && polls < maxPolls);
  process.stdout.write(
    `baseline: ${polls} polls, finalStatus=${last.status} result=${last.result?.output}\n`,
  );
  process.exitCode = last.status === 'completed' ? 0 : 1;
} catch (error) {
  process.stderr.write(`baseline: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await dispatcher.close();
}
