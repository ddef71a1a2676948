/**
 * Document fuzzing: deterministic mutations (a fixed seed) of valid Arazzo documents — deleted
 * keys, values of the wrong type, 1 MB strings, deep nesting, truncated text, junk expressions
 * and conditions, duplicate ids, goto cycles, recursive and exploding YAML aliases, broken source
 * descriptions — each written next to copies of the files it references and sent through the
 * library (load, validate, open + run against a local server that answers everything with
 * `200 {}`) and, for a sample, through the real CLI. Nothing may crash: the library throws
 * ArazzoErrors only, the CLI exits 0, 1 or 2 without a stack trace, everything in bounded time.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import { ArazzoError, loadDocument, openDocument, runWorkflow } from '../../src/index.js';
import { validateFile } from '../../src/validate/index.js';
import { ROOT, runArazzo } from '../_helpers/cli.js';

/** Fixed; `ARAZZO_FUZZ_SEED` / `ARAZZO_FUZZ_MUTANTS` explore further (not in CI). */
const SEED = Number(process.env['ARAZZO_FUZZ_SEED'] ?? 0x5eed_a2a0);
const MUTANTS = Number(process.env['ARAZZO_FUZZ_MUTANTS'] ?? 300);
const CLI_SAMPLE = 20;
const MB = 1024 * 1024;

/** The documents mutated: the CrewAI workflow, the upstream example and run fixtures. */
const BASES = [
  'workflows/resume.yml',
  'test/fixtures/upstream/pet-coupons.arazzo.yaml',
  'test/fixtures/run/components-reusable/arazzo.yaml',
  'test/fixtures/run/nested-workflow/arazzo.yaml',
  'test/fixtures/run/workflow-level-actions/arazzo.yaml',
  'test/fixtures/run/goto-workflow/arazzo.yaml',
  'test/fixtures/run/retry-with-step/arazzo.yaml',
  'test/fixtures/run/poll-paced/arazzo.yaml',
  'test/fixtures/run/swagger-2-source/arazzo.yaml',
  'test/fixtures/run/xml-xpath/arazzo.yaml',
  'test/fixtures/run/arazzo-source/arazzo.yaml',
  'test/fixtures/run/workflow-parameters/arazzo.yaml',
];

// ---------------------------------------------------------------------------------------------
// A small seeded PRNG (mulberry32): the same mutants on every run and every machine.

class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------------
// Walking and editing parsed documents.

type Json = unknown;
type Key = string | number;

interface Site {
  readonly path: readonly Key[];
  readonly value: Json;
}

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every node below the root with its path. */
function sites(root: Json): Site[] {
  const found: Site[] = [];
  const visit = (value: Json, path: Key[]): void => {
    if (path.length > 0) found.push({ path, value });
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (isRecord(value))
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(root, []);
  return found;
}

function parentOf(root: Json, path: readonly Key[]): Json {
  let node = root;
  for (const key of path.slice(0, -1)) node = (node as Record<Key, Json>)[key];
  return node;
}

function setAt(root: Json, path: readonly Key[], value: Json): void {
  const parent = parentOf(root, path) as Record<Key, Json>;
  const key = path.at(-1);
  if (key !== undefined) parent[key] = value;
}

function deleteAt(root: Json, path: readonly Key[]): void {
  const parent = parentOf(root, path);
  const key = path.at(-1);
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
  else if (isRecord(parent) && key !== undefined) delete parent[key];
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The steps of every workflow, with their workflow. */
function steps(doc: Json): { workflow: Record<string, Json>; step: Record<string, Json> }[] {
  const workflows = isRecord(doc) && Array.isArray(doc['workflows']) ? doc['workflows'] : [];
  return workflows
    .filter(isRecord)
    .flatMap((workflow) =>
      (Array.isArray(workflow['steps']) ? workflow['steps'] : [])
        .filter(isRecord)
        .map((step) => ({ workflow, step })),
    );
}

// ---------------------------------------------------------------------------------------------
// Mutations. Each edits the parsed document (or, for text-level ones, returns a text edit).

const JUNK_EXPRESSIONS = [
  '$steps..x',
  '{$',
  '$inputs.#/~2',
  '$$$',
  '{$response.body#/a}b}',
  '$statusCode ==',
  '$',
  '{$}',
  '{{$inputs.x}}',
  '$response.body#/a/~',
  '$response.header.',
  '$steps.a.outputs.',
  '$inputs.x#/0/-/01',
  '$workflows..outputs.x',
  '$sourceDescriptions.',
  '$components.parameters.',
  '$components.nope.x',
  '$request.body#/\u0000',
  'Bearer {$inputs.token',
  '$inputs.constructor',
  '$response.body#/__proto__/polluted',
  '{$url}{$method}{$statusCode}'.repeat(50),
];

const JUNK_CONDITIONS = [
  '$statusCode ==',
  '($statusCode == 200',
  '$statusCode == 200)',
  '((((((((((',
  ')))',
  '$statusCode == 200 &&',
  '|| $statusCode',
  '!',
  '!!!!!!!!$statusCode',
  "'unterminated",
  '"a" == "',
  '$statusCode === 200',
  '$statusCode <> 200',
  '1 == 1 == 1 == 1',
  `${'('.repeat(300)}1${')'.repeat(300)}`,
  `${'!'.repeat(5000)}true`,
  '$response.body#/a == $response.body#/a/b/c/d',
  'null < null',
  '0x10 == 16',
  '1e999999 == Infinity',
  '$.a[?(@.b == 1)]',
  '$..*',
  '$[',
  '//*[',
  '(a+)+$',
  '[',
];

const OTHER_VALUES: readonly Json[] = [
  'text',
  '',
  42,
  -1.5,
  0,
  true,
  false,
  null,
  [],
  ['a', 1],
  {},
  { a: 1 },
  [{}],
];

function typeOf(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

interface Mutant {
  readonly description: string;
  /** The mutated document's text. */
  readonly text: string;
  /** A mutated copy of a source description (written next to the original), if any. */
  readonly source?: { readonly file: string; readonly text: string };
}

interface Base {
  readonly id: string;
  /** Absolute path of the original document. */
  readonly file: string;
  readonly data: Json;
  /** Files the document references (recursively), absolute. */
  readonly references: readonly string[];
  /** Absolute directory all of them sit under. */
  readonly root: string;
  /** A value for every input of the first workflow, by its JSON Schema type. */
  readonly inputs: Readonly<Record<string, Json>>;
}

const PLACEHOLDER = '__FUZZ_PLACEHOLDER__';

/** Text-level payloads put where a value stood (YAML that the data model cannot express). */
function nestedFlow(depth: number, open: string, close: string): string {
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}
const ALIAS_BOMB = [
  'x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  'x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'x-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  'x-g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]',
  'x-h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]',
  'x-i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]',
].join('\n');

function write(data: Json): string {
  return stringify(data, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Replaces one scalar with the placeholder, then the placeholder with raw YAML text. */
function injectText(rng: Rng, data: Json, raw: string): string {
  const scalars = sites(data).filter((site) => typeof site.value !== 'object');
  const target = scalars.length > 0 ? rng.pick(scalars) : undefined;
  const copy = clone(data);
  if (target) setAt(copy, target.path, PLACEHOLDER);
  else if (isRecord(copy)) copy['x-fuzz'] = PLACEHOLDER;
  return write(copy).replace(PLACEHOLDER, raw);
}

type Mutation = (rng: Rng, base: Base, data: Json) => Mutant;

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  'delete-key': (rng, _base, data) => {
    const target = rng.pick(sites(data));
    deleteAt(data, target.path);
    return { description: `delete /${target.path.join('/')}`, text: write(data) };
  },
  'change-type': (rng, _base, data) => {
    const target = rng.pick(sites(data));
    const others = OTHER_VALUES.filter((value) => typeOf(value) !== typeOf(target.value));
    const value = clone(rng.pick(others));
    setAt(data, target.path, value);
    return {
      description: `/${target.path.join('/')}: ${typeOf(target.value)} → ${JSON.stringify(value)}`,
      text: write(data),
    };
  },
  'huge-string': (rng, _base, data) => {
    const strings = sites(data).filter((site) => typeof site.value === 'string');
    const target = rng.pick(strings.length > 0 ? strings : sites(data));
    const huge = rng.pick([
      'A'.repeat(MB),
      `$inputs.${'a'.repeat(MB)}`,
      `{$inputs.x}${'{'.repeat(MB)}`,
      `$response.body#/${'a/'.repeat(MB / 2)}`,
      `${'('.repeat(MB / 2)}`,
    ]);
    setAt(data, target.path, huge);
    return { description: `/${target.path.join('/')}: a 1 MB string`, text: write(data) };
  },
  'deep-nesting-10000': (rng, _base, data) => ({
    description: 'a value nested 10,000 levels (YAML flow)',
    text: injectText(rng, data, nestedFlow(10_000, rng.pick(['[', '{a: ']), rng.pick([']', '}']))),
  }),
  'deep-nesting-300': (rng, _base, data) => {
    const [open, close] = rng.pick([
      ['[', ']'],
      ['{a: ', '}'],
    ] as const);
    return {
      description: 'a value nested 300 levels (YAML flow)',
      text: injectText(rng, data, nestedFlow(300, open, close)),
    };
  },
  truncate: (rng, _base, data) => {
    const text = write(data);
    const offset = rng.int(text.length);
    return { description: `truncated at ${offset} of ${text.length}`, text: text.slice(0, offset) };
  },
  'junk-expression': (rng, _base, data) => {
    const strings = sites(data).filter(
      (site) => typeof site.value === 'string' && /[$]/.test(site.value),
    );
    const target = rng.pick(strings.length > 0 ? strings : sites(data));
    const junk = rng.pick(JUNK_EXPRESSIONS);
    setAt(data, target.path, junk);
    return {
      description: `/${target.path.join('/')} = ${JSON.stringify(junk)}`,
      text: write(data),
    };
  },
  'junk-condition': (rng, _base, data) => {
    const all = steps(data);
    const junk = rng.pick(JUNK_CONDITIONS);
    const type = rng.pick([
      undefined,
      'simple',
      'regex',
      'jsonpath',
      'xpath',
      'bogus',
      { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
      { type: 'xpath', version: 'xpath-30' },
      { type: 'xpath', version: 'nope' },
    ]);
    const criterion = {
      condition: junk,
      ...(type === undefined ? {} : { context: '$response.body', type }),
    };
    if (all.length === 0) return { description: 'no steps', text: write(data) };
    const { step } = rng.pick(all);
    const where = rng.pick(['successCriteria', 'onSuccess', 'onFailure'] as const);
    if (where === 'successCriteria') step['successCriteria'] = [criterion];
    else step[where] = [{ name: 'junk', type: 'end', criteria: [criterion] }];
    return {
      description: `${String(step['stepId'])}.${where}: ${JSON.stringify(criterion)}`.slice(0, 300),
      text: write(data),
    };
  },
  'duplicate-id': (rng, _base, data) => {
    const all = steps(data);
    const workflows = isRecord(data) && Array.isArray(data['workflows']) ? data['workflows'] : [];
    if (rng.chance(0.5) && all.length > 0) {
      const { workflow, step } = rng.pick(all);
      (workflow['steps'] as Json[]).push(clone(step));
      return { description: `step "${String(step['stepId'])}" twice`, text: write(data) };
    }
    if (workflows.length > 0) workflows.push(clone(workflows[0]));
    return { description: 'the first workflow twice', text: write(data) };
  },
  'goto-cycle': (rng, _base, data) => {
    const all = steps(data);
    if (all.length === 0) return { description: 'no steps', text: write(data) };
    const { workflow, step } = rng.pick(all);
    const first = (workflow['steps'] as Record<string, Json>[])[0];
    const action =
      rng.chance(0.3) && typeof workflow['workflowId'] === 'string'
        ? { name: 'again', type: 'goto', workflowId: workflow['workflowId'] }
        : { name: 'again', type: 'goto', stepId: rng.pick([step['stepId'], first?.['stepId']]) };
    step['onSuccess'] = [action];
    step['onFailure'] = [action];
    return {
      description: `${String(step['stepId'])}: always ${JSON.stringify(action)}`,
      text: write(data),
    };
  },
  'self-reference': (rng, _base, data) => {
    const all = steps(data);
    if (all.length === 0) return { description: 'no steps', text: write(data) };
    const { workflow, step } = rng.pick(all);
    const choice = rng.int(4);
    delete step['operationId'];
    delete step['operationPath'];
    if (choice === 0) step['workflowId'] = workflow['workflowId'];
    else if (choice === 1) step['workflowId'] = '$sourceDescriptions.nope.nothing';
    else if (choice === 2)
      step['operationPath'] = '{$sourceDescriptions.api.url}#/paths/~1x~1y/get';
    else step['operationId'] = '$sourceDescriptions.nope.op';
    if (rng.chance(0.5)) step['parameters'] = [{ reference: '$components.parameters.missing' }];
    return { description: `${String(step['stepId'])}: ${choice}`, text: write(data) };
  },
  'recursive-alias': (rng, _base, data) => ({
    description: 'a recursive YAML alias (&loop [*loop])',
    text: injectText(
      rng,
      data,
      rng.pick(['&loop [*loop]', '&loop {a: *loop}', '&loop [1, [*loop]]']),
    ),
  }),
  'alias-bomb': (_rng, _base, data) => {
    const text = write(data);
    return { description: 'a billion-laughs alias bomb', text: `${ALIAS_BOMB}\n${text}` };
  },
  'junk-source-url': (rng, _base, data) => {
    const sources =
      isRecord(data) && Array.isArray(data['sourceDescriptions']) ? data['sourceDescriptions'] : [];
    const url = rng.pick([
      '',
      'nope.yaml',
      '.',
      '..',
      'http://127.0.0.1:1/api.yaml',
      'ftp://example.invalid/api.yaml',
      '$inputs.url',
      'data:text/plain,hello',
      '%zz',
      'file:///nonexistent/x.yaml',
    ]);
    const target = sources.filter(isRecord)[0];
    if (target) target['url'] = url;
    return { description: `sourceDescriptions[0].url = ${JSON.stringify(url)}`, text: write(data) };
  },
  'self-source': (_rng, base, data) => {
    // The document as its own (arazzo) source description: a cycle of documents.
    const sources =
      isRecord(data) && Array.isArray(data['sourceDescriptions']) ? data['sourceDescriptions'] : [];
    sources.push({ name: 'myself', url: `./${basename(base.file)}`, type: 'arazzo' });
    return { description: 'the document names itself as a source', text: write(data) };
  },
  'junk-bytes': (rng, _base, data) => {
    let text = write(data);
    for (let count = 1 + rng.int(4); count > 0; count -= 1) {
      const offset = rng.int(text.length);
      const junk = rng.pick([
        '\u0000',
        '\uFEFF',
        '\uFFFD',
        '\t',
        '\r',
        '\u2028',
        '\uD800',
        '"',
        "'",
        ':',
        '- ',
        '&',
        '*',
        '!',
        '%',
        '@',
        '`',
        '|',
        '>',
        '#',
      ]);
      text = text.slice(0, offset) + junk + text.slice(offset);
    }
    return { description: 'junk characters at random offsets', text };
  },
  'source-mutation': (rng, base, data) => {
    // Mutate the (first) OpenAPI description instead: hostile sources are data too.
    const openapi = base.references.find((file) => /openapi|swagger/.test(basename(file)));
    const sources =
      isRecord(data) && Array.isArray(data['sourceDescriptions']) ? data['sourceDescriptions'] : [];
    const entry = sources
      .filter(isRecord)
      .find(
        (source) => typeof source['url'] === 'string' && openapi?.endsWith(basename(source['url'])),
      );
    if (openapi === undefined || entry === undefined) {
      return { description: 'no OpenAPI source to mutate', text: write(data) };
    }
    const sourceData = SOURCE_DATA.get(openapi);
    const mutated = clone(sourceData);
    const pick = rng.pick(['delete-key', 'change-type', 'junk-expression'] as const);
    const inner = MUTATIONS[pick]?.(rng, base, mutated);
    const file = join(
      dirname(openapi),
      `fuzzed-${rng.int(1e9)}.${openapi.endsWith('.json') ? 'json' : 'yaml'}`,
    );
    entry['url'] = `${String(entry['url']).replace(/[^/]*$/, '')}${basename(file)}`;
    return {
      description: `source ${basename(openapi)}: ${inner?.description ?? pick}`,
      text: write(data),
      source: { file, text: inner?.text ?? '' },
    };
  },
};

/** Parsed OpenAPI sources by absolute path (for source-mutation). */
const SOURCE_DATA = new Map<string, Json>();

// Stacks deep enough to get from a library (ajv, yaml) back to the project's own frame.
Error.stackTraceLimit = 60;

// ---------------------------------------------------------------------------------------------
// Bases: the documents and the files they reference, copied into a temporary tree.

async function referencedFiles(file: string, seen = new Set<string>()): Promise<string[]> {
  if (seen.has(file)) return [];
  seen.add(file);
  const data = parse(await readFile(file, 'utf8')) as Json;
  const sources =
    isRecord(data) && Array.isArray(data['sourceDescriptions']) ? data['sourceDescriptions'] : [];
  const found: string[] = [];
  for (const source of sources.filter(isRecord)) {
    const url = source['url'];
    if (typeof url !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
    const target = resolve(dirname(file), url);
    found.push(target);
    if (source['type'] === 'arazzo') found.push(...(await referencedFiles(target, seen)));
    else SOURCE_DATA.set(target, parse(await readFile(target, 'utf8')) as Json);
  }
  return found;
}

function commonRoot(files: readonly string[]): string {
  let root = dirname(files[0] ?? ROOT);
  while (!files.every((file) => file.startsWith(root + sep))) root = dirname(root);
  return root;
}

function inputsFor(data: Json): Record<string, Json> {
  const workflows: unknown[] =
    isRecord(data) && Array.isArray(data['workflows']) ? data['workflows'] : [];
  const workflow = workflows[0];
  const schema = isRecord(workflow) ? workflow['inputs'] : undefined;
  const properties = isRecord(schema) && isRecord(schema['properties']) ? schema['properties'] : {};
  const inputs: Record<string, Json> = {};
  for (const [name, property] of Object.entries(properties)) {
    const type = isRecord(property) ? property['type'] : undefined;
    inputs[name] =
      type === 'boolean'
        ? true
        : type === 'integer' || type === 'number'
          ? 1
          : type === 'array'
            ? []
            : type === 'object'
              ? {}
              : 'x';
  }
  return inputs;
}

async function loadBase(path: string): Promise<Base> {
  const file = join(ROOT, path);
  const references = await referencedFiles(file);
  return {
    id: path.replace(/[^A-Za-z0-9]+/g, '-'),
    file,
    data: parse(await readFile(file, 'utf8')) as Json,
    references,
    root: commonRoot([file, ...references]),
    inputs: inputsFor(parse(await readFile(file, 'utf8'))),
  };
}

// ---------------------------------------------------------------------------------------------
// The run: a server that answers everything, a temporary tree, the failures found.

interface Written {
  readonly index: number;
  readonly base: Base;
  readonly kind: string;
  readonly description: string;
  readonly file: string;
  readonly text: string;
}

let server: Server;
let serverUrl: string;
let work: string;
const mutants: Written[] = [];
const rejections: unknown[] = [];
const onRejection = (reason: unknown): void => void rejections.push(reason);

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await mkdtemp(join(tmpdir(), 'arazzo-fuzz-'));
  process.on('unhandledRejection', onRejection);

  const bases = await Promise.all(BASES.map(loadBase));
  // Copy each base's tree (document + referenced files) once.
  for (const base of bases) {
    for (const file of [base.file, ...base.references]) {
      const target = join(work, base.id, relative(base.root, file));
      await mkdir(dirname(target), { recursive: true });
      await cp(file, target);
    }
  }
  const rng = new Rng(SEED);
  const kinds = Object.keys(MUTATIONS);
  for (let index = 0; index < MUTANTS; index += 1) {
    const base = bases[index % bases.length] as Base;
    const kind = kinds[Math.floor(index / bases.length + index) % kinds.length] ?? 'delete-key';
    let data = clone(base.data);
    const descriptions: string[] = [];
    // Sometimes a structural mutation first, to compound damage.
    if (rng.chance(0.3)) {
      const first = rng.pick(['delete-key', 'change-type', 'junk-expression', 'goto-cycle']);
      const pre = MUTATIONS[first]?.(rng, base, data);
      descriptions.push(pre?.description ?? first);
      data = parse(pre?.text ?? '') as Json;
    }
    const mutant = (MUTATIONS[kind] as Mutation)(rng, base, data);
    descriptions.push(mutant.description);
    const dir = join(work, base.id, relative(base.root, dirname(base.file)));
    const file = join(dir, `mutant-${index}.yaml`);
    await writeFile(file, mutant.text);
    if (mutant.source) {
      const target = join(work, base.id, relative(base.root, mutant.source.file));
      await writeFile(target, mutant.source.text);
    }
    mutants.push({
      index,
      base,
      kind,
      description: descriptions.join('; '),
      file,
      text: mutant.text,
    });
  }
});

after(async () => {
  process.off('unhandledRejection', onRejection);
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  if (process.env['ARAZZO_FUZZ_KEEP'] !== undefined) console.log(`# mutants kept in ${work}`);
  if (process.env['ARAZZO_FUZZ_KEEP'] === undefined)
    await rm(work, { recursive: true, force: true });
});

/** Every `message` in a result (diagnostics, step records, the run's error). */
function messagesOf(value: unknown, depth = 0): string[] {
  if (typeof value !== 'object' || value === null || depth > 8) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'message' && typeof item === 'string' ? [item] : messagesOf(item, depth + 1),
  );
}

/** What the engine says when code trusted a type it was not given; a user never needs to read it. */
const JS_ERROR_TEXT =
  /rule-failed|TypeError|is not (a function|iterable)|Cannot read properties|Cannot convert undefined/;

interface Failure {
  readonly key: string;
  readonly mutant: Written;
  readonly stack: string;
}

/**
 * A failure class: the stage, the first frame in the project's own code (file and function)
 * and the error type. Messages vary with the data; where the code broke does not.
 */
function classify(stage: string, error: unknown): { key: string; stack: string } {
  const name = error instanceof Error ? error.name : typeof error;
  const lines = error instanceof Error ? (error.stack ?? '').split('\n') : [String(error)];
  const own = lines.find((line) => /^\s+at .*\/dist\/src\//.test(line));
  const where =
    own === undefined
      ? 'outside src'
      : own
          .replace(/^\s+at (async )?/, '')
          .replace(/\(?file:\/\/\S*\/dist\/(src\/[^:]+):\d+:\d+\)?/, '$1')
          .trim();
  const stack = lines
    .slice(0, 12)
    .map((line) => line.slice(0, 300))
    .join('\n');
  return { key: `${stage} @ ${where}: ${name}`, stack };
}

function record(
  failures: Map<string, Failure>,
  stage: string,
  error: unknown,
  mutant: Written,
): void {
  const { key, stack } = classify(stage, error);
  const known = failures.get(key);
  if (known === undefined || mutant.text.length < known.mutant.text.length)
    failures.set(key, { key, mutant, stack });
}

function report(failures: Map<string, Failure>): string {
  return [...failures.values()]
    .map(
      ({ key, mutant, stack }) =>
        `${key}\n  smallest: mutant ${mutant.index} of ${mutant.base.id} (${mutant.kind}: ${mutant.description.slice(0, 200)}), ${mutant.text.length} chars\n${stack}\n--- document (first 1500 chars) ---\n${mutant.text.slice(0, 1500)}`,
    )
    .join('\n\n');
}

/** Runs the jobs, `width` at a time. */
async function inParallel(jobs: readonly (() => Promise<void>)[], width: number): Promise<void> {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );
}

/** Rejects when `promise` does not settle within `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one stage; anything thrown that is not an ArazzoError is a failure, and so is a message
 * (thrown or in the result) that shows JavaScript error text instead of saying what is wrong.
 */
async function stage<T>(
  failures: Map<string, Failure>,
  name: string,
  mutant: Written,
  action: () => Promise<T>,
): Promise<T | undefined> {
  let said: string[];
  let value: T | undefined;
  try {
    value = await within(15_000, action());
    said = messagesOf(value);
  } catch (error) {
    if (!(error instanceof ArazzoError)) {
      record(failures, name, error, mutant);
      return undefined;
    }
    said = [error.message];
  }
  const leaked = said.find((message) => JS_ERROR_TEXT.test(message));
  if (leaked !== undefined) {
    const error = new Error(`JavaScript error text in a message: ${leaked.slice(0, 300)}`);
    error.name = `leak ${JS_ERROR_TEXT.exec(leaked)?.[0] ?? ''}`;
    record(failures, name, error, mutant);
  }
  return value;
}

test(
  `${MUTANTS} mutated documents through load, validate, open and run (library)`,
  { timeout: 120_000 },
  async (t) => {
    const failures = new Map<string, Failure>();
    const tally = { loaded: 0, valid: 0, opened: 0, ran: 0, succeeded: 0 };
    const started = performance.now();
    for (const mutant of mutants) {
      const loaded = await stage(failures, 'loadDocument', mutant, () => loadDocument(mutant.file));
      if (loaded) tally.loaded += 1;
      const validation = await stage(failures, 'validateFile', mutant, () =>
        validateFile(mutant.file),
      );
      if (validation && !validation.diagnostics.some((d) => d.severity === 'error'))
        tally.valid += 1;
      const scope = await stage(failures, 'openDocument', mutant, () => openDocument(mutant.file));
      if (!scope) continue;
      tally.opened += 1;
      const servers = Object.fromEntries(
        [...scope.sources]
          .filter(([, source]) => source.kind === 'openapi')
          .map(([name]) => [name, serverUrl]),
      );
      const workflows: unknown[] = Array.isArray(scope.loaded.document.workflows)
        ? scope.loaded.document.workflows
        : [];
      const head = workflows[0];
      const first = isRecord(head) ? head['workflowId'] : undefined;
      const result = await stage(failures, 'runWorkflow', mutant, () =>
        runWorkflow(scope, {
          ...(workflows.length > 1 && typeof first === 'string' ? { workflowId: first } : {}),
          inputs: mutant.base.inputs,
          servers,
          maxSteps: 20,
          timeoutMs: 5000,
          requestTimeoutMs: 2000,
          pollIntervalMs: 0,
          maxWaitMs: 0,
        }),
      );
      if (result) {
        tally.ran += 1;
        if (result.success) tally.succeeded += 1;
      }
    }
    const elapsed = performance.now() - started;
    t.diagnostic(
      `${mutants.length} mutants in ${(elapsed / 1000).toFixed(1)} s: ${tally.loaded} loaded, ${tally.valid} valid, ${tally.opened} opened, ${tally.ran} ran, ${tally.succeeded} succeeded`,
    );
    const kinds = new Map<string, number>();
    for (const mutant of mutants) kinds.set(mutant.kind, (kinds.get(mutant.kind) ?? 0) + 1);
    t.diagnostic(`mutations: ${[...kinds].map(([kind, n]) => `${kind} ×${n}`).join(', ')}`);
    assert.deepEqual(rejections, [], 'unhandled rejections');
    assert.equal(failures.size, 0, report(failures));
  },
);

test(
  `a sample of ${CLI_SAMPLE} through the real CLI (validate and run)`,
  { timeout: 180_000 },
  async (t) => {
    // Spread over bases and mutation kinds.
    const sample = mutants
      .filter((_, index) => index % Math.floor(MUTANTS / CLI_SAMPLE) === 0)
      .slice(0, CLI_SAMPLE);
    const problems: string[] = [];
    const codes: Record<string, number> = {};
    const check = async (mutant: Written, args: string[]): Promise<void> => {
      const started = performance.now();
      const run = await runArazzo(args, { timeoutMs: 10_000 });
      const ms = performance.now() - started;
      const output = `${run.stdout}\n${run.stderr}`;
      const label = `mutant ${mutant.index} (${mutant.kind}: ${mutant.description.slice(0, 120)}) arazzo ${args[0]}`;
      codes[`${args[0]} ${run.code}`] = (codes[`${args[0]} ${run.code}`] ?? 0) + 1;
      if (run.code === null || ![0, 1, 2].includes(run.code))
        problems.push(
          `${label}: exit ${run.code} ${run.signal ?? ''} after ${ms.toFixed(0)} ms\n${output.slice(0, 2000)}`,
        );
      else if (/\n\s+at /.test(output) || /internal error/i.test(output))
        problems.push(`${label}: a stack trace or internal error\n${output.slice(0, 2000)}`);
      else if (JS_ERROR_TEXT.test(output))
        problems.push(`${label}: JavaScript error text in the output\n${output.slice(0, 2000)}`);
      else if (ms > 10_000) problems.push(`${label}: took ${ms.toFixed(0)} ms`);
    };
    const jobs = sample.flatMap((mutant) => {
      let data: Json;
      try {
        data = parse(mutant.text, { maxAliasCount: 100 }) as Json;
      } catch {
        data = undefined;
      }
      const names =
        isRecord(data) && Array.isArray(data['sourceDescriptions'])
          ? data['sourceDescriptions']
              .filter(isRecord)
              .filter(
                (s) =>
                  s['type'] !== 'arazzo' &&
                  typeof s['name'] === 'string' &&
                  /^[A-Za-z0-9_-]+$/.test(s['name']),
              )
              .map((s) => String(s['name']))
          : [];
      const workflows =
        isRecord(data) && Array.isArray(data['workflows'])
          ? data['workflows'].filter(isRecord)
          : [];
      const first = workflows[0]?.['workflowId'];
      const run = [
        'run',
        mutant.file,
        ...names.flatMap((name) => ['--server', `${name}=${serverUrl}`]),
        ...(workflows.length > 1 && typeof first === 'string' ? ['-w', first] : []),
        ...[
          '--max-steps',
          '20',
          '--timeout',
          '5s',
          '--request-timeout',
          '2s',
          '--poll-interval',
          '0',
        ],
        ...Object.entries(mutant.base.inputs).flatMap(([name, value]) => [
          '--input',
          `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
        ]),
      ];
      return [() => check(mutant, ['validate', mutant.file]), () => check(mutant, run)];
    });
    await inParallel(jobs, 4);
    t.diagnostic(`exit codes: ${JSON.stringify(codes)}`);
    assert.deepEqual(problems, [], problems.join('\n\n'));
  },
);

// ---------------------------------------------------------------------------------------------
// The crashes found, minimised (each document's first line says what it was): each must end as
// a typed error (library) and exit 0, 1 or 2 (CLI) with no stack trace and no JavaScript error
// text in what the user reads.

const CRASHES = join(ROOT, 'test/fixtures/hostile/crashes');
test(
  'minimised crash reproductions (test/fixtures/hostile/crashes) end cleanly',
  { timeout: 120_000 },
  async (t) => {
    const files = (await readdir(CRASHES)).filter((name) => name.endsWith('.arazzo.yaml')).sort();
    const crashed: string[] = [];
    const one = async (name: string): Promise<void> => {
      const file = join(CRASHES, name);
      const problems: string[] = [];
      const typed = async (label: string, action: () => Promise<unknown>): Promise<void> => {
        let said: string;
        try {
          said = messagesOf(await within(15_000, action())).join('\n');
        } catch (error) {
          if (!(error instanceof ArazzoError)) {
            problems.push(
              `${label}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(
                0,
                200,
              ),
            );
            return;
          }
          said = error.message;
        }
        const leaked = JS_ERROR_TEXT.exec(said);
        if (leaked !== null) problems.push(`${label}: JavaScript error text "${leaked[0]}"`);
      };
      await typed('validateFile', () => validateFile(file));
      await typed('open + runWorkflow', async () =>
        runWorkflow(await openDocument(file), {
          servers: { api: serverUrl },
          maxSteps: 5,
          timeoutMs: 5000,
          pollIntervalMs: 0,
        }),
      );
      for (const args of [
        ['validate', file],
        [
          'run',
          file,
          '--server',
          `api=${serverUrl}`,
          '--max-steps',
          '5',
          '--timeout',
          '5s',
          '--poll-interval',
          '0',
        ],
      ]) {
        const run = await runArazzo(args, { timeoutMs: 10_000 });
        const output = `${run.stdout}\n${run.stderr}`;
        if (run.code === null || ![0, 1, 2].includes(run.code) || /\n\s+at /.test(output))
          problems.push(
            `arazzo ${args[0]}: exit ${run.code} ${(/internal error: .*/.exec(output)?.[0] ?? '').slice(0, 160)}`,
          );
        const leaked = JS_ERROR_TEXT.exec(output);
        if (leaked !== null)
          problems.push(`arazzo ${args[0]}: JavaScript error text "${leaked[0]}" in the output`);
      }
      if (problems.length > 0) {
        crashed.push(name);
        t.diagnostic(`${name}: ${problems.join(' | ')}`);
      }
    };
    await inParallel(
      files.map((name) => () => one(name)),
      4,
    );
    crashed.sort();
    assert.deepEqual(crashed, [], `${crashed.length} of ${files.length} reproductions still crash`);
  },
);
