import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small local petstore implementing the operations of the upstream example
 * pet-coupons.openapi.yaml (test/fixtures/upstream), recording every request.
 */
export interface Petstore {
  readonly url: string;
  readonly log: string[];
  readonly orders: unknown[];
  close(): Promise<void>;
}

export async function startPetstore(): Promise<Petstore> {
  const pets = [
    { id: 7, name: 'Rex', status: 'available', tags: [{ id: 1, name: 'puppy' }] },
    { id: 9, name: 'Tom', status: 'sold', tags: [{ id: 2, name: 'cat' }] },
  ];
  const log: string[] = [];
  const orders: unknown[] = [];
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    log.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.method === 'GET' && url.pathname === '/pet/findByStatus') {
      if (!url.searchParams.has('page')) return json(res, 400, { message: 'page is required' });
      const status = url.searchParams.get('status') ?? 'available';
      return json(
        res,
        200,
        pets.filter((pet) => pet.status === status),
      );
    }
    if (req.method === 'GET' && url.pathname === '/pet/findByTags') {
      // The operation's parameter is `tags`; without it every pet matches.
      const tags = url.searchParams.getAll('tags');
      return json(
        res,
        200,
        pets.filter((pet) => tags.length === 0 || pet.tags.some((tag) => tags.includes(tag.name))),
      );
    }
    const coupons = /^\/pet\/(\d+)\/coupons$/.exec(url.pathname);
    if (req.method === 'GET' && coupons)
      return json(res, 200, { id: 1, petId: Number(coupons[1]), couponCode: 'SPRING' });
    if (req.method === 'POST' && url.pathname === '/store/order') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const order = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      if (typeof order['petId'] !== 'number')
        return json(res, 400, { message: 'petId must be an integer' });
      orders.push(order);
      return json(res, 200, { id: 1000 + orders.length, ...order });
    }
    return json(res, 404, { message: `no route ${req.method} ${url.pathname}` });
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    orders,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
