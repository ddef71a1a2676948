/**
 * `npm run demo:pets`: the Arazzo 1.1 specification's pet-purchase workflow end to end, over
 * HTTP and MQTT 5. It starts a broker (broker.ts: mosquitto on a free loopback port, or
 * ARAZZO_DEMO_MQTT_URL), the bundled pet store (store.ts) and order service
 * (order-service.ts), then runs `arazzo run examples/pet-purchase/pet-purchase.arazzo.yaml` as
 * a user would: log in → find an available pet → send placeOrder on place-order → receive the
 * confirmOrder on confirm-order that carries the order's correlation id. Exits with the run's
 * exit code; everything it started is stopped.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BrokerUnavailableError, shownUrl, startDemoBroker, type DemoBroker } from './broker.js';
import {
  CONFIRM_ORDER,
  PLACE_ORDER,
  startOrderService,
  type OrderService,
} from './order-service.js';
import { DEMO_USER, startPetStore, type PetStore } from './store.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const DOCUMENT = 'examples/pet-purchase/pet-purchase.arazzo.yaml';

async function main(): Promise<number> {
  let broker: DemoBroker;
  try {
    broker = await startDemoBroker();
  } catch (error) {
    return unavailable(error);
  }
  let store: PetStore | undefined;
  let service: OrderService | undefined;
  try {
    console.log(`MQTT 5 broker: ${broker.description} at ${shownUrl(broker.url)}`);
    store = await startPetStore();
    const available = store.pets.filter((pet) => pet.status === 'available');
    console.log(
      `pet store (loginUser, findPetsByStatus) at ${store.url}; available: ${available.map((pet) => `${pet.name} (${pet.id})`).join(', ')}`,
    );
    const lines: string[] = [];
    try {
      service = await startOrderService({
        brokerUrl: broker.url,
        store,
        log: (line) => lines.push(line),
      });
    } catch (error) {
      return unavailable(error);
    }
    console.log(
      `order service: receives placeOrder on ${PLACE_ORDER}, sends confirmOrder on ${CONFIRM_ORDER}`,
    );
    // The document keeps the specification's operationPath form for getPetStep on purpose.
    console.log(
      `(its one warning, operation-path-prefer-id, is the specification's own form: see the document's header)\n`,
    );

    const args = [
      'run',
      DOCUMENT,
      '--server',
      `petStoreDescription=${store.url}`,
      '--server',
      `asyncOrderApiDescription=${broker.url}`,
      '--input',
      `username=${DEMO_USER.username}`,
      '--input',
      `password=${DEMO_USER.password}`,
      '--input',
      `orderCorrelationId=order-${randomUUID()}`,
    ];
    const shown = args.map((arg) =>
      quote(arg.replace(DEMO_USER.password, '***').replace(broker.url, shownUrl(broker.url))),
    );
    console.log(`$ arazzo ${shown.join(' ')}\n`);
    const code = await runCli(args);

    console.log('');
    for (const line of lines) console.log(`order service: ${line}`);
    for (const order of store.orders) {
      const pet = store.pets.find((candidate) => candidate.id === order.petId);
      console.log(
        `pet store: order ${order.id}, ${pet?.name ?? '?'} (${order.petId}) is now ${pet?.status ?? '?'}`,
      );
    }
    return code;
  } finally {
    await service?.close();
    await store?.close();
    await broker.close();
  }
}

/** A broker that cannot be started or reached: one line, exit 1 (anything else is a bug). */
function unavailable(error: unknown): number {
  if (!(error instanceof BrokerUnavailableError)) throw error;
  console.error(`demo:pets: ${error.message}`);
  return 1;
}

/** `node dist/bundle/arazzo.js <args>` from the repository root, on this terminal. */
function runCli(args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, ['dist/bundle/arazzo.js', ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  // Ctrl-C reaches the CLI too (same process group): it reports what ran and exits 130, and
  // this process stays to stop the broker and servers. SIGTERM to the demo alone is passed on.
  const onInt = (): void => undefined;
  const onTerm = (): void => void child.kill('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise<number>((resolve) => {
    child.on('exit', (exit, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(exit ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

function quote(arg: string): string {
  return /^[\w./:=@*-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

process.exitCode = await main();
