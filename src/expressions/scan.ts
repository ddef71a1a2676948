/**
 * The runtime-expression scanner: reads one expression starting at a `$` inside a host string.
 *
 * Arazzo 1.0.1 §Runtime Expressions gives an ABNF whose `name = *( CHAR )` is greedy and may be
 * empty, and whose CHAR includes `{`/`}` (upstream issues #253, #424, #428). We parse
 * structurally, segment by segment, with the identifier classes of the 1.1 ABNF (POSITIONS §4.4):
 *   - step ids, workflow ids, source names: `[A-Za-z0-9_-]+` (1.1 `identifier-strict`)
 *   - input, output and component names:    `[A-Za-z0-9._-]+` (1.1 `identifier`)
 *   - header names: RFC 9110 `token`
 *   - query/path names, `$sourceDescriptions` references, pointer text: "free text", i.e. any
 *     character up to where the host context says the expression ends.
 *
 * Where an expression ends depends on where it is written (the scan mode):
 *   - `whole`:     the whole string is the expression (a field typed `{expression}`, or a value
 *                  that is exactly one expression); free text runs to the end of the string.
 *   - `braced`:    inside `{…}`; free text stops at `{` or `}` (1.1: names and pointer tokens
 *                  never contain braces, so the expression ends at the first `}`).
 *   - `condition`: an operand of a simple condition; free text stops at whitespace, `(`, `)` or
 *                  the first character of an operator (`= ! < > & |`) (POSITIONS §5.1).
 *   - `unbraced`:  the compatibility form `"Bearer $inputs.token"` (an expression embedded in a
 *                  string without braces); free text stops at whitespace and at the punctuation
 *                  that typically follows a value in text, `"'\`,;&=()<>[]{}`, and a trailing
 *                  `.` is not part of a name (it ends a sentence).
 */
import type { SpecVersion } from '../document/constants.js';
import type { Accessor, ComponentType, Expression, MessageSource } from './ast.js';
import { ExpressionError } from './errors.js';

export type ScanMode = 'whole' | 'braced' | 'condition' | 'unbraced';

export interface ScanResult {
  readonly expression: Expression;
  /** Offset just past the expression in the host string. */
  readonly end: number;
}

/** The expression roots of the 1.0.1 ABNF, after the `$`. */
export const EXPRESSION_ROOTS: ReadonlySet<string> = new Set([
  'url',
  'method',
  'statusCode',
  'request',
  'response',
  'inputs',
  'outputs',
  'steps',
  'workflows',
  'sourceDescriptions',
  'components',
]);

/** Arazzo 1.1 adds `$message` (AsyncAPI steps) and `$self`. */
const ROOTS_1_1: ReadonlySet<string> = new Set([...EXPRESSION_ROOTS, 'message', 'self']);

/** The roots a document of `version` may write. */
export function expressionRoots(version: SpecVersion): ReadonlySet<string> {
  return version === '1.0' ? EXPRESSION_ROOTS : ROOTS_1_1;
}

/**
 * `$components.<type>`: 1.0.1 writes `"$components." name` (so `inputs` too); the 1.1
 * `component-type` is `parameters / successActions / failureActions` only (inputs are JSON
 * Schemas, referenced with `$ref`: 1.1 §Reusable Object).
 */
const COMPONENT_TYPES: Readonly<Record<SpecVersion, readonly ComponentType[]>> = {
  '1.0': ['inputs', 'parameters', 'successActions', 'failureActions'],
  '1.1': ['parameters', 'successActions', 'failureActions'],
};

const isRootWordChar = (c: string): boolean => /^[A-Za-z0-9_]$/.test(c);
const isIdentChar = (c: string): boolean => /^[A-Za-z0-9._-]$/.test(c);
const isStrictIdentChar = (c: string): boolean => /^[A-Za-z0-9_-]$/.test(c);
const isAccessorNameChar = (c: string): boolean => /^[A-Za-z0-9_$-]$/.test(c);
/** RFC 9110 §5.6.2 `tchar`. */
const isTchar = (c: string): boolean => /^[A-Za-z0-9!#$%&'*+.^_`|~-]$/.test(c);
const isWhitespace = (c: string): boolean => /^\s$/u.test(c);

/** Characters that end free text (and any name) in each mode. */
function isStop(c: string, mode: ScanMode): boolean {
  switch (mode) {
    case 'whole':
      return false;
    case 'braced':
      return c === '{' || c === '}';
    case 'condition':
      return isWhitespace(c) || '()=!<>&|'.includes(c);
    case 'unbraced':
      return isWhitespace(c) || '"\'`,;&=()<>[]{}'.includes(c);
  }
}

/** The word after a `$` at `dollar` (letters, digits, `_`), e.g. `inputs` for `$inputs.x`. */
export function rootWordAt(src: string, dollar: number): string {
  let end = dollar + 1;
  while (end < src.length && isRootWordChar(src.charAt(end))) end++;
  return src.slice(dollar + 1, end);
}

/** True when `src[at]` is a `$` that starts one of the expression roots (`$5`, `$ref` do not). */
export function startsKnownRoot(src: string, at: number, version: SpecVersion = '1.0'): boolean {
  return src.charAt(at) === '$' && expressionRoots(version).has(rootWordAt(src, at));
}

/**
 * Read one expression that starts at `src[start]` (which must be `$`), in the grammar of the
 * document's `version`. Throws ExpressionError.
 */
export function scanExpression(
  src: string,
  start: number,
  mode: ScanMode,
  version: SpecVersion = '1.0',
): ScanResult {
  return new Scanner(src, start, mode, version).scan();
}

class Scanner {
  private pos: number;

  constructor(
    private readonly src: string,
    private readonly start: number,
    private readonly mode: ScanMode,
    private readonly version: SpecVersion,
  ) {
    this.pos = start;
  }

  scan(): ScanResult {
    const { src, start } = this;
    if (start >= src.length) throw this.error('EMPTY', 'the expression is empty', start);
    if (src.charAt(start) !== '$') {
      throw this.error('EXPECTED_DOLLAR', 'a runtime expression starts with "$"', start);
    }
    const word = rootWordAt(src, start);
    this.pos = start + 1 + word.length;
    const expression = this.root(word);
    return { expression, end: this.pos };
  }

  private root(word: string): Expression {
    switch (word) {
      case 'url':
      case 'method':
      case 'statusCode':
        return { kind: word, text: this.text() };
      case 'request':
      case 'response':
        return this.message(word);
      case 'inputs':
      case 'outputs': {
        this.expectDot(`$${word}`);
        const name = this.identifier(
          isIdentChar,
          `an ${word === 'inputs' ? 'input' : 'output'} name`,
        );
        return this.withTail({ kind: word, text: '', name });
      }
      case 'steps':
        return this.steps();
      case 'workflows':
        return this.workflows();
      case 'sourceDescriptions': {
        this.expectDot('$sourceDescriptions');
        const sourceName = this.identifier(isStrictIdentChar, 'a source description name');
        this.expectDot(`$sourceDescriptions.${sourceName}`);
        const reference = this.freeText();
        if (reference === '') {
          throw this.error(
            'EXPECTED_NAME',
            'expected an operationId, workflowId or field name (e.g. "url") after the source description name',
            this.pos,
          );
        }
        return { kind: 'sourceDescriptions', text: this.text(), sourceName, reference };
      }
      case 'components':
        return this.components();
      case 'message':
        if (this.version === '1.0') throw this.unknownRoot(word);
        return this.asyncMessage();
      case 'self':
        if (this.version === '1.0') throw this.unknownRoot(word);
        return { kind: 'self', text: this.text() };
      default:
        throw this.unknownRoot(word);
    }
  }

  private message(kind: 'request' | 'response'): Expression {
    this.expectDot(`$${kind}`);
    const wordStart = this.pos;
    while (this.pos < this.src.length && /^[A-Za-z]$/.test(this.src.charAt(this.pos))) this.pos++;
    const source = this.src.slice(wordStart, this.pos);
    switch (source) {
      case 'header': {
        this.expectDot(`$${kind}.header`);
        const name = this.identifier(isTchar, 'a header name (RFC 9110 token)');
        return { kind, text: this.text(), source, name };
      }
      case 'query':
      case 'path': {
        this.expectDot(`$${kind}.${source}`);
        const name = this.freeText();
        if (name === '') {
          throw this.error('EXPECTED_NAME', `expected a ${source} parameter name`, this.pos);
        }
        return { kind, text: this.text(), source, name };
      }
      case 'body':
        return this.withTail({ kind, text: '', source: 'body' satisfies MessageSource });
      default:
        throw this.error(
          'UNKNOWN_SOURCE',
          `$${kind}. must be followed by header., query., path. or body (found "${source || this.src.charAt(wordStart)}")`,
          wordStart,
        );
    }
  }

  /** 1.1 `"$message." source` with `header-reference / payload-reference` (query/path are HTTP's). */
  private asyncMessage(): Expression {
    this.expectDot('$message');
    const wordStart = this.pos;
    while (this.pos < this.src.length && /^[A-Za-z]$/.test(this.src.charAt(this.pos))) this.pos++;
    const source = this.src.slice(wordStart, this.pos);
    if (source === 'header') {
      this.expectDot('$message.header');
      const name = this.identifier(isTchar, 'a header name (RFC 9110 token)');
      return { kind: 'message', text: this.text(), source, name };
    }
    if (source === 'payload') return this.withTail({ kind: 'message', text: '', source });
    throw this.error(
      'UNKNOWN_SOURCE',
      `$message. must be followed by header. or payload (found "${source || this.src.charAt(wordStart)}")`,
      wordStart,
    );
  }

  private steps(): Expression {
    this.expectDot('$steps');
    const stepId = this.identifier(isStrictIdentChar, 'a step id ([A-Za-z0-9_-]+)');
    if (!this.src.startsWith('.outputs.', this.pos)) {
      throw this.error(
        'EXPECTED_OUTPUTS',
        `expected ".outputs.<name>" after $steps.${stepId} (a step exposes only its outputs)`,
        this.pos,
      );
    }
    this.pos += '.outputs.'.length;
    const name = this.identifier(isIdentChar, 'an output name');
    return this.withTail({ kind: 'steps', text: '', stepId, name });
  }

  private workflows(): Expression {
    this.expectDot('$workflows');
    const workflowId = this.identifier(isStrictIdentChar, 'a workflow id ([A-Za-z0-9_-]+)');
    let field: 'inputs' | 'outputs';
    if (this.src.startsWith('.inputs.', this.pos)) field = 'inputs';
    else if (this.src.startsWith('.outputs.', this.pos)) field = 'outputs';
    else {
      throw this.error(
        'EXPECTED_INPUTS_OR_OUTPUTS',
        `expected ".inputs.<name>" or ".outputs.<name>" after $workflows.${workflowId}`,
        this.pos,
      );
    }
    this.pos += field.length + 2;
    const name = this.identifier(
      isIdentChar,
      `a workflow ${field === 'inputs' ? 'input' : 'output'} name`,
    );
    return this.withTail({ kind: 'workflows', text: '', workflowId, field, name });
  }

  private components(): Expression {
    this.expectDot('$components');
    const wordStart = this.pos;
    while (this.pos < this.src.length && /^[A-Za-z]$/.test(this.src.charAt(this.pos))) this.pos++;
    const componentType = this.src.slice(wordStart, this.pos);
    const allowed = COMPONENT_TYPES[this.version];
    if (!(allowed as readonly string[]).includes(componentType)) {
      const hint =
        componentType === 'inputs'
          ? ' (in Arazzo 1.1, inputs are referenced with $ref: #/components/inputs/<name>)'
          : '';
      throw this.error(
        'UNKNOWN_COMPONENT_TYPE',
        `$components. must be followed by ${allowed.map((type) => `${type}.`).join(', ')} (found "${componentType}")${hint}`,
        wordStart,
      );
    }
    this.expectDot(`$components.${componentType}`);
    const name = this.identifier(isIdentChar, 'a component name');
    return {
      kind: 'components',
      text: this.text(),
      componentType: componentType as ComponentType,
      name,
    };
  }

  /** `#/pointer`, or `.name` / `[n]` accessors, after `body` or a name; then fixes `text`. */
  private withTail<T extends Expression>(partial: T): T {
    const { src } = this;
    if (src.charAt(this.pos) === '#') {
      this.pos++;
      const pointerStart = this.pos;
      const raw = this.freeText();
      return { ...partial, text: this.text(), pointer: parsePointer(raw, pointerStart, this) };
    }
    const accessors: Accessor[] = [];
    for (;;) {
      const c = src.charAt(this.pos);
      if (c === '[' && this.mode !== 'unbraced') {
        accessors.push(this.index());
      } else if (c === '.' && isAccessorNameChar(src.charAt(this.pos + 1))) {
        const offset = this.pos - this.start;
        this.pos++;
        const nameStart = this.pos;
        while (this.pos < src.length && isAccessorNameChar(src.charAt(this.pos))) this.pos++;
        accessors.push({ kind: 'member', name: src.slice(nameStart, this.pos), offset });
      } else {
        break;
      }
    }
    const text = this.text();
    return accessors.length === 0 ? { ...partial, text } : { ...partial, text, accessors };
  }

  private index(): Accessor {
    const { src } = this;
    const open = this.pos;
    const match = /^\[(0|[1-9][0-9]*)\]/.exec(src.slice(open, open + 20));
    if (match?.[1] === undefined) {
      throw this.error(
        'INVALID_ACCESSOR',
        'an index accessor is "[" non-negative integer "]"',
        open,
      );
    }
    this.pos += match[0].length;
    return { kind: 'index', index: Number(match[1]), offset: open - this.start };
  }

  private expectDot(after: string): void {
    if (this.src.charAt(this.pos) !== '.') {
      throw this.error('EXPECTED_DOT', `expected "." after ${after}`, this.pos);
    }
    this.pos++;
  }

  /** A non-empty run of `allowed` characters (never crossing a stop character). */
  private identifier(allowed: (c: string) => boolean, what: string): string {
    const { src, mode } = this;
    const begin = this.pos;
    while (this.pos < src.length) {
      const c = src.charAt(this.pos);
      if (!allowed(c) || isStop(c, mode)) break;
      this.pos++;
    }
    // In running text a trailing "." ends the sentence, not the name ("Hello $inputs.name.").
    if (mode === 'unbraced')
      while (this.pos > begin && src.charAt(this.pos - 1) === '.') this.pos--;
    if (this.pos === begin) {
      const found = begin < src.length ? `"${src.charAt(begin)}"` : 'the end';
      throw this.error('EXPECTED_NAME', `expected ${what}, found ${found}`, begin);
    }
    return src.slice(begin, this.pos);
  }

  /** Any characters up to the mode's stop set (1.0.1 `name = *( CHAR )`, pointer text). */
  private freeText(): string {
    const { src, mode } = this;
    const begin = this.pos;
    while (this.pos < src.length && !isStop(src.charAt(this.pos), mode)) this.pos++;
    if (mode === 'unbraced')
      while (this.pos > begin && src.charAt(this.pos - 1) === '.') this.pos--;
    return src.slice(begin, this.pos);
  }

  private text(): string {
    return this.src.slice(this.start, this.pos);
  }

  private unknownRoot(word: string): ExpressionError {
    const at = this.start;
    const lower = word.toLowerCase();
    const roots = expressionRoots(this.version);
    const near = [...roots].find((r) => r.toLowerCase() === lower);
    let hint = '';
    if (near !== undefined) hint = ` (expression names are case-sensitive: did you mean $${near}?)`;
    else if (word === 'message' || word === 'self')
      hint = ` ($${word} exists from Arazzo 1.1: set "arazzo: 1.1.0")`;
    else if (word === '' && /^[.[]$/.test(this.src.charAt(at + 1))) {
      hint = ' (this looks like a JSONPath query: use a criterion with type: jsonpath)';
    }
    return this.error(
      'UNKNOWN_ROOT',
      `unknown runtime expression "$${word}"${hint}; expected one of ${[...roots].map((r) => `$${r}`).join(', ')}`,
      at,
    );
  }

  error(code: ExpressionError['code'], message: string, offset: number): ExpressionError {
    return new ExpressionError(code, message, offset);
  }
}

/**
 * RFC 6901 §3-4: `""` is the whole value; otherwise `/`-separated tokens where `~1` is `/` and
 * `~0` is `~` (decoded `~1` first would be wrong: `~01` is `~1`, so we decode left to right).
 */
function parsePointer(raw: string, at: number, scanner: Scanner): string[] {
  if (raw === '') return [];
  if (!raw.startsWith('/')) {
    throw scanner.error(
      'INVALID_POINTER',
      'a JSON pointer after "#" must be empty or start with "/"',
      at,
    );
  }
  const tokens: string[] = [];
  let token = '';
  for (let i = 1; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '/') {
      tokens.push(token);
      token = '';
    } else if (c === '~') {
      const next = raw.charAt(i + 1);
      if (next !== '0' && next !== '1') {
        throw scanner.error(
          'INVALID_POINTER',
          'in a JSON pointer "~" must be followed by 0 (for "~") or 1 (for "/")',
          at + i,
        );
      }
      token += next === '0' ? '~' : '/';
      i++;
    } else {
      token += c;
    }
  }
  tokens.push(token);
  return tokens;
}
