/**
 * A real AMQP 0-9-1 broker for tests: `ARAZZO_TEST_AMQP_URL` when set (a broker the caller runs,
 * credentials in the URL), else Debian's rabbitmq-server, started once per test file (it takes
 * seconds) and stopped by `close`. It runs apart from any other RabbitMQ on the machine: its own
 * node name, loopback ports (AMQP, distribution, and a private epmd this helper starts and
 * stops), config, mnesia and log directories in a temp dir, and no plugins. Its users come from
 * a definitions file (no rabbitmqctl round trips): `guest` on `/`, and a second user with a
 * password that only it may use, on `/` and on its own vhost. `scripts/services.sh` installs
 * rabbitmq-server where it is missing; without it the tests that need it are skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './mosquitto.js';

export interface AmqpBroker {
  /** `guest` on vhost `/` (an external broker: the URL as given). */
  readonly url: string;
  /** Where the second user connects, without user info (undefined for an external broker). */
  readonly securedUrl?: string;
  /** The second user's own vhost, as a URL without user info (undefined: external). */
  readonly vhostUrl?: string;
  readonly user: string;
  readonly password: string;
  /** Milliseconds from spawning the broker to its first accepted AMQP login (0: external). */
  readonly startMs: number;
  close(): Promise<void>;
}

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const EPMD = ['/usr/bin/epmd', '/usr/lib/erlang/bin/epmd'];
const START_BOUND_MS = 60_000;

/** Why there is no AMQP broker to test against, or undefined when there is one. */
export function amqpUnavailable(): string | undefined {
  if (process.env['ARAZZO_TEST_AMQP_URL']) return undefined;
  if (existsSync(SERVER) && epmdPath() !== undefined) return undefined;
  return 'rabbitmq-server is not installed (scripts/services.sh installs it when run as root: apt-get install -y rabbitmq-server)';
}

function epmdPath(): string | undefined {
  return EPMD.find((path) => existsSync(path));
}

export async function startRabbitMq(): Promise<AmqpBroker> {
  const user = 'arazzo-test';
  const password = 'amqp-secret-5d1e';
  const external = process.env['ARAZZO_TEST_AMQP_URL'];
  if (external)
    return { url: external, user, password, startMs: 0, close: () => Promise.resolve() };
  const epmd = epmdPath();
  if (!existsSync(SERVER) || epmd === undefined) throw new Error(amqpUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-amqp-'));
  const [amqpPort, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const vhost = 'arazzo-test';
  writeFileSync(
    join(dir, 'definitions.json'),
    JSON.stringify({
      users: [
        { name: 'guest', ...passwordHash('guest'), tags: 'administrator' },
        { name: user, ...passwordHash(password), tags: '' },
      ],
      vhosts: [{ name: '/' }, { name: vhost }],
      permissions: [
        { user: 'guest', vhost: '/', configure: '.*', write: '.*', read: '.*' },
        { user, vhost: '/', configure: '.*', write: '.*', read: '.*' },
        { user, vhost, configure: '.*', write: '.*', read: '.*' },
      ],
    }),
  );
  // The classic Erlang-term config: no cuttlefish schema translation at boot.
  writeFileSync(
    join(dir, 'rabbitmq.config'),
    `[{rabbit, [{load_definitions, ${JSON.stringify(join(dir, 'definitions.json'))}},
  {log, [{file, [{level, warning}]}, {console, [{enabled, false}]}]}]}].\n`,
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    // The Erlang cookie is written under HOME: a fresh one per broker.
    HOME: dir,
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_NODENAME: `arazzo-test-${process.pid}-${randomBytes(3).toString('hex')}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    // Idle schedulers sleep instead of spinning: the machine's cores are shared (benchmarks).
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '+sbwt none +sbwtdcpu none +sbwtdio none',
  };
  const output = join(dir, 'output.log');
  const fd = openSync(output, 'a');
  // Our own epmd on a private port, started first: RabbitMQ would otherwise start a daemon one
  // that outlives it (or share the machine's on 4369 with other nodes).
  const epmdChild = spawn(epmd, ['-port', String(epmdPort)], { stdio: 'ignore' });
  let server: ChildProcess | undefined;
  const close = async (): Promise<void> => {
    // The broker first (its own process group: the script, beam and its helpers), then epmd.
    // Its data is a temp dir thrown away next: nothing to shut down cleanly, so SIGKILL.
    if (server !== undefined) await stop(server, 'group');
    await stop(epmdChild, 'process');
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await canConnect(epmdPort)) || undefined, 5000, 'epmd');
    const started = performance.now();
    const broker = spawn(SERVER, [], { env, stdio: ['ignore', fd, fd], detached: true });
    server = broker;
    const securedUrl = `amqp://127.0.0.1:${amqpPort}`;
    await waitFor(
      async () => {
        if (broker.exitCode !== null || broker.signalCode !== null)
          throw new Error(`rabbitmq-server exited (${broker.exitCode ?? broker.signalCode})`);
        // Logged in as the second user: the listener is up and the definitions are loaded.
        return (await canLogIn(securedUrl, user, password)) || undefined;
      },
      START_BOUND_MS,
      'rabbitmq-server',
    );
    return {
      url: `amqp://guest:guest@127.0.0.1:${amqpPort}`,
      securedUrl,
      vhostUrl: `${securedUrl}/${vhost}`,
      user,
      password,
      startMs: Math.round(performance.now() - started),
      close,
    };
  } catch (error) {
    const tail = logTail(dir, output);
    await close();
    throw new Error(`${(error as Error).message}; its log ends:\n${tail}`, { cause: error });
  }
}

/** RabbitMQ's rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)). */
function passwordHash(password: string): { password_hash: string; hashing_algorithm: string } {
  const salt = randomBytes(4);
  const digest = createHash('sha256').update(salt).update(password, 'utf8').digest();
  return {
    password_hash: Buffer.concat([salt, digest]).toString('base64'),
    hashing_algorithm: 'rabbit_password_hashing_sha256',
  };
}

async function canLogIn(url: string, username: string, password: string): Promise<boolean> {
  const amqp = await import('amqplib');
  try {
    const model = await amqp.connect(url, {
      timeout: 1000,
      credentials: amqp.credentials.plain(username, password),
    });
    model.on('error', () => undefined);
    await model.close();
    return true;
  } catch {
    return false;
  }
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(
  ready: () => Promise<true | undefined>,
  boundMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + boundMs;
  while ((await ready()) === undefined) {
    if (Date.now() > until) throw new Error(`${what} did not come up within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `group`: a detached child leads its own process group, which goes with it (beam, helpers). */
async function stop(child: ChildProcess, what: 'group' | 'process'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (what === 'group') process.kill(-child.pid, 'SIGKILL');
  else child.kill('SIGTERM');
  await exited;
}

function logTail(dir: string, output: string): string {
  const lines: string[] = [];
  const logs = join(dir, 'log');
  const files = existsSync(logs) ? readdirSync(logs).map((name) => join(logs, name)) : [];
  for (const file of [output, ...files]) {
    try {
      lines.push(...readFileSync(file, 'utf8').split('\n').slice(-20));
    } catch {
      // Not written (yet): nothing to show from it.
    }
  }
  return lines.join('\n');
}
