/**
 * The messages a subscription has received and not yet handed out, and the receive steps
 * waiting for one. A message that arrives before anybody waits is kept (a reply may come while
 * the step that caused it is still sending: issue 15, "must not be lost"); one that matches no
 * waiter stays for the next. Pure bookkeeping; the transport pushes, steps take.
 */
import type { IncomingMessage } from './types.js';

interface Waiter {
  readonly matches: (message: IncomingMessage) => boolean;
  readonly resolve: (message: IncomingMessage | undefined) => void;
}

/** Kept messages per subscription before the oldest is dropped (a chatty channel nobody reads). */
const MAX_KEPT = 1000;

export class Inbox {
  readonly #kept: IncomingMessage[] = [];
  readonly #waiters = new Set<Waiter>();
  #closed = false;

  push(message: IncomingMessage): void {
    if (this.#closed) return;
    for (const waiter of this.#waiters) {
      if (!waiter.matches(message)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(message);
      return;
    }
    this.#kept.push(message);
    if (this.#kept.length > MAX_KEPT) this.#kept.shift();
  }

  take(
    matches: (message: IncomingMessage) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<IncomingMessage | undefined> {
    const index = this.#kept.findIndex(matches);
    if (index !== -1) return Promise.resolve(this.#kept.splice(index, 1)[0]);
    if (this.#closed || signal?.aborted === true) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (message: IncomingMessage | undefined): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
        resolve(message);
      };
      const waiter: Waiter = { matches, resolve: done };
      const onAbort = (): void => done(undefined);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  close(): void {
    this.#closed = true;
    for (const waiter of [...this.#waiters]) waiter.resolve(undefined);
    this.#waiters.clear();
    this.#kept.length = 0;
  }
}
