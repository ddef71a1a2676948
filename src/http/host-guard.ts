import { assertHostAllowed } from '../sources/host-patterns.js';
import type { HttpRequest, HttpResponse, HttpTransport, SendOptions } from './types.js';

/** Wraps a transport so that a request to a host outside the patterns fails before it is sent. */
export class HostGuardTransport implements HttpTransport {
  constructor(
    readonly inner: HttpTransport,
    readonly patterns: readonly string[],
  ) {}

  async send(request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
    assertHostAllowed(request.url, this.patterns, `${request.method} request`);
    return this.inner.send(request, options);
  }
}
