import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ArazzoError } from '../errors.js';
import { parseSourceText } from '../document/source-text.js';
import { FetchBudget, fetchRemote, isRemoteUrl } from './fetch-remote.js';
import { isOpenApi32, type OpenApiDocument } from './openapi-types.js';
import { tolerateExtensionRefs, type NotFetched, type UnresolvedRef } from './extension-refs.js';
import { notFetched, remoteRefsOf } from './unfetched-refs.js';

/**
 * How swagger-parser (json-schema-ref-parser underneath) may fetch the `$ref`s of one OpenAPI
 * description. Its own resolvers are replaced where they could do harm:
 *
 * - http(s) `$ref`s go through `fetchRemote`, like source descriptions: redirects followed by
 *   hand with every hop checked against `--allow-host`, and one deadline and byte allowance for
 *   all the remote `$ref`s of the description (ref-parser's own fetch follows redirects
 *   unchecked and reads bodies whole, after decompression).
 * - A document fetched over http(s) may refer only to http(s) URLs: it must never make the runner
 *   read a local file. Its `$ref`s are checked as soon as it is parsed, before ref-parser follows
 *   any of them, so the rule holds however deep the chain (local → remote → `file:` is refused).
 *   When the description itself is remote, ref-parser's file resolver is switched off as well.
 *
 * Our rule for hosts is the one for source descriptions: any host unless `--allow-host` is given
 * (README "Security"). ref-parser's `safeUrlResolver` guesses "internal" from the URL text and
 * never sees redirects; it is not used.
 *
 * - Under `remote: false` (`--no-remote`) no http(s) `$ref` is fetched: the description loads
 *   with each one left unresolved (unfetched-refs.ts), reported by the caller.
 *
 * swagger-parser refuses OpenAPI 3.2 ("Unsupported OpenAPI version"); a 3.2 description goes to
 * openapi-32.ts instead, with the same options, loaded only then (its schema is large).
 */
export async function dereferenceDescription(
  url: string,
  data: unknown,
  options: {
    readonly allowHosts?: readonly string[];
    readonly signal?: AbortSignal;
    readonly remote?: boolean;
  },
): Promise<{ document: OpenApiDocument; unresolved: readonly UnresolvedRef[] }> {
  const refs = new RemoteRefs(url, options);
  try {
    refs.checkRoot(data);
    const path = url.startsWith('file:') ? fileURLToPath(url) : url;
    // Read before ref-parser replaces them: the `$ref`s to put back if they are not fetched.
    const skipped: NotFetched | undefined =
      options.remote === false
        ? { urls: refs.notFetched, root: path, written: remoteRefsOf(data, url) }
        : undefined;
    // A `$ref` that does not resolve inside an `x-` extension is not fatal (extension-refs.ts).
    const result =
      typeof data === 'object' && data !== null && isOpenApi32(data)
        ? await (await import('./openapi-32.js')).dereference32(path, data, refs.options(), skipped)
        : await tolerateExtensionRefs(
            async () =>
              (await SwaggerParser.dereference(path, data as never, {
                dereference: { circular: 'ignore' },
                continueOnError: true,
                ...refs.options(),
              })) as OpenApiDocument,
            skipped,
          );
    refs.finish();
    return result;
  } catch (error) {
    refs.finish();
    throw error;
  }
}

class RemoteRefs {
  readonly #root: string;
  readonly #allowHosts: readonly string[] | undefined;
  readonly #budget: FetchBudget;
  readonly #remote: boolean;
  /** Under `remote: false`: the http(s) documents the `$ref`s named, none of them fetched. */
  readonly notFetched = new Set<string>();
  #failure: Error | undefined;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    root: string,
    options: { allowHosts?: readonly string[]; signal?: AbortSignal; remote?: boolean },
  ) {
    this.#root = root;
    this.#allowHosts = options.allowHosts;
    this.#remote = options.remote !== false;
    this.#budget = new FetchBudget({
      sharedBy: root.startsWith('file:') ? fileURLToPath(root) : root,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** Checks the description's own data (when it is remote) before ref-parser sees it. */
  checkRoot(data: unknown): void {
    if (isRemoteUrl(this.#root)) assertOnlyRemoteRefs(data, this.#root);
  }

  /** The resolver and parser options for `SwaggerParser.dereference`. */
  options(): Pick<SwaggerParser.Options, 'resolve' | 'parse'> {
    return {
      resolve: {
        // Never read a local file for a remote description, whatever its `$ref`s look like.
        ...(isRemoteUrl(this.#root) ? { file: false } : {}),
        http: false,
        remote: {
          order: 200,
          canRead: (file: { url: string }) => isRemoteUrl(file.url),
          read: (file: { url: string }) => this.#read(file.url),
        },
      },
      parse: {
        // Runs before ref-parser's parsers (order 100–400) for every http(s) document and never
        // fails: a failing parser would hand the text to the next parser, unchecked.
        remote: {
          order: 1,
          allowEmpty: true,
          canParse: (file: { url: string }) => isRemoteUrl(file.url),
          parse: (file: { url: string; data: unknown }) => this.#parse(file.url, file.data),
        },
      },
    };
  }

  /**
   * Ends the `$ref` downloads still running and settles the dereference: the first refusal or
   * download failure wins over ref-parser's wording of it (which loses our message).
   */
  finish(): void {
    this.#budget.close();
    if (this.#failure) throw this.#failure;
  }

  #fail(error: unknown): void {
    this.#failure ??=
      error instanceof Error ? error : new ArazzoError('SOURCE_LOAD_FAILED', String(error));
    this.#budget.close();
  }

  async #read(url: string): Promise<Buffer> {
    // Not a failure of the description: the caller reports each such `$ref` (extension-refs.ts).
    if (!this.#remote) {
      this.notFetched.add(url);
      throw notFetched(url);
    }
    await this.#slot();
    try {
      if (this.#failure) throw this.#failure;
      return await fetchRemote(url, {
        what: 'fetching a remote $ref',
        allowHosts: this.#allowHosts,
        budget: this.#budget,
      });
    } catch (error) {
      this.#fail(error);
      throw error;
    } finally {
      this.#release();
    }
  }

  #parse(url: string, data: unknown): unknown {
    try {
      if (this.#failure) return '';
      // Files ref-parser reads as text or bytes (its text and binary parsers) hold no `$ref`s.
      if (TEXT_FILE.test(url)) return Buffer.isBuffer(data) ? data.toString('utf8') : data;
      if (BINARY_FILE.test(url)) return data;
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      // The parser of the description itself: the same YAML 1.2 rules and alias/depth limits.
      const parsed = parseSourceText(text, url).data;
      assertOnlyRemoteRefs(parsed, url);
      return parsed;
    } catch (error) {
      this.#fail(error);
      return '';
    }
  }

  /** At most a few downloads at once: a description with 10,000 `$ref`s opens no 10,000 sockets. */
  async #slot(): Promise<void> {
    if (this.#running >= MAX_PARALLEL) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#running += 1;
  }

  #release(): void {
    this.#running -= 1;
    this.#waiting.shift()?.();
  }
}

const MAX_PARALLEL = 6;
/** ref-parser's text and binary parsers pick files by these extensions (parsers/text.js, binary.js). */
const TEXT_FILE = /\.(txt|htm|html|md|xml|js|min|map|css|scss|less|svg)$/i;
const BINARY_FILE = /\.(jpeg|jpg|gif|png|bmp|ico)$/i;

/**
 * Throws when a `$ref` in `data`, a document loaded from the http(s) URL `base`, resolves to
 * anything but http(s): a `file:` URL, or a string ref-parser would read as a path (`C:/x`,
 * `a:b`). The walk is ref-parser's own (`resolve-external.js` crawl): every object and array,
 * an object with a non-empty string `$ref` not starting with `#` is external, resolved with
 * backslashes read as slashes against the document's URL.
 */
export function assertOnlyRemoteRefs(data: unknown, base: string): void {
  const target = firstLocalRef(data, base);
  if (target !== undefined) throw localRefused(base, target);
}

export function firstLocalRef(data: unknown, base: string): string | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node) || seen.has(node)) {
      continue;
    }
    seen.add(node);
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.length > 0 && !ref.startsWith('#')) {
      const target = resolveLikeRefParser(ref, base);
      if (target === undefined || !isRemoteUrl(target)) return target ?? ref;
    }
    for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
  }
  return undefined;
}

function resolveLikeRefParser(ref: string, base: string): string | undefined {
  try {
    const resolved = new URL(ref.replaceAll('\\', '/'), base.replaceAll('\\', '/'));
    resolved.hash = '';
    return resolved.href;
  } catch {
    return undefined;
  }
}

/** The refusal: names the remote document and what it asked for (never any file content). */
export function localRefused(document: string, target: string): ArazzoError {
  return new ArazzoError(
    'SOURCE_LOAD_FAILED',
    `${document} is remote, so it cannot refer to ${target}: a document loaded over http(s) may name only http(s) URLs, never local files`,
  );
}
