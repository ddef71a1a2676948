import type { ConnectOptions } from './types.js';

/**
 * The user and password a connection presents: the ones given, else the server URL's user info
 * (percent-decoded); and the URL without its user info, which is what the client library gets
 * so that no credential travels in a URL it might print.
 */
export function brokerCredentials(options: ConnectOptions): {
  readonly url: URL;
  readonly username: string | undefined;
  readonly password: string | undefined;
} {
  const url = new URL(options.url);
  const username =
    options.username ?? (url.username === '' ? undefined : decodeURIComponent(url.username));
  const password =
    options.password ?? (url.password === '' ? undefined : decodeURIComponent(url.password));
  url.username = '';
  url.password = '';
  return { url, username, password };
}
