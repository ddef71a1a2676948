/**
 * A small, strict XML 1.0 reader for tests: enough to prove a report is well-formed (balanced
 * tags, quoted attributes, known entities, only allowed characters) and to read it back.
 * Not a general parser: no DTDs, no CDATA, no namespaces.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
/** XML 1.0 §2.2 Char, negated. */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml))
    throw new Error(`character not allowed in XML 1.0 at ${xml.search(FORBIDDEN)}`);
  let at = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at offset ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
  };
  const skipSpace = (): void => {
    while (at < xml.length && /\s/.test(xml[at] ?? '')) at += 1;
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    at = end + 2;
  }
  skipSpace();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (at < xml.length) {
    if (xml.startsWith('</', at)) {
      at += 2;
      const name = NAME.exec(xml.slice(at))?.[0] ?? fail('closing tag without a name');
      at += name.length;
      skipSpace();
      if (xml[at] !== '>') fail('malformed closing tag');
      at += 1;
      const open = stack.pop();
      if (open?.name !== name) fail(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      if (stack.length === 0) {
        skipSpace();
        if (at < xml.length) fail('content after the root element');
      }
    } else if (xml[at] === '<') {
      at += 1;
      const name = NAME.exec(xml.slice(at))?.[0] ?? fail('tag without a name');
      at += name.length;
      const attributes: Record<string, string> = {};
      for (;;) {
        const before = at;
        skipSpace();
        if (xml[at] === '>' || xml.startsWith('/>', at)) break;
        if (at === before) fail('attributes must be separated by space');
        const key = NAME.exec(xml.slice(at))?.[0] ?? fail('attribute without a name');
        at += key.length;
        if (xml[at] !== '=' || xml[at + 1] !== '"') fail('attribute value must follow ="');
        const end = xml.indexOf('"', at + 2);
        if (end < 0) fail('unterminated attribute');
        const raw = xml.slice(at + 2, end);
        if (raw.includes('<')) fail('< inside an attribute value');
        if (key in attributes) fail(`duplicate attribute ${key}`);
        attributes[key] = decode(raw, fail);
        at = end + 1;
      }
      const element: XmlElement = { name, attributes, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) fail('a second root element');
      else root = element;
      if (xml.startsWith('/>', at)) {
        at += 2;
        if (stack.length === 0) {
          skipSpace();
          if (at < xml.length) fail('content after the root element');
        }
      } else {
        at += 1;
        stack.push(element);
      }
    } else {
      const end = xml.indexOf('<', at);
      const raw = xml.slice(at, end < 0 ? xml.length : end);
      const parent = stack.at(-1) ?? fail('text outside the root element');
      if (raw.includes('>') && raw.includes(']]>')) fail(']]> in text');
      parent.text += decode(raw, fail);
      at = end < 0 ? xml.length : end;
    }
  }
  if (stack.length > 0 || !root) fail('unclosed elements');
  return root as XmlElement;
}

function decode(raw: string, fail: (message: string) => never): string {
  return raw.replace(/&([^;]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) fail(`bare & in ${JSON.stringify(raw)}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (body in named) return named[body] ?? '';
    const code = /^#x([0-9a-fA-F]+)$/.exec(body)?.[1];
    const decimal = /^#(\d+)$/.exec(body)?.[1];
    if (code === undefined && decimal === undefined) return fail(`unknown entity &${body};`);
    const char = String.fromCodePoint(
      code !== undefined ? parseInt(code, 16) : parseInt(decimal ?? '', 10),
    );
    if (FORBIDDEN.test(char)) fail(`character reference ${whole} to a character XML 1.0 forbids`);
    return char;
  });
}

/** Every element named `name` below (and including) `element`, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return [
    ...(element.name === name ? [element] : []),
    ...element.children.flatMap((child) => findAll(child, name)),
  ];
}
