/**
 * Where credentials come from: `--auth <scheme>=<value>` (argv), `ARAZZO_AUTH_<SCHEME>`
 * environment variables, and a JSON/YAML file (`--auth-file`), the last two keeping secrets out
 * of argv and shell history. Suggested precedence, lowest first: file, environment, `--auth`
 * (`{ ...file, ...env, ...flags }`).
 */
import { parse as parseYaml } from 'yaml';
import { readTextFile } from '../../document/read-text.js';
import { ArazzoError } from '../../errors.js';
import { encodeFormComponent } from '../percent-encode.js';
import type { Credentials } from './types.js';

/**
 * The environment variable for a scheme: `ARAZZO_AUTH_` + the name in upper snake case
 * (`bearerAuth` → `ARAZZO_AUTH_BEARER_AUTH`, `petstore_auth` → `ARAZZO_AUTH_PETSTORE_AUTH`,
 * `api-key` → `ARAZZO_AUTH_API_KEY`, `crew.bearerAuth` → `ARAZZO_AUTH_CREW_BEARER_AUTH`).
 */
export function authEnvVarName(schemeName: string): string {
  const snake = schemeName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return `ARAZZO_AUTH_${snake}`;
}

/** Credentials for `schemeNames` found in `env` (empty values are ignored). */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  schemeNames: Iterable<string>,
): Credentials {
  const credentials: [string, string][] = [];
  for (const name of schemeNames) {
    const value = env[authEnvVarName(name)];
    if (value !== undefined && value !== '') credentials.push([name, value]);
  }
  // fromEntries defines own properties: a scheme named `__proto__` is a name like any other.
  return Object.fromEntries(credentials);
}

/**
 * `--auth name=value` (split at the first `=`: values may contain `=`). A malformed option is
 * most likely a pasted secret: the error names the form expected and echoes none of it.
 */
export function parseAuthOption(option: string): readonly [name: string, value: string] {
  const index = option.indexOf('=');
  const name = index < 0 ? '' : option.slice(0, index).trim();
  if (name === '') {
    throw new ArazzoError(
      'USAGE',
      '--auth expects <schemeName>=<value> (or <source>.<schemeName>=<value>)',
    );
  }
  return [name, option.slice(index + 1)];
}

/** Several `--auth` options as Credentials (a later one for the same scheme wins). */
export function parseAuthOptions(options: readonly string[]): Credentials {
  return Object.fromEntries(options.map(parseAuthOption));
}

/**
 * A credentials file: a JSON or YAML mapping of scheme name to value, optionally grouped by
 * source (`{ petstore: { api_key: "…" } }` is `petstore.api_key`). Numbers are taken as text.
 * Read as documents and `--inputs` are: a regular file of at most 16 MiB (a device such as
 * /dev/zero has no size to check and would be read without end).
 */
export async function readCredentialsFile(path: string): Promise<Credentials> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    if (!(error instanceof ArazzoError)) throw error;
    throw new ArazzoError(
      error.code,
      error.code === 'FILE_NOT_FOUND'
        ? `credentials file ${path} does not exist`
        : `credentials file ${path}: ${error.message}`,
      { cause: error },
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text) as unknown;
  } catch (error) {
    throw new ArazzoError(
      'USAGE',
      `credentials file ${path} is neither JSON nor YAML: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ArazzoError(
      'USAGE',
      `credentials file ${path} must be a mapping of scheme name to value`,
    );
  }
  const credentials: [string, string][] = [];
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [scheme, inner] of Object.entries(value as Record<string, unknown>)) {
        credentials.push([`${name}.${scheme}`, credentialText(path, `${name}.${scheme}`, inner)]);
      }
    } else {
      credentials.push([name, credentialText(path, name, value)]);
    }
  }
  return Object.fromEntries(credentials);
}

/**
 * Warnings for bare credentials (`bearerAuth`, not `api.bearerAuth`) that more than one
 * source will receive: each source declaring a scheme of that name gets it, whatever host it
 * calls, unless a credential scoped to that source is given. One line per credential; it names
 * the sources and the scoped form, never the value. `schemesBySource`: the scheme names each
 * OpenAPI source declares.
 */
export function bareCredentialWarnings(
  credentials: Credentials,
  schemesBySource: ReadonlyMap<string, readonly string[]>,
): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(credentials)) {
    const receivers = [...schemesBySource]
      .filter(
        ([source, schemes]) =>
          schemes.includes(name) && !Object.hasOwn(credentials, `${source}.${name}`),
      )
      .map(([source]) => source);
    if (receivers.length < 2) continue;
    warnings.push(
      `the credential for "${name}" goes to every source declaring that scheme (${receivers.join(', ')}); scope it with <source>.${name}=<value>, e.g. --auth ${receivers[0] ?? ''}.${name}=…`,
    );
  }
  return warnings;
}

/** Every secret string a report must mask: the values, and the forms they are sent in. */
export function credentialSecrets(credentials: Credentials): string[] {
  const secrets = new Set<string>();
  for (const value of Object.values(credentials)) {
    secrets.add(value);
    const separator = value.indexOf(':');
    if (separator >= 0) {
      const [user, password] = [value.slice(0, separator), value.slice(separator + 1)];
      secrets.add(password); // the password / client secret
      secrets.add(Buffer.from(value, 'utf8').toString('base64')); // as http basic sends it
      // As the OAuth2 token request sends it (RFC 6749 §2.3.1: form-encoded, then base64).
      const form = `${encodeFormComponent(user)}:${encodeFormComponent(password)}`;
      secrets.add(Buffer.from(form, 'utf8').toString('base64'));
    }
  }
  secrets.delete('');
  return [...secrets];
}

function credentialText(path: string, name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ArazzoError(
    'USAGE',
    `credentials file ${path}: the value for "${name}" must be a string`,
  );
}
