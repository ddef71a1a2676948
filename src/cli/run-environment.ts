import { resolve } from 'node:path';
import { isRecord } from '../document/guards.js';
import { ArazzoError } from '../errors.js';
import { displayUrl } from '../messaging/display-url.js';
import { BROKER_SCHEMES } from '../messaging/schemes.js';
import type { LoadedSource } from '../sources/load-sources.js';
import type { RunOptions } from '../runtime/options.js';
import { isSecretHeader } from '../report/redact.js';
import {
  bareCredentialWarnings,
  credentialSecrets,
  credentialsFromEnv,
  parseAuthOptions,
  readCredentialsFile,
} from '../http/auth/credentials.js';
import { listSecuritySchemes } from '../http/auth/security-schemes.js';
import { parseHeaderOptions } from '../http/header-option.js';
import type { CliIo } from './io.js';
import { parseCount, parseDuration, parseSize, splitAssignment } from './parse-options.js';

/**
 * The options of `run` that configure where and how a workflow runs, not what it is given:
 * servers, pacing and guards, credentials and headers. `arazzo run` and `arazzo mcp` read
 * them the same way.
 */
export interface EnvironmentOptions {
  readonly server?: readonly string[];
  readonly serverVar?: readonly string[];
  readonly maxSteps?: string;
  readonly timeout?: string;
  readonly requestTimeout?: string;
  readonly conditionTimeout?: string;
  readonly pollInterval?: string;
  readonly auth?: readonly string[];
  readonly authFile?: string;
  readonly header?: readonly string[];
  readonly checkResponses?: boolean;
  readonly allowHost?: readonly string[];
  readonly maxResponseSize?: string;
  readonly strict?: boolean;
}

/** What those options become for one document: run options, and the secrets among them. */
export interface RunEnvironment {
  readonly options: RunOptions;
  /** Credentials, secret headers and broker passwords: masked in every output. */
  readonly secrets: readonly string[];
  /** Said before the run (a bare credential reaching every source that declares its scheme). */
  readonly warnings: readonly string[];
}

/**
 * Reads the environment options for a document with these sources. `--server <name>=<url>`
 * must name one of them, unless `otherDocumentHas(name)` says another document served beside
 * this one has it (`arazzo mcp` with several files).
 */
export async function runEnvironment(
  sources: ReadonlyMap<string, LoadedSource>,
  options: EnvironmentOptions,
  io: Pick<CliIo, 'cwd' | 'env'>,
  otherDocumentHas: (name: string) => boolean = () => false,
): Promise<RunEnvironment> {
  const servers = serverOptions(sources, options.server ?? [], otherDocumentHas);
  // Credentials: file < environment < --auth (the most explicit wins).
  const schemesBySource = new Map(
    [...sources.values()].flatMap((source) =>
      source.kind === 'openapi'
        ? [[source.name, listSecuritySchemes(source.document).map((s) => s.name)] as const]
        : source.kind === 'asyncapi'
          ? [[source.name, asyncSecuritySchemes(source.document)] as const]
          : [],
    ),
  );
  const schemeNames = [...schemesBySource.values()].flat();
  const credentials = {
    ...(options.authFile === undefined
      ? {}
      : await readCredentialsFile(resolve(io.cwd, options.authFile))),
    ...credentialsFromEnv(io.env, schemeNames),
    ...parseAuthOptions(options.auth ?? []),
  };
  const headers = parseHeaderOptions(options.header ?? []);
  const serverVariables = Object.fromEntries(
    (options.serverVar ?? []).map((entry) => splitAssignment(entry, '--server-var')),
  );
  return {
    options: {
      servers,
      serverVariables,
      credentials,
      headers,
      checkResponses: options.checkResponses === true,
      strictResponses: options.strict === true,
      ...(options.allowHost === undefined ? {} : { allowHosts: options.allowHost }),
      ...limits(options),
    },
    secrets: [
      ...credentialSecrets(credentials),
      ...Object.entries(headers).flatMap(([name, value]) => (isSecretHeader(name) ? [value] : [])),
      ...Object.values(servers).flatMap(userInfoSecrets),
    ],
    warnings: bareCredentialWarnings(credentials, schemesBySource),
  };
}

function serverOptions(
  sources: ReadonlyMap<string, LoadedSource>,
  entries: readonly string[],
  otherDocumentHas: (name: string) => boolean,
): Record<string, string> {
  const servers: Record<string, string> = {};
  const named = (kind: LoadedSource['kind']): string[] =>
    [...sources.values()].filter((source) => source.kind === kind).map((source) => source.name);
  const openapiSources = named('openapi');
  const asyncapiSources = named('asyncapi');
  for (const entry of entries) {
    const named = /^([A-Za-z0-9_-]+)=(.+)$/.exec(entry);
    if (named?.[1] !== undefined && named[2] !== undefined) {
      const source = sources.get(named[1]);
      if (source === undefined) {
        if (otherDocumentHas(named[1])) continue;
        throw new ArazzoError(
          'USAGE',
          `--server: no source description named "${named[1]}" (sources: ${[...sources.keys()].join(', ')})`,
        );
      }
      servers[named[1]] =
        source.kind === 'asyncapi' ? checkBrokerUrl(named[2]) : checkUrl(named[2]);
    } else if (isBrokerUrl(entry)) {
      // A bare broker URL goes to the one AsyncAPI source, as a bare http(s) URL to the one OpenAPI source.
      const [only] = asyncapiSources;
      if (asyncapiSources.length !== 1 || only === undefined)
        throw new ArazzoError(
          'USAGE',
          `--server: the document has ${asyncapiSources.length} AsyncAPI sources; write --server <name>=<url>`,
        );
      servers[only] = checkBrokerUrl(entry);
    } else if (openapiSources.length === 1 && openapiSources[0] !== undefined) {
      servers[openapiSources[0]] = checkUrl(entry);
    } else {
      throw new ArazzoError(
        'USAGE',
        `--server: the document has ${openapiSources.length} OpenAPI sources; write --server <name>=<url>`,
      );
    }
  }
  return servers;
}

function limits(options: EnvironmentOptions): Partial<RunOptions> {
  return {
    ...(options.maxSteps === undefined
      ? {}
      : { maxSteps: parseCount(options.maxSteps, '--max-steps') }),
    ...(options.timeout === undefined
      ? {}
      : { timeoutMs: parseDuration(options.timeout, '--timeout') }),
    ...(options.requestTimeout === undefined
      ? {}
      : { requestTimeoutMs: parseDuration(options.requestTimeout, '--request-timeout') }),
    ...(options.conditionTimeout === undefined
      ? {}
      : {
          conditionTimeoutMs: parsePositiveDuration(
            options.conditionTimeout,
            '--condition-timeout',
          ),
        }),
    ...(options.maxResponseSize === undefined
      ? {}
      : { maxResponseBytes: parseSize(options.maxResponseSize, '--max-response-size') }),
    ...(options.pollInterval === undefined
      ? {}
      : { pollIntervalMs: parseDuration(options.pollInterval, '--poll-interval') }),
  };
}

function checkUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return text;
  } catch {
    throw new ArazzoError('USAGE', `--server: "${text}" is not an http(s) URL`);
  }
}

/** The password in a `--server` URL's user info (a broker's credentials), as written and decoded. */
function userInfoSecrets(text: string): string[] {
  try {
    const { password } = new URL(text);
    if (password === '') return [];
    return [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}

/** An AsyncAPI source's server (`mqtt://…`, `amqp://…`, `nats://…`, `ws://…`); never echoes user info. */
function isBrokerUrl(text: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  return scheme !== undefined && BROKER_SCHEMES.has(scheme);
}

/** The `components.securitySchemes` names of an AsyncAPI document (for `ARAZZO_AUTH_*`). */
function asyncSecuritySchemes(document: Readonly<Record<string, unknown>>): string[] {
  const components = document['components'];
  const schemes = isRecord(components) ? components['securitySchemes'] : undefined;
  return isRecord(schemes) ? Object.keys(schemes) : [];
}

function checkBrokerUrl(text: string): string {
  try {
    new URL(text);
    return text;
  } catch {
    throw new ArazzoError('USAGE', `--server: the broker URL ${displayUrl(text)} is not a URL`);
  }
}

/** A duration that must be more than zero (a zero bound would fail every condition). */
function parsePositiveDuration(text: string, flag: string): number {
  const ms = parseDuration(text, flag);
  if (ms > 0) return ms;
  throw new ArazzoError('USAGE', `${flag}: "${text}" must be more than 0`);
}
