/**
 * The parts of undici the runner uses, each imported from its own module rather than from
 * undici's index. The index loads everything undici offers (fetch, WebSocket, EventSource,
 * cookies, mocks, cache stores, interceptors) and reads `globalThis.Headers`, which makes Node
 * load its own bundled copy of undici as well: ~35 ms of every `arazzo run` start
 * (bench/README.md). undici has no `exports` map, so these paths are public files of the
 * package; test/http/undici-parts.test.ts checks that each is the very object the index
 * exports, so an upgrade that moves one fails the build or that test, never silently.
 */
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import agent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import allErrors from 'undici/lib/core/errors.js';
import formdata from 'undici/lib/web/fetch/formdata.js';

export const Agent: typeof Undici.Agent = agent;
export const errors: typeof Undici.errors = allErrors;
export const FormData: typeof Undici.FormData = formdata.FormData;
export type FormData = Undici.FormData;

/**
 * undici's `request(url, options)` with an explicit dispatcher: the index's wrapper splits the
 * URL into origin and path the same way before it calls this function. The last split is kept:
 * a poll sends the same URL thousands of times, and parsing it cost ~9 µs per request.
 */
export function request(
  dispatcher: Dispatcher,
  url: string,
  options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
): Promise<Dispatcher.ResponseData> {
  if (url !== last.url) last = { url, ...target(url) };
  return apiRequest.call(dispatcher, { ...options, origin: last.origin, path: last.path });
}

let last = { url: '', origin: '', path: '' };

function target(url: string): { origin: string; path: string } {
  const parsed = new URL(url);
  return {
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
  };
}
