/**
 * Arazzo §Payload Replacement Object: "`target` … MUST be resolved against the request body".
 *
 * Which language `target` is in: Arazzo 1.1 `targetSelectorType` when given (`jsonpath`,
 * `xpath`, `jsonpointer` or an Expression Type Object, read by readExpressionType); otherwise,
 * as in 1.0, by the payload: "JSON Pointer … if the payload is `application/json`", "XPath … if
 * the payload is `application/xml` or another XML-based media type". A type that does not fit
 * the payload (xpath on JSON, jsonpath/jsonpointer on XML) is refused (POSITIONS §11.8).
 *
 * JSON (and any structured payload, e.g. a form or multipart object):
 *   - JSON Pointer (RFC 6901), applied with json-p3 as RFC 6902 `replace` where the target
 *     exists ("the value set within the target location": an existing array element is
 *     replaced, not shifted along) and as `add` where it does not (a new member of an existing
 *     object, `-` appends; anything else is an error);
 *   - JSONPath (1.1; RFC 9535 with json-p3, or draft-goessner-dispatch-jsonpath-00 with
 *     jsonpath-plus, compiled by criteria/jsonpath.ts): every matched node gets the value; a
 *     match inside another match is covered by the outer one; a query that matches nothing is an
 *     error, since a query selects existing nodes and cannot say where a new one goes
 *     (POSITIONS §11.8).
 * XML: an XPath 3.1 expression (fontoxpath over @xmldom/xmldom) selecting nodes whose text
 * content is replaced (POSITIONS §7.4); `xpath-10`/`20`/`30` run on the same 3.1 engine.
 * Replacements apply in list order; neither the payload nor a value is mutated.
 */
import { loadFontoxpath, loadXmldom } from '../lazy-modules.js';
import { JSONPatch, JSONPointer } from 'json-p3';
import { compileJsonPath, jsonPathDialectOf, type CompiledJsonPath } from '../criteria/index.js';
import { ArazzoError } from '../errors.js';
import type { ExpressionType } from '../expressions/index.js';
import { isJsonMediaType, isXmlMediaType } from './media-type.js';

export interface Replacement {
  readonly target: string;
  /** Arazzo 1.1 `targetSelectorType`; undefined: by the payload's media type (as in 1.0). */
  readonly targetType?: ExpressionType;
  /** The evaluated replacement value (type preserved). */
  readonly value: unknown;
}

/**
 * Applies `replacements` to an evaluated payload. `contentType` is the body's effective media
 * type; without one, a string that starts with `<` is XML and anything else JSON. A JSON string
 * payload (a template's output) is parsed first, so the result is then structured.
 */
export function applyReplacements(
  body: unknown,
  contentType: string | undefined,
  replacements: readonly Replacement[],
): unknown {
  if (replacements.length === 0) return body;
  const xml =
    contentType === undefined
      ? typeof body === 'string' && body.trimStart().startsWith('<')
      : isXmlMediaType(contentType);
  for (const replacement of replacements) checkTypeFits(replacement, xml, contentType);
  if (xml) return applyXPathReplacements(body, contentType ?? 'XML', replacements);
  return applyStructuredReplacements(body, contentType, replacements);
}

/** A declared target type against the payload (POSITIONS §11.8): one line, before any change. */
function checkTypeFits(
  replacement: Replacement,
  xml: boolean,
  contentType: string | undefined,
): void {
  const type = replacement.targetType?.type;
  if (type === undefined) return;
  if (xml && type !== 'xpath') {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `replacement target ${replacement.target}: targetSelectorType ${type} does not apply to the ${contentType ?? 'XML'} payload (an XML payload takes xpath)`,
    );
  }
  if (!xml && type === 'xpath') {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `replacement target ${replacement.target}: targetSelectorType xpath needs an XML payload, and the ${contentType ?? 'structured'} payload is not XML`,
    );
  }
}

function applyStructuredReplacements(
  body: unknown,
  contentType: string | undefined,
  replacements: readonly Replacement[],
): unknown {
  let document: unknown = body;
  if (typeof body === 'string') {
    if (contentType !== undefined && !isJsonMediaType(contentType)) {
      throw new ArazzoError(
        'REQUEST_INVALID',
        `replacements need a JSON or XML body or a structured payload; the ${contentType} payload is text`,
      );
    }
    try {
      document = JSON.parse(body) as unknown;
    } catch (error) {
      throw new ArazzoError(
        'REQUEST_INVALID',
        `replacements need a structured payload, and the string payload is not JSON text (${errorText(error)})`,
      );
    }
  } else {
    document = body === undefined ? undefined : structuredClone(body);
  }
  for (const replacement of replacements) {
    document =
      replacement.targetType?.type === 'jsonpath'
        ? applyJsonPath(document, replacement)
        : applyPointer(document, replacement);
  }
  return document;
}

function applyPointer(document: unknown, replacement: Replacement): unknown {
  const pointer = pointerOf(replacement.target);
  try {
    const value = copyOf(replacement.value) as never;
    const patch = new JSONPointer(pointer).exists(document as never)
      ? new JSONPatch().replace(pointer, value)
      : new JSONPatch().add(pointer, value);
    return patch.apply(document as never);
  } catch (error) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `replacement target ${replacement.target}: ${errorText(error).replace(/ \((add|replace):0\)$/, '')}`,
    );
  }
}

/**
 * A 1.1 JSONPath target: "the value set within the target location" at every node the query
 * selects (POSITIONS §11.8). json-p3 patches by pointer and never touches a prototype.
 */
function applyJsonPath(document: unknown, replacement: Replacement): unknown {
  const { target } = replacement;
  const dialect = jsonPathDialectOf(replacement.targetType?.version);
  let query: CompiledJsonPath;
  let found: string[];
  try {
    query = compileJsonPath(target, dialect);
    found = query.pointers(document);
  } catch (error) {
    throw new ArazzoError('REQUEST_INVALID', `replacement target ${target}: ${errorText(error)}`);
  }
  const pointers = outermost(found);
  if (pointers.length === 0) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `replacement target ${target} (JSONPath) matches nothing in the payload; a JSONPath target only replaces existing nodes (a JSON Pointer target can add one)`,
    );
  }
  let result = document;
  for (const pointer of pointers) {
    try {
      result = new JSONPatch()
        .replace(pointer, copyOf(replacement.value) as never)
        .apply(result as never);
    } catch (error) {
      throw new ArazzoError(
        'REQUEST_INVALID',
        `replacement target ${target} at ${pointer}: ${errorText(error).replace(/ \(replace:0\)$/, '')}`,
      );
    }
  }
  return result;
}

/**
 * The matched locations without repeats and without those inside another match: replacing the
 * outer node already sets the value there, and a second write would go into the new value.
 */
function outermost(pointers: readonly string[]): string[] {
  const unique = [...new Set(pointers)];
  return unique.filter(
    (pointer) =>
      !unique.some(
        (other) => other !== pointer && (other === '' || pointer.startsWith(`${other}/`)),
      ),
  );
}

/**
 * A fresh copy of a structured value for each location it is set at: json-p3 patches in place,
 * so a later replacement inside it (`/a`, then `/a/b`) would otherwise change the evaluated
 * value itself, e.g. a step output it came from. Bytes and primitives are left as they are.
 */
function copyOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  return structuredClone(value);
}

/** A JSON Pointer, also accepted in URI-fragment form (`#/a%20b`). */
export function pointerOf(target: string): string {
  if (!target.startsWith('#')) return target;
  try {
    return decodeURIComponent(target.slice(1));
  } catch {
    return target.slice(1);
  }
}

function applyXPathReplacements(
  body: unknown,
  contentType: string,
  replacements: readonly Replacement[],
): string {
  if (typeof body !== 'string') {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `XPath replacements need the ${contentType} payload as XML text, not ${body === null ? 'null' : typeof body}`,
    );
  }
  const fontoxpath = loadFontoxpath();
  const document = parseXml(body);
  const namespaces = rootNamespaces(document);
  const options = {
    language: fontoxpath.evaluateXPath.XPATH_3_1_LANGUAGE,
    namespaceResolver: (prefix: string) => namespaces.get(prefix) ?? null,
  };
  for (const replacement of replacements) {
    const text = xmlText(replacement);
    let nodes: unknown[];
    try {
      nodes = fontoxpath.evaluateXPathToNodes(replacement.target, document, null, null, options);
    } catch (error) {
      throw new ArazzoError(
        'REQUEST_INVALID',
        `replacement target ${replacement.target}: ${firstLine(errorText(error))}`,
      );
    }
    if (nodes.length === 0) {
      throw new ArazzoError(
        'REQUEST_INVALID',
        `replacement target ${replacement.target} selects no node of the XML payload`,
      );
    }
    for (const node of nodes as XmlNode[]) {
      // Elements lose their children for one text node; attributes and text nodes get the value.
      if (
        node.nodeType === ELEMENT ||
        node.nodeType === ATTRIBUTE ||
        node.nodeType === TEXT ||
        node.nodeType === CDATA
      ) {
        node.textContent = text;
      } else {
        throw new ArazzoError(
          'REQUEST_INVALID',
          `replacement target ${replacement.target} selects a node whose text cannot be replaced (node type ${node.nodeType})`,
        );
      }
    }
  }
  return new (loadXmldom().XMLSerializer)().serializeToString(document as never);
}

const ELEMENT = 1;
const ATTRIBUTE = 2;
const TEXT = 3;
const CDATA = 4;

interface XmlNode {
  readonly nodeType: number;
  textContent: string | null;
}

interface XmlDocument {
  readonly documentElement: {
    readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
  } | null;
}

function parseXml(text: string): XmlDocument {
  const problems: string[] = [];
  const parser = new (loadXmldom().DOMParser)({
    onError: (level, message) => {
      if (level !== 'warning') problems.push(String(message).split('\n')[0] ?? '');
    },
  });
  let document: XmlDocument | undefined;
  try {
    document = parser.parseFromString(text, 'text/xml');
  } catch (error) {
    problems.push(firstLine(errorText(error)));
  }
  if (document === undefined || problems.length > 0 || document.documentElement === null) {
    throw new ArazzoError(
      'REQUEST_INVALID',
      `the XML payload is not well-formed: ${problems[0] ?? 'no root element'}`,
    );
  }
  return document;
}

/** Prefixes declared on the root element, so `/p:order/p:qty` works without extra setup. */
function rootNamespaces(document: XmlDocument): Map<string, string> {
  const namespaces = new Map<string, string>();
  const attributes = document.documentElement?.attributes;
  if (attributes === undefined) return namespaces;
  for (let index = 0; index < attributes.length; index += 1) {
    const attribute = attributes[index];
    if (attribute?.name.startsWith('xmlns:'))
      namespaces.set(attribute.name.slice(6), attribute.value);
  }
  return namespaces;
}

function xmlText(replacement: Replacement): string {
  const { value } = replacement;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null || value === undefined) return '';
  throw new ArazzoError(
    'REQUEST_INVALID',
    `replacement target ${replacement.target}: an XML node's text must be a string, number or boolean, not ${Array.isArray(value) ? 'an array' : 'an object'}`,
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  return (
    lines.find((line) => /^(Error: )?[A-Z]{4}\d{4}/.test(line))?.replace(/^Error: /, '') ??
    lines[0] ??
    ''
  );
}
