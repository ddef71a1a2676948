/**
 * Arazzo §Payload Replacement Object: "`target` … MUST be resolved against the request body".
 * JSON (and any structured payload, e.g. a form or multipart object): an RFC 6901 JSON Pointer,
 * applied with json-p3 as RFC 6902 `replace` where the target exists ("the value set within the
 * target location": an existing array element is replaced, not shifted along) and as `add`
 * where it does not (a new member of an existing object, `-` appends; anything else is an
 * error). XML: an XPath 3.1 expression (fontoxpath
 * over @xmldom/xmldom) selecting nodes whose text content is replaced (POSITIONS §7.4).
 * Replacements apply in list order; the input is never mutated.
 */
import { loadFontoxpath, loadXmldom } from '../lazy-modules.js';
import { JSONPatch, JSONPointer } from 'json-p3';
import { ArazzoError } from '../errors.js';
import { isJsonMediaType, isXmlMediaType } from './media-type.js';

export interface Replacement {
  readonly target: string;
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
  if (xml) return applyXPathReplacements(body, contentType ?? 'XML', replacements);
  return applyPointerReplacements(body, contentType, replacements);
}

function applyPointerReplacements(
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
    const pointer = pointerOf(replacement.target);
    try {
      const value = replacement.value as never;
      const patch = new JSONPointer(pointer).exists(document as never)
        ? new JSONPatch().replace(pointer, value)
        : new JSONPatch().add(pointer, value);
      document = patch.apply(document as never);
    } catch (error) {
      throw new ArazzoError(
        'REQUEST_INVALID',
        `replacement target ${replacement.target}: ${errorText(error).replace(/ \((add|replace):0\)$/, '')}`,
      );
    }
  }
  return document;
}

/** A JSON Pointer, also accepted in URI-fragment form (`#/a%20b`). */
function pointerOf(target: string): string {
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
