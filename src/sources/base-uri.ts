/**
 * The base URI of an Arazzo document and what its relative references resolve to (1.1
 * §Establishing the Base URI; POSITIONS §11.7). Pure: RFC 3986 resolution is WHATWG `URL`'s.
 *
 * A 1.1 document with `$self` is based on its `$self` (a relative one first resolved against
 * the retrieval URI); any other document — a 1.0.x one included, where `$self` is no field — on
 * its retrieval URI (a local file's `file:` URL, or the http(s) URL it was fetched from).
 */
import type { SpecVersion } from '../document/constants.js';

/** The parts of a loaded document the base URI depends on (a `LoadedDocument` has them). */
export interface BaseUriInput {
  /** The retrieval URI: absolute `file:` or http(s) URL. */
  readonly url: string;
  readonly version: SpecVersion;
  readonly document: unknown;
}

export type DocumentBase =
  | {
      readonly ok: true;
      /** What relative references in the document resolve against. */
      readonly base: string;
      /** The document's identity: its `$self`, resolved; undefined when it has none. */
      readonly self: string | undefined;
    }
  | {
      readonly ok: false;
      /** The `$self` as written. */
      readonly self: string;
      /** Why it cannot be the base URI, one clause. */
      readonly why: string;
    };

/** The document's base URI and identity, or why its `$self` cannot be used. */
export function documentBase(input: BaseUriInput): DocumentBase {
  const self = selfField(input);
  if (self === undefined) return { ok: true, base: input.url, self: undefined };
  // 1.1 §Arazzo Object: "The `$self` URI MUST NOT contain a fragment identifier."
  if (self.includes('#')) return { ok: false, self, why: 'it contains a fragment identifier' };
  const resolved = resolveReference(self, input.url);
  if (resolved === undefined) {
    const why = SCHEME.test(self)
      ? 'it is not a valid URL'
      : 'it does not resolve against the location the document was read from';
    return { ok: false, self, why };
  }
  return { ok: true, base: resolved, self: resolved };
}

/** RFC 3986 §3.1: a URI-reference that starts with a scheme is an absolute URI. */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The `$self` string of a 1.1 document; undefined without one, or in a 1.0.x document. */
export function selfField(input: Omit<BaseUriInput, 'url'>): string | undefined {
  if (input.version === '1.0') return undefined;
  const { document } = input;
  if (typeof document !== 'object' || document === null) return undefined;
  const self = (document as { $self?: unknown }).$self;
  // Not a string: the schema reports it, and nothing can be based on it.
  return typeof self === 'string' ? self : undefined;
}

/**
 * A URI-reference resolved against an absolute base (RFC 3986 §5.2, as WHATWG `URL` does it);
 * undefined when it does not resolve (an invalid host or port, or a relative reference against
 * a base that has no hierarchical path, such as `urn:`).
 */
export function resolveReference(reference: string, base: string): string | undefined {
  try {
    return new URL(reference, base).href;
  } catch {
    return undefined;
  }
}

/**
 * A source description's `url` resolved against the base URI of the document that names it, or
 * why it cannot be (the document's `$self` is unusable, or the reference does not resolve).
 */
export function resolveSourceUrl(
  referrer: BaseUriInput,
  url: string,
): { readonly ok: true; readonly url: string } | { readonly ok: false; readonly why: string } {
  const from = documentBase(referrer);
  if (!from.ok) {
    return {
      ok: false,
      why: `the document's $self "${from.self}" cannot be its base URI: ${from.why}`,
    };
  }
  const resolved = resolveReference(url, from.base);
  if (resolved === undefined) {
    return {
      ok: false,
      why:
        from.self === undefined
          ? `"${url}" is not a valid URL`
          : `"${url}" does not resolve against the document's $self ${from.base}`,
    };
  }
  return { ok: true, url: resolved };
}
