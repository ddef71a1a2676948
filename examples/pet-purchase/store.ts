/**
 * The demo's pet store: the two operations of petstore.openapi.yaml (loginUser,
 * findPetsByStatus) on node:http, loopback only, plus the orders the order service
 * (order-service.ts) places, which mark the pet sold. State is in memory, per store.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PetStatus = 'available' | 'pending' | 'sold';

export interface Pet {
  id: number;
  name: string;
  status: PetStatus;
}

export interface Order {
  readonly id: number;
  readonly petId: number;
  /** The order's correlation id (the OrderRequest message's `orderRequestId` header). */
  readonly orderRequestId: string;
}

export interface StoreRequest {
  readonly method: string;
  /** Path and query, the password replaced by `***`. */
  readonly path: string;
  readonly authorization?: string;
  readonly status: number;
}

export interface PetStore {
  /** The server URL to pass with `--server petStoreDescription=…` (upstream's `/api/v3` base). */
  readonly url: string;
  readonly pets: readonly Pet[];
  readonly orders: readonly Order[];
  readonly requests: readonly StoreRequest[];
  /** Places an order for an available pet (and marks it sold), else says why not. */
  placeOrder(petId: number, orderRequestId: string): Order | string;
  close(): Promise<void>;
}

export interface PetStoreOptions {
  /** Default: DEMO_PETS. */
  pets?: readonly Pet[];
  /** The one account loginUser accepts. Default: DEMO_USER. */
  user?: { username: string; password: string };
}

export const DEMO_USER = { username: 'theUser', password: 'demo-password-12345' };

export const DEMO_PETS: readonly Pet[] = [
  { id: 10, name: 'doggie', status: 'available' },
  { id: 11, name: 'kitty', status: 'pending' },
  { id: 12, name: 'goldie', status: 'available' },
];

const BASE = '/api/v3';
const STATUSES: readonly string[] = ['available', 'pending', 'sold'];

export async function startPetStore(options: PetStoreOptions = {}): Promise<PetStore> {
  const pets: Pet[] = (options.pets ?? DEMO_PETS).map((pet) => ({ ...pet }));
  const user = options.user ?? DEMO_USER;
  const sessions = new Set<string>();
  const orders: Order[] = [];
  const requests: StoreRequest[] = [];
  let nextOrderId = 1001;

  const answer = (
    req: IncomingMessage,
    url: URL,
  ): { status: number; body: unknown; headers?: Record<string, string> } => {
    const path = url.pathname.startsWith(`${BASE}/`) ? url.pathname.slice(BASE.length) : undefined;
    if (req.method === 'GET' && path === '/user/login') {
      const given = url.searchParams;
      if (given.get('username') !== user.username || given.get('password') !== user.password)
        return { status: 400, body: { code: 400, message: 'Invalid username/password supplied' } };
      const token = `session-${randomUUID()}`;
      sessions.add(token);
      return {
        status: 200,
        body: token,
        headers: {
          'x-rate-limit': '5000',
          'x-expires-after': new Date(Date.now() + 3_600_000).toISOString(),
        },
      };
    }
    if (req.method === 'GET' && path === '/pet/findByStatus') {
      const token = req.headers.authorization;
      if (token === undefined || !sessions.has(token))
        return { status: 401, body: { code: 401, message: 'log in first (loginUser)' } };
      // `explode: true` repeats the parameter; a comma-separated value is accepted too.
      const wanted = url.searchParams.getAll('status').flatMap((value) => value.split(','));
      if (wanted.length === 0) wanted.push('available');
      if (wanted.some((status) => !STATUSES.includes(status)))
        return { status: 400, body: { code: 400, message: 'Invalid status value' } };
      return { status: 200, body: pets.filter((pet) => wanted.includes(pet.status)) };
    }
    return { status: 404, body: { code: 404, message: `no route ${req.method} ${url.pathname}` } };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { status, body, headers } = answer(req, url);
    const shown = new URL(url);
    if (shown.searchParams.has('password')) shown.searchParams.set('password', '***');
    requests.push({
      method: req.method ?? 'GET',
      path: `${shown.pathname}${shown.search}`,
      ...(req.headers.authorization === undefined
        ? {}
        : { authorization: req.headers.authorization }),
      status,
    });
    req.resume();
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${BASE}`,
    pets,
    orders,
    requests,
    placeOrder(petId, orderRequestId) {
      const pet = pets.find((candidate) => candidate.id === petId);
      if (pet === undefined) return `no pet ${petId}`;
      if (pet.status !== 'available') return `pet ${petId} (${pet.name}) is ${pet.status}`;
      pet.status = 'sold';
      const order = { id: nextOrderId++, petId, orderRequestId };
      orders.push(order);
      return order;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
