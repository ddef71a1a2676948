/**
 * An `asyncapi` source description (Arazzo 1.1 §Source Description Object `type`: "openapi" or
 * "asyncapi" or "arazzo") read as plain data: enough for `validate` to check that a step's
 * `operationId` or `channelPath` names something the document has (1.1 §Step Object: "The
 * operation being referenced MUST be described within one of the `sourceDescriptions`
 * descriptions"). Nothing here talks to a broker, dereferences the document's `$ref`s or checks it
 * against the AsyncAPI schema: that is the AsyncAPI runtime's job, not this reader's.
 *
 * Operations are AsyncAPI 3.x `operations` keys (AsyncAPI 3.0 §Operations Object: "The key is
 * the operation's identifier"); in an AsyncAPI 2.x document, the `operationId` of a channel's
 * `publish` / `subscribe` operation.
 */
import { $RefParser } from '@apidevtools/json-schema-ref-parser';
import { isRecord } from '../document/guards.js';

/** One operation of an AsyncAPI document. */
export interface AsyncApiOperation {
  readonly id: string;
  /** AsyncAPI 3.x `action` (`send` / `receive`) as written; 2.x `publish` / `subscribe`. */
  readonly action: string | undefined;
}

export interface LoadedAsyncApiSource {
  readonly kind: 'asyncapi';
  readonly name: string;
  /** The source's URL, resolved (as for the other kinds). */
  readonly url: string;
  /** The `asyncapi` field: `3.0.0`, `2.6.0`, … */
  readonly version: string;
  readonly document: Readonly<Record<string, unknown>>;
  readonly operations: ReadonlyMap<string, AsyncApiOperation>;
  /** The document with its internal `$ref`s resolved; a string says why it could not be. */
  readonly dereferenced: Readonly<Record<string, unknown>> | string;
}

/** Reads a parsed document as an AsyncAPI source; throws when it is not one. */
export async function asyncApiSource(
  name: string,
  url: string,
  data: unknown,
): Promise<LoadedAsyncApiSource> {
  if (!isRecord(data) || typeof data['asyncapi'] !== 'string') {
    throw new Error(
      'not an AsyncAPI document (it has no "asyncapi" version field at the top level)',
    );
  }
  return {
    kind: 'asyncapi',
    name,
    url,
    version: data['asyncapi'],
    document: data,
    operations: indexAsyncOperations(data),
    dereferenced: await dereferenceInternal(url, data),
  };
}

async function dereferenceInternal(
  url: string,
  data: Readonly<Record<string, unknown>>,
): Promise<Readonly<Record<string, unknown>> | string> {
  try {
    const copy = structuredClone(data) as Record<string, unknown>;
    return (await new $RefParser().dereference(url, copy as never, {
      resolve: { external: false },
      dereference: { circular: 'ignore' },
    })) as Record<string, unknown>;
  } catch (error) {
    return `its $refs could not be resolved: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function indexAsyncOperations(
  document: Readonly<Record<string, unknown>>,
): Map<string, AsyncApiOperation> {
  const index = new Map<string, AsyncApiOperation>();
  const operations = document['operations'];
  if (isRecord(operations)) {
    for (const [id, operation] of Object.entries(operations)) {
      const action = isRecord(operation) ? operation['action'] : undefined;
      index.set(id, { id, action: typeof action === 'string' ? action : undefined });
    }
  }
  // AsyncAPI 2.x: operations live in the channels, named by their optional operationId.
  const channels = document['channels'];
  if (!isRecord(operations) && isRecord(channels)) {
    for (const channel of Object.values(channels)) {
      if (!isRecord(channel)) continue;
      for (const action of ['publish', 'subscribe']) {
        const operation = channel[action];
        const id = isRecord(operation) ? operation['operationId'] : undefined;
        if (typeof id === 'string') index.set(id, { id, action });
      }
    }
  }
  return index;
}

/**
 * The channel a `channelPath` pointer names (its RFC 6901 tokens): `/channels/<key>`, the key
 * being the channel's id in 3.x and its address in 2.x. Undefined when there is none.
 */
export function asyncChannelAt(
  source: LoadedAsyncApiSource,
  tokens: readonly string[],
): { readonly key: string } | undefined {
  const [channels, key, ...rest] = tokens;
  if (channels !== 'channels' || key === undefined || rest.length > 0) return undefined;
  const map = source.document['channels'];
  return isRecord(map) && Object.hasOwn(map, key) ? { key } : undefined;
}

/** The channel keys of the document, for a did-you-mean. */
export function asyncChannelKeys(source: LoadedAsyncApiSource): string[] {
  const map = source.document['channels'];
  return isRecord(map) ? Object.keys(map) : [];
}

/**
 * A step's `channelPath` taken apart: "A reference to a Source Description Object combined with
 * a JSON Pointer to reference an event channel … A Runtime Expression syntax MUST be used to
 * identify the source description document" (1.1 §Step Object), i.e.
 * `{$sourceDescriptions.<name>.url}#/channels/<key>`, as operationPath is written.
 */
export type ChannelPath =
  | { readonly ok: true; readonly sourceName: string; readonly tokens: readonly string[] }
  | { readonly ok: false; readonly message: string };

export const CHANNEL_PATH_FORM = "'{$sourceDescriptions.<name>.url}#/channels/<channel>'";

const SOURCE_URL_POINTER = /^\{\$sourceDescriptions\.([A-Za-z0-9_-]+)\.url\}#(.*)$/s;

export function parseChannelPath(value: string): ChannelPath {
  const form = `channelPath must have the form ${CHANNEL_PATH_FORM}`;
  const parsed = parseSourcePointer(value);
  if (parsed === undefined) return { ok: false, message: form };
  if (parsed.tokens === undefined) {
    return { ok: false, message: 'the fragment of channelPath is not valid percent-encoding' };
  }
  if (parsed.tokens[0] !== 'channels' || parsed.tokens.length !== 2) {
    return { ok: false, message: form };
  }
  return { ok: true, sourceName: parsed.sourceName, tokens: parsed.tokens };
}

/**
 * `{$sourceDescriptions.<name>.url}#<pointer>`: the source name and the pointer's tokens
 * (undefined when the fragment is not a percent-encoded JSON pointer); undefined for another form.
 */
export function parseSourcePointer(
  value: string,
): { readonly sourceName: string; readonly tokens: readonly string[] | undefined } | undefined {
  const [, sourceName, fragment] = SOURCE_URL_POINTER.exec(value) ?? [];
  if (sourceName === undefined || fragment === undefined) return undefined;
  let pointer: string;
  try {
    pointer = decodeURIComponent(fragment);
  } catch {
    return { sourceName, tokens: undefined };
  }
  if (!pointer.startsWith('/')) return { sourceName, tokens: undefined };
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
  return { sourceName, tokens };
}
