/**
 * Where credentials come from: `--auth <scheme>=<value>` (argv), `ARAZZO_AUTH_<SCHEME>`
 * environment variables, and a JSON/YAML file (`--auth-file`), the last two keeping secrets out
 * of argv and shell history. Suggested precedence, lowest first: file, environment, `--auth`
 * (`{ ...file, ...env, ...flags }`).
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ArazzoError } from '../../errors.js';
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
  const credentials: Record<string, string> = {};
  for (const name of schemeNames) {
    const value = env[authEnvVarName(name)];
    if (value !== undefined && value !== '') credentials[name] = value;
  }
  return credentials;
}

/** `--auth name=value` (split at the first `=`: values may contain `=`). */
export function parseAuthOption(option: string): readonly [name: string, value: string] {
  const index = option.indexOf('=');
  const name = index < 0 ? '' : option.slice(0, index).trim();
  if (name === '') {
    throw new ArazzoError(
      'USAGE',
      `--auth expects <schemeName>=<value>, got "${maskValue(option)}"`,
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
 */
export async function readCredentialsFile(path: string): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ArazzoError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      code === 'ENOENT'
        ? `credentials file ${path} does not exist`
        : `cannot read credentials file ${path}: ${(error as Error).message}`,
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
  const credentials: Record<string, string> = {};
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [scheme, inner] of Object.entries(value as Record<string, unknown>)) {
        credentials[`${name}.${scheme}`] = credentialText(path, `${name}.${scheme}`, inner);
      }
    } else {
      credentials[name] = credentialText(path, name, value);
    }
  }
  return credentials;
}

/** Every secret string a report must mask: the values, and the forms they are sent in. */
export function credentialSecrets(credentials: Credentials): string[] {
  const secrets = new Set<string>();
  for (const value of Object.values(credentials)) {
    secrets.add(value);
    const separator = value.indexOf(':');
    if (separator >= 0) {
      secrets.add(value.slice(separator + 1)); // the password / client secret
      secrets.add(Buffer.from(value, 'utf8').toString('base64')); // as http basic sends it
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

/** An --auth option in an error message: the name, never the secret. */
function maskValue(option: string): string {
  return option.length <= 3 ? option : `${option.slice(0, 3)}…`;
}
