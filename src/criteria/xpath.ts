/**
 * `type: xpath` (Arazzo 1.0.1 §Criterion Object: "the expression MUST conform to XML Path Language
 * 3.1"; §Criterion Expression Type Object: versions `xpath-30`, `xpath-20`, `xpath-10`).
 *
 * The context must be XML text (the runtime keeps non-JSON bodies as strings); it is parsed with
 * @xmldom/xmldom (no DTD/external entity loading) and the condition is evaluated with fontoxpath,
 * an XPath 3.1 engine, to its Effective Boolean Value (1.1 §XPath Conditions: true; a non-zero
 * number; a non-empty string; a non-empty node sequence).
 *
 * Versions: fontoxpath implements XPath 3.1 only, and every version is evaluated with it. XPath 3.1
 * is a compatible extension of 3.0 and 2.0 for the expressions a condition uses. XPath 1.0 differs:
 * its Effective Boolean Value agrees (`boolean()` of a node-set, number, string or boolean), but
 * its comparisons convert implicitly — `<`/`>` turn both operands into numbers, and comparing a
 * number with a non-numeric string is simply false, where 3.1 compares strings as strings and
 * raises a type error (XPTY0004) for number-vs-string. We document this (note
 * `XPATH_VERSION_EMULATED`) rather than emulate 1.0; a type error fails the criterion with its
 * message, so a difference shows up as a visible failure, not a silent pass.
 */
import type { DOMImplementation } from '@xmldom/xmldom';
import type { Language } from 'fontoxpath';
import { loadFontoxpath, loadXmldom } from '../lazy-modules.js';
import { CriterionError } from './errors.js';

export type XPathVersion = 'xpath-10' | 'xpath-20' | 'xpath-30' | 'xpath-31';

/** XPath 3.1 ('XPath3.1' is fontoxpath's evaluateXPath.XPATH_3_1_LANGUAGE; a literal keeps the engine unloaded until used). */
const OPTIONS = { language: 'XPath3.1' as Language.XPATH_3_1_LANGUAGE };

/** A detached document for parseScript's XQueryX output (we only want its syntax errors). */
let scratch: ReturnType<DOMImplementation['createDocument']> | undefined;

/** Throws CriterionError `XPATH_SYNTAX` (with the offset the engine reports) if the condition does not parse. */
export function checkXPathSyntax(condition: string): void {
  const fontoxpath = loadFontoxpath();
  scratch ??= new (loadXmldom().DOMImplementation)().createDocument(null, 'scratch', null);
  try {
    fontoxpath.parseScript(
      condition,
      OPTIONS,
      scratch as unknown as Parameters<typeof fontoxpath.parseScript>[2],
    );
  } catch (error) {
    throw new CriterionError(
      'XPATH_SYNTAX',
      `invalid XPath: ${firstLine(error)}`,
      errorOffset(error, condition),
      {
        cause: error,
      },
    );
  }
}

export type XPathOutcome = { readonly value: boolean } | { readonly error: string };

/** Parses `xml` and evaluates `condition` to its Effective Boolean Value. Never throws. */
export function evaluateXPath(condition: string, xml: string): XPathOutcome {
  const document = parseXml(xml);
  if ('error' in document) return document;
  try {
    return {
      value: loadFontoxpath().evaluateXPathToBoolean(
        condition,
        document.document,
        null,
        null,
        OPTIONS,
      ),
    };
  } catch (error) {
    return { error: `XPath evaluation failed: ${firstLine(error)}` };
  }
}

/**
 * Parses `xml` and evaluates a Selector Object's XPath expression to its items (1.1 §Selector
 * Object): a node as its string value (XPath 3.1 §2.5.2 `fn:string`), an atomic value as the
 * JSON value it is (xs:boolean, numbers, strings; others as their string form), a map or array
 * as an object or array. Never throws.
 */
export function selectXPath(
  selector: string,
  xml: string,
): { readonly items: unknown[] } | { readonly error: string } {
  const document = parseXml(xml);
  if ('error' in document) return document;
  const fontoxpath = loadFontoxpath();
  try {
    const items: unknown = fontoxpath.evaluateXPath(
      selector,
      document.document,
      null,
      null,
      fontoxpath.evaluateXPath.ALL_RESULTS_TYPE,
      OPTIONS,
    );
    return { items: (Array.isArray(items) ? items : [items]).map(plainItem) };
  } catch (error) {
    return { error: `XPath evaluation failed: ${firstLine(error)}` };
  }
}

/** An XPath item as plain data (it crosses the worker boundary and becomes a JSON value). */
function plainItem(item: unknown): unknown {
  if (item === null || typeof item === 'boolean' || typeof item === 'string') return item;
  if (typeof item === 'number') return Number.isFinite(item) ? item : String(item);
  if (Array.isArray(item)) return item.map(plainItem);
  if (item instanceof Map)
    return Object.fromEntries([...item].map(([k, v]) => [String(k), plainItem(v)]));
  if (typeof item === 'object' && 'nodeType' in item) {
    const node = item as {
      nodeType: number;
      textContent?: string | null;
      nodeValue?: string | null;
    };
    return node.textContent ?? node.nodeValue ?? '';
  }
  if (typeof item === 'object' && !(item instanceof Date) && item.constructor === Object) {
    return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, plainItem(v)]));
  }
  if (item instanceof Date) return item.toISOString();
  return JSON.stringify(item) ?? null;
}

function parseXml(xml: string): { readonly document: unknown } | { readonly error: string } {
  const problems: string[] = [];
  const parser = new (loadXmldom().DOMParser)({
    // Collect instead of printing; errors and fatal errors make the context unusable.
    onError: (level, message) => {
      if (level !== 'warning') problems.push(String(message).split('\n')[0] ?? '');
    },
  });
  try {
    const document = parser.parseFromString(xml, 'text/xml');
    if (problems.length === 0 && document.documentElement !== null) return { document };
  } catch (error) {
    if (problems.length === 0) problems.push(firstLine(error));
  }
  return { error: `the context is not well-formed XML: ${problems[0] ?? 'no root element'}` };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // fontoxpath prefixes syntax errors with the source and a caret line; keep the "XPST…" line.
  const lines = message.split('\n').map((line) => line.trim());
  return (
    lines.find((line) => /^(Error: )?[A-Z]{4}\d{4}/.test(line))?.replace(/^Error: /, '') ??
    lines[0] ??
    ''
  );
}

function errorOffset(error: unknown, condition: string): number {
  const position = (error as { position?: { start?: { offset?: unknown } } } | null)?.position;
  const offset = position?.start?.offset;
  return typeof offset === 'number' && offset >= 0 && offset <= condition.length ? offset : 0;
}
