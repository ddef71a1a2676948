/**
 * What an AsyncAPI step sends or receives, read from a dereferenced AsyncAPI document: the
 * channel (its address and parameters), the messages it may carry, the servers it is on, and the
 * bindings for each protocol. Pure: nothing here talks to a broker (messaging/ does).
 *
 * AsyncAPI 3.0 §Operation Object: `channel` "A $ref pointer to the definition of the channel in
 * which this operation is performed"; `messages` "A list of $ref pointers pointing to the
 * supported Message Objects that can be processed by this operation … If this property is not
 * present, the operation supports all the messages defined in the channel". §Channel Object:
 * `address` "Typically the 'topic name', 'routing key', 'event type', or 'path'"; `servers`
 * "If servers is absent or empty, this channel MUST be available on all the servers defined in
 * the Servers Object". AsyncAPI 2.x: the channel key is its address; its `publish` / `subscribe`
 * operation holds one `message` (or `oneOf`).
 */
import { isRecord } from '../document/guards.js';

export type AsyncRecord = Readonly<Record<string, unknown>>;

/** AsyncAPI 3.0 §Correlation ID Object `location`: `$message.header#/…` or `$message.payload#/…`. */
export interface CorrelationLocation {
  readonly in: 'header' | 'payload';
  /** RFC 6901 pointer tokens into the headers or the payload. */
  readonly tokens: readonly string[];
  readonly text: string;
}

export interface AsyncMessageRef {
  /** Its key in the channel's `messages`, its `name`, or its index. */
  readonly name: string;
  readonly contentType: string | undefined;
  readonly correlation: CorrelationLocation | undefined;
  readonly payloadSchema: unknown;
  readonly headersSchema: unknown;
  /**
   * AsyncAPI 2.x §Message Object `schemaFormat` (the payload's format), as written; in 3.0 the
   * format is on a Multi Format Schema Object instead (asyncapi-schema.ts reads both).
   */
  readonly schemaFormat: string | undefined;
}

export interface AsyncServerRef {
  readonly name: string;
  readonly protocol: string;
  /** `<protocol>://<host><pathname>`, variables at their defaults. */
  readonly url: string;
  /** The server's security schemes (AsyncAPI 3.0 §Server Object `security`), by component name. */
  readonly security: readonly AsyncSecurityRef[];
}

/** A security scheme a server requires: its `components.securitySchemes` key and `type`. */
export interface AsyncSecurityRef {
  readonly name: string;
  /** `userPassword`, `plain`, `X509`, `httpApiKey`, … as written (AsyncAPI 3.0 §Security Scheme Object). */
  readonly type: string;
}

export interface AsyncOperationRef {
  readonly sourceName: string;
  /** The operation's key (3.x) or operationId (2.x); undefined for a step naming a channel. */
  readonly operationId: string | undefined;
  readonly channelKey: string;
  /** With `{parameter}` placeholders; undefined when the channel's address is null (dynamic). */
  readonly address: string | undefined;
  /** The channel's parameters: their defaults and allowed values (AsyncAPI 3.0 §Parameter Object). */
  readonly parameters: ReadonlyMap<
    string,
    { readonly default?: string; readonly enum?: readonly string[] }
  >;
  readonly messages: readonly AsyncMessageRef[];
  readonly servers: readonly AsyncServerRef[];
  /** The channel's bindings with the operation's over them, per protocol. */
  readonly bindings: AsyncRecord;
  /** The dereferenced document, which a schema's circular `$ref`s still point into. */
  readonly document: AsyncRecord;
}

export type AsyncResolution =
  | { readonly ok: true; readonly operation: AsyncOperationRef }
  | { readonly ok: false; readonly message: string };

/** What a step names: an operation by id (`operations` key in 3.x, `operationId` in 2.x) or a channel by key. */
export type AsyncLookup = { readonly operationId: string } | { readonly channelKey: string };

/** A message of a channel as written, by its key in the channel's `messages` (or name, or index). */
export interface AsyncMessageEntry {
  readonly name: string;
  readonly message: AsyncRecord;
}

/** The operation or channel a step names, before anything in its messages is read. */
export interface LocatedAsyncOperation {
  readonly operationId: string | undefined;
  readonly channelKey: string;
  readonly channel: AsyncRecord;
  /** The messages it may carry (AsyncAPI 3.0 §Operation Object `messages`, else the channel's). */
  readonly messages: readonly AsyncMessageEntry[];
  readonly operationBindings: AsyncRecord;
  readonly v2: boolean;
}

/**
 * The operation or channel `by` names and its messages as written (validate reads them here:
 * a message's own problems, such as a correlationId location that does not parse, are not
 * failures of the lookup).
 */
export function locateAsyncOperation(
  sourceName: string,
  document: AsyncRecord,
  by: AsyncLookup,
):
  | { readonly ok: true; readonly located: LocatedAsyncOperation }
  | Extract<AsyncResolution, { ok: false }> {
  const channels = isRecord(document['channels']) ? document['channels'] : {};
  const version = document['asyncapi'];
  const v2 = !(typeof version === 'string' && version.startsWith('3'));
  const found = (
    operationId: string | undefined,
    channelKey: string,
    channel: AsyncRecord,
    messages: readonly AsyncMessageEntry[],
    operationBindings: AsyncRecord,
  ) => ({
    ok: true as const,
    located: { operationId, channelKey, channel, messages, operationBindings, v2 },
  });
  if ('channelKey' in by) {
    const channel = channels[by.channelKey];
    if (!isRecord(channel))
      return fail(`AsyncAPI source "${sourceName}" has no channel "${by.channelKey}"`);
    const messages = v2 ? v2Messages(channel) : channelMessages(channel);
    return found(undefined, by.channelKey, channel, messages, {});
  }
  const { operationId } = by;
  if (v2) {
    for (const [key, channel] of Object.entries(channels)) {
      if (!isRecord(channel)) continue;
      for (const verb of ['publish', 'subscribe']) {
        const operation = channel[verb];
        if (!isRecord(operation) || operation['operationId'] !== operationId) continue;
        return found(
          operationId,
          key,
          channel,
          messagesOf(operation['message']),
          bindingsOf(operation),
        );
      }
    }
    return fail(`AsyncAPI source "${sourceName}" has no operation "${operationId}"`);
  }
  const operations = isRecord(document['operations']) ? document['operations'] : {};
  const operation = operations[operationId];
  if (!isRecord(operation))
    return fail(`AsyncAPI source "${sourceName}" has no operation "${operationId}"`);
  const channel = operation['channel'];
  // Dereferenced, the operation's channel is the very object under `channels`.
  const channelKey = Object.keys(channels).find((key) => channels[key] === channel);
  if (!isRecord(channel) || channelKey === undefined) {
    return fail(
      `operation "${operationId}" of AsyncAPI source "${sourceName}" names no channel of the document (operation "channel" must be a $ref to one)`,
    );
  }
  const own = Array.isArray(operation['messages'])
    ? operation['messages'].filter(isRecord).map((message) => named(channel, message))
    : channelMessages(channel);
  return found(operationId, channelKey, channel, own, bindingsOf(operation));
}

/** The operation or channel `by` names, with everything a run needs from it. */
export function resolveAsyncOperation(
  sourceName: string,
  document: AsyncRecord,
  by: AsyncLookup,
): AsyncResolution {
  const result = locateAsyncOperation(sourceName, document, by);
  if (!result.ok) return result;
  return channelRef(sourceName, document, result.located);
}

function channelRef(
  sourceName: string,
  document: AsyncRecord,
  located: LocatedAsyncOperation,
): AsyncResolution {
  const { operationId, channelKey, channel, messages, operationBindings, v2 } = located;
  const address = v2 ? channelKey : channel['address'];
  const defaultContentType =
    typeof document['defaultContentType'] === 'string' ? document['defaultContentType'] : undefined;
  const refs: AsyncMessageRef[] = [];
  for (const { name, message } of messages) {
    // Only internal $refs are resolved (POSITIONS §11.11): an external one is still a $ref here.
    if (typeof message['$ref'] === 'string') {
      return fail(
        `message "${name}" of channel "${channelKey}" is the external $ref ${message['$ref']}, which is not followed`,
      );
    }
    const correlation = correlationOf(message['correlationId']);
    if (typeof correlation === 'string')
      return fail(`message "${name}" of channel "${channelKey}": ${correlation}`);
    refs.push({
      name,
      contentType:
        typeof message['contentType'] === 'string' ? message['contentType'] : defaultContentType,
      correlation,
      payloadSchema: message['payload'],
      headersSchema: message['headers'],
      schemaFormat:
        typeof message['schemaFormat'] === 'string' ? message['schemaFormat'] : undefined,
    });
  }
  const bindings: Record<string, unknown> = { ...bindingsOf(channel) };
  for (const [protocol, value] of Object.entries(operationBindings)) {
    const under = bindings[protocol];
    bindings[protocol] = isRecord(under) && isRecord(value) ? { ...under, ...value } : value;
  }
  return {
    ok: true,
    operation: {
      sourceName,
      operationId,
      channelKey,
      address: typeof address === 'string' ? address : undefined,
      parameters: parametersOf(channel['parameters']),
      messages: refs,
      servers: serversOf(document, channel, v2),
      bindings,
      document,
    },
  };
}

function channelMessages(channel: AsyncRecord): AsyncMessageEntry[] {
  const messages = channel['messages'];
  if (!isRecord(messages)) return [];
  return Object.entries(messages).flatMap(([name, message]) =>
    isRecord(message) ? [{ name, message }] : [],
  );
}

/** A message of an operation by the key it has in its channel's `messages`. */
function named(channel: AsyncRecord, message: AsyncRecord): AsyncMessageEntry {
  const messages = isRecord(channel['messages']) ? channel['messages'] : {};
  const key = Object.keys(messages).find((name) => messages[name] === message);
  const name = key ?? (typeof message['name'] === 'string' ? message['name'] : 'message');
  return { name, message };
}

/** AsyncAPI 2.x: a channel's messages are those of its operations. */
function v2Messages(channel: AsyncRecord): AsyncMessageEntry[] {
  return ['publish', 'subscribe'].flatMap((verb) => {
    const operation = channel[verb];
    return isRecord(operation) ? messagesOf(operation['message']) : [];
  });
}

/** AsyncAPI 2.x §Operation Object `message`: one Message Object, or `oneOf` several. */
function messagesOf(message: unknown): AsyncMessageEntry[] {
  if (!isRecord(message)) return [];
  const list = Array.isArray(message['oneOf']) ? message['oneOf'].filter(isRecord) : [message];
  return list.map((item, index) => ({
    name: typeof item['name'] === 'string' ? item['name'] : `message ${index}`,
    message: item,
  }));
}

function bindingsOf(object: AsyncRecord): AsyncRecord {
  return isRecord(object['bindings']) ? object['bindings'] : {};
}

const LOCATION = /^\$message\.(header|payload)(?:#(.*))?$/s;

/** A message's correlation location, or why it cannot be read. */
function correlationOf(correlation: unknown): CorrelationLocation | undefined | string {
  if (!isRecord(correlation)) return undefined;
  const location = correlation['location'];
  if (typeof location !== 'string') return 'its correlationId has no location';
  return parseCorrelationLocation(location);
}

/**
 * AsyncAPI 3.0 §Correlation ID Object `location`: "A runtime expression that specifies the
 * location of the correlation ID", `$message.header#/…` or `$message.payload#/…` (AsyncAPI
 * §Runtime Expression); a string says why `location` is not one.
 */
export function parseCorrelationLocation(location: string): CorrelationLocation | string {
  const [, where, pointer] = LOCATION.exec(location) ?? [];
  if (where !== 'header' && where !== 'payload') {
    return `its correlationId location "${location}" is not $message.header#/… or $message.payload#/… (AsyncAPI 3.0 §Correlation ID Object)`;
  }
  const path = pointer ?? '';
  if (path !== '' && !path.startsWith('/'))
    return `its correlationId location "${location}" has no JSON pointer after "#"`;
  const tokens =
    path === ''
      ? []
      : path
          .slice(1)
          .split('/')
          .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
  return { in: where, tokens, text: location };
}

function parametersOf(parameters: unknown): Map<string, { default?: string; enum?: string[] }> {
  const result = new Map<string, { default?: string; enum?: string[] }>();
  if (!isRecord(parameters)) return result;
  for (const [name, parameter] of Object.entries(parameters)) {
    if (!isRecord(parameter)) continue;
    // 2.x: a Parameter Object has a `schema`; 3.0: `default` and `enum` on the parameter itself.
    const source = isRecord(parameter['schema']) ? parameter['schema'] : parameter;
    const value = source['default'];
    const allowed = Array.isArray(source['enum']) ? source['enum'].map(scalarText) : undefined;
    result.set(name, {
      ...(value === undefined ? {} : { default: scalarText(value) }),
      ...(allowed === undefined ? {} : { enum: allowed }),
    });
  }
  return result;
}

/** The servers the channel is on: its own list (3.0 `servers` $refs, 2.x names), else all. */
function serversOf(document: AsyncRecord, channel: AsyncRecord, v2: boolean): AsyncServerRef[] {
  const servers = isRecord(document['servers']) ? document['servers'] : {};
  const listed = Array.isArray(channel['servers']) ? channel['servers'] : [];
  const names = Object.keys(servers).filter(
    (name) =>
      listed.length === 0 ||
      listed.some((entry) => (v2 ? entry === name : entry === servers[name])),
  );
  return names.flatMap((name) => {
    const server = servers[name];
    if (!isRecord(server) || typeof server['protocol'] !== 'string') return [];
    const url = v2 ? server['url'] : server['host'];
    if (typeof url !== 'string') return [];
    const pathname = !v2 && typeof server['pathname'] === 'string' ? server['pathname'] : '';
    const base =
      v2 && /^[a-z][a-z0-9+.-]*:\/\//i.test(url)
        ? url
        : `${server['protocol']}://${url}${pathname}`;
    return [
      {
        name,
        protocol: server['protocol'],
        url: withDefaults(base, server['variables']),
        security: securityOf(document, server['security'], v2),
      },
    ];
  });
}

/**
 * A server's `security`: in 3.0 a list of Security Scheme Objects (here dereferenced: the scheme
 * is found by identity under `components.securitySchemes`), in 2.x a list of `{name: scopes}`.
 */
function securityOf(document: AsyncRecord, security: unknown, v2: boolean): AsyncSecurityRef[] {
  if (!Array.isArray(security)) return [];
  const components = isRecord(document['components']) ? document['components'] : {};
  const schemes = isRecord(components['securitySchemes']) ? components['securitySchemes'] : {};
  const typeOf = (scheme: unknown): string =>
    isRecord(scheme) && typeof scheme['type'] === 'string' ? scheme['type'] : '';
  return security.flatMap((entry): AsyncSecurityRef[] => {
    if (v2)
      return isRecord(entry)
        ? Object.keys(entry).map((name) => ({ name, type: typeOf(schemes[name]) }))
        : [];
    const name = Object.keys(schemes).find((key) => schemes[key] === entry);
    return name === undefined ? [] : [{ name, type: typeOf(entry) }];
  });
}

/** AsyncAPI §Server Variable Object: `{name}` in a server's host or url, at its `default`. */
function withDefaults(url: string, variables: unknown): string {
  if (!isRecord(variables)) return url;
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isRecord(variable) && variable['default'] !== undefined
      ? scalarText(variable['default'])
      : whole;
  });
}

function fail(message: string): Extract<AsyncResolution, { ok: false }> {
  return { ok: false, message };
}

/** A default or enum value as text (a number or boolean as written; anything else as JSON). */
function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
