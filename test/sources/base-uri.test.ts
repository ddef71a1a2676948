/**
 * The base URI of a document and its source URLs (src/sources/base-uri.ts; POSITIONS §11.7),
 * table-driven: every example of 1.1 Appendix B "Examples of Base URI Determination and
 * Reference Resolution", then the edges (1.0 documents, fragments, URLs WHATWG refuses).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpecVersion } from '../../src/document/constants.js';
import { documentBase, resolveSourceUrl } from '../../src/sources/base-uri.js';
import { schemaFindings } from '../../src/validate/schema/schema.js';

interface Row {
  readonly name: string;
  /** Retrieval URI (or the base an encapsulating entity or the application gives). */
  readonly retrieval: string;
  readonly self?: unknown;
  readonly version?: SpecVersion;
  readonly url: string;
  /** The document's `$self`, resolved (undefined: none). */
  readonly identity?: string;
  /** The source URL, resolved; a RegExp: the reason it does not resolve. */
  readonly resolved: string | RegExp;
}

const doc = (row: Row): { url: string; version: SpecVersion; document: unknown } => ({
  url: row.retrieval,
  version: row.version ?? '1.1',
  document: {
    arazzo: '1.1.0',
    ...(row.self === undefined ? {} : { $self: row.self }),
    sourceDescriptions: [{ name: 's', url: row.url }],
  },
});

const ROWS: readonly Row[] = [
  {
    name: 'B "Base URI Within Content": an absolute $self, regardless of the retrieval URI',
    retrieval: 'file:///Users/dev/projects/workflows/purchase.arazzo.yaml',
    self: 'https://api.example.com/workflows/purchase.arazzo.yaml',
    url: '../specs/petstore.yaml',
    identity: 'https://api.example.com/workflows/purchase.arazzo.yaml',
    resolved: 'https://api.example.com/specs/petstore.yaml',
  },
  {
    name: 'B "Base URI From the Retrieval URI (No $self)"',
    retrieval: 'file:///Users/dev/projects/workflows/purchase.arazzo.yaml',
    url: '../specs/petstore.yaml',
    resolved: 'file:///Users/dev/projects/specs/petstore.yaml',
  },
  {
    // The runner reads no multipart bodies; given the base the Content-Location names, the
    // resolution is the same.
    name: 'B "Base URI From Encapsulating Entity" (Content-Location as the base)',
    retrieval: 'https://api.example.com/workflows/purchase.arazzo.json',
    url: '../specs/petstore.json',
    resolved: 'https://api.example.com/specs/petstore.json',
  },
  {
    name: 'B "Application-Specific Default Base URI"',
    retrieval: 'https://workflows.example.com/a7b3c4d5',
    url: 'specs/petstore.yaml',
    resolved: 'https://workflows.example.com/specs/petstore.yaml',
  },
  {
    name: 'B "Application-Specific Default Base URI", the trailing-slash note',
    retrieval: 'https://workflows.example.com/',
    url: 'specs/petstore.yaml',
    resolved: 'https://workflows.example.com/specs/petstore.yaml',
  },
  {
    name: 'B "Resolving Relative $self": $self first, then the url against it',
    retrieval: 'https://api.example.com/v2/api-description.yaml',
    self: 'workflows/purchase.arazzo.yaml',
    url: '../specs/petstore.yaml',
    identity: 'https://api.example.com/v2/workflows/purchase.arazzo.yaml',
    resolved: 'https://api.example.com/v2/specs/petstore.yaml',
  },
  {
    name: 'B "Identity vs Location": retrieved from a CDN',
    retrieval: 'https://cdn.example.com/cache/abc123.yaml',
    self: 'https://workflows.example.com/canonical/purchase.arazzo.yaml',
    url: 'petstore.yaml',
    identity: 'https://workflows.example.com/canonical/purchase.arazzo.yaml',
    resolved: 'https://workflows.example.com/canonical/petstore.yaml',
  },
  {
    name: 'B "Identity vs Location": retrieved from a local file',
    retrieval: 'file:///local/dev/purchase.arazzo.yaml',
    self: 'https://workflows.example.com/canonical/purchase.arazzo.yaml',
    url: 'petstore.yaml',
    identity: 'https://workflows.example.com/canonical/purchase.arazzo.yaml',
    resolved: 'https://workflows.example.com/canonical/petstore.yaml',
  },
  {
    name: 'a relative $self on the file system stays a file: URL',
    retrieval: 'file:///work/flows/main.arazzo.yaml',
    self: 'deep/main.arazzo.yaml',
    url: '../../specs/api.yaml',
    identity: 'file:///work/flows/deep/main.arazzo.yaml',
    resolved: 'file:///work/specs/api.yaml',
  },
  {
    name: 'an absolute url is itself, $self or not',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: 'https://api.example.com/flows/main.arazzo.yaml',
    url: 'https://other.example.com/openapi.yaml',
    identity: 'https://api.example.com/flows/main.arazzo.yaml',
    resolved: 'https://other.example.com/openapi.yaml',
  },
  {
    name: 'an empty $self is the retrieval URI',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: '',
    url: 'api.yaml',
    identity: 'file:///work/main.arazzo.yaml',
    resolved: 'file:///work/api.yaml',
  },
  {
    name: 'a query in $self is dropped by the merge, as RFC 3986 §5.2 says',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: 'https://api.example.com/flows/main.arazzo.yaml?v=2',
    url: 'api.yaml',
    identity: 'https://api.example.com/flows/main.arazzo.yaml?v=2',
    resolved: 'https://api.example.com/flows/api.yaml',
  },
  {
    name: 'a 1.0 document has no $self: the retrieval URI',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: 'https://api.example.com/flows/main.arazzo.yaml',
    version: '1.0',
    url: 'api.yaml',
    resolved: 'file:///work/api.yaml',
  },
  {
    name: 'a $self that is not a string is no base (the schema reports it)',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: 42,
    url: 'api.yaml',
    resolved: 'file:///work/api.yaml',
  },
  {
    name: 'a $self with a fragment cannot be the base',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: 'https://api.example.com/main.arazzo.yaml#top',
    url: 'api.yaml',
    resolved: /cannot be its base URI: it contains a fragment identifier/,
  },
  {
    name: 'a $self WHATWG cannot parse cannot be the base',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: 'http://api.example.com:99999/main.arazzo.yaml',
    url: 'api.yaml',
    resolved: /cannot be its base URI: it is not a valid URL/,
  },
  {
    name: 'a relative url against a $self without a hierarchical path does not resolve',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: 'urn:example:flows:main',
    url: 'api.yaml',
    identity: 'urn:example:flows:main',
    resolved: /"api.yaml" does not resolve against the document's \$self urn:example:flows:main/,
  },
  {
    name: 'an absolute url against that $self still does',
    retrieval: 'file:///work/main.arazzo.yaml',
    self: 'urn:example:flows:main',
    url: 'urn:example:flows:library',
    identity: 'urn:example:flows:main',
    resolved: 'urn:example:flows:library',
  },
  {
    name: 'without $self an invalid url is said as before',
    retrieval: 'file:///work/main.arazzo.yaml',
    url: 'http://[::1',
    resolved: /^"http:\/\/\[::1" is not a valid URL$/,
  },
];

for (const row of ROWS) {
  test(`base URI: ${row.name}`, () => {
    const input = doc(row);
    const base = documentBase(input);
    const result = resolveSourceUrl(input, row.url);
    if (row.resolved instanceof RegExp) {
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.why, row.resolved);
    } else {
      assert.deepEqual(result, { ok: true, url: row.resolved });
    }
    if (base.ok) assert.equal(base.self, row.identity);
    else assert.equal(row.identity, undefined, 'an unusable $self is no identity');
  });
}

test('validate: a $self with a fragment is a schema error that quotes the MUST NOT', () => {
  const findings = schemaFindings(
    {
      arazzo: '1.1.0',
      $self: 'https://api.example.com/a.arazzo.yaml#top',
      info: { title: 't', version: '1' },
      sourceDescriptions: [{ name: 's', url: 's.yaml', type: 'openapi' }],
      workflows: [{ workflowId: 'w', steps: [{ stepId: 's', operationId: 'x' }] }],
    },
    '1.1',
  );
  assert.deepEqual(
    findings.map((f) => [f.pointer, f.message]),
    [
      [
        '/$self',
        '"$self" must not contain a fragment identifier (found "https://api.example.com/a.arazzo.yaml#top")',
      ],
    ],
  );
});
