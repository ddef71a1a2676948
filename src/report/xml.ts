/**
 * XML 1.0 text for reports (JUnit). XML 1.0 §2.2 allows only #x9, #xA, #xD, #x20–#xD7FF,
 * #xE000–#xFFFD and #x10000–#x10FFFF, even as character references, so every other code point
 * (NUL, ESC and the other C0 controls, lone surrogates, U+FFFE/U+FFFF) is written as a visible
 * `\uXXXX` instead: a terminal colour code in a failure message stays readable and the file
 * stays well-formed.
 */

const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching the control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(char: string): string {
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/** Character data: `&`, `<`, `>` escaped (`>` too, so `]]>` can never appear). */
export function xmlText(text: string): string {
  return text
    .replace(FORBIDDEN, visible)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * An attribute value for `name="…"`. Tabs and line breaks become character references, since
 * attribute-value normalisation (XML 1.0 §3.3.3) would otherwise turn them into spaces.
 */
export function xmlAttribute(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** `<name a="1" b="2"` for the attributes whose value is defined. */
export function openTag(
  name: string,
  attributes: Readonly<Record<string, string | number | undefined>>,
): string {
  const parts = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttribute(String(value))}"`);
  return `<${name}${parts.join('')}`;
}
