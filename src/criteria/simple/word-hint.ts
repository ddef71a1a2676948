/**
 * The message for a bare word in a simple condition. The grammar's only words are `true`,
 * `false` and `null`, so another word is usually a string left unquoted (`== application/json`),
 * a literal in the wrong case (`TRUE`), or an operator of another language (`contains`, `and`):
 * each gets the Arazzo way to write it.
 */
import { pointerForm, type Expression } from '../../expressions/index.js';

export interface WordSite {
  /** The condition text and where the word starts in it. */
  readonly source: string;
  readonly start: number;
  readonly word: string;
  /** Whether the word follows an operand (`$x contains …`), where an operator would stand. */
  readonly afterOperand: boolean;
  /** The operand before the word when it is a runtime expression. */
  readonly expression?: Expression | undefined;
  /** The string literal after the word (`contains "httpbin"`), if one follows. */
  readonly nextString?: string | undefined;
}

/** An unquoted run: up to whitespace, a parenthesis, an operator character or a quote. */
const RUN = /[^\s()=!<>&|'"]+/y;

const LOGICAL: Readonly<Record<string, string>> = { and: '&&', or: '||', not: '!' };

/** Operators of other languages that a regex criterion expresses: word → pattern for a text. */
const TEXT_TESTS: Readonly<Record<string, (text: string) => string>> = {
  contains: (text) => escapeRegex(text),
  includes: (text) => escapeRegex(text),
  startswith: (text) => `^${escapeRegex(text)}`,
  endswith: (text) => `${escapeRegex(text)}$`,
  matches: (text) => text,
  like: (text) =>
    `^${[...text].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : escapeRegex(c))).join('')}$`,
};

export function unknownWordMessage(site: WordSite): string {
  const { word } = site;
  const lower = word.toLowerCase();
  if (lower === 'true' || lower === 'false' || lower === 'null')
    return `unknown word "${word}" (literals are lower-case: ${lower})`;
  const logical = LOGICAL[lower];
  if (logical !== undefined && (site.afterOperand || lower === 'not'))
    return `unknown word "${word}" (logical ${lower} is "${logical}")`;
  if (site.afterOperand) {
    const operand =
      site.expression === undefined ? '<runtime expression>' : pointerForm(site.expression);
    const pattern = Object.hasOwn(TEXT_TESTS, lower) ? TEXT_TESTS[lower] : undefined;
    if (pattern !== undefined) {
      const condition = site.nextString === undefined ? '<regex>' : pattern(site.nextString);
      return `unknown word "${word}": a simple condition has no ${word} operator; test the text with a regex criterion: context: ${operand}, type: regex, condition: ${condition}`;
    }
    if (lower === 'in') {
      return `unknown word "${word}": a simple condition has no in operator; compare with each value: ${operand} == 'a' || ${operand} == 'b'`;
    }
  }
  RUN.lastIndex = site.start;
  const run = RUN.exec(site.source)?.[0] ?? word;
  return `unknown word "${run}" (a string literal is written in single quotes: '${run}')`;
}

/** A regex matching `text` literally (syntax characters escaped; valid with the `u` flag). */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
