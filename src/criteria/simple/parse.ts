/**
 * Precedence parser for simple conditions. Arazzo 1.0.1 lists the operators but no grammar or
 * precedence (upstream #518); our position (POSITIONS §5.1) is the C/JavaScript order:
 *
 *   or         = and *( "||" and )
 *   and        = equality *( "&&" equality )
 *   equality   = relational *( ( "==" / "!=" ) relational )
 *   relational = unary *( ( "<" / "<=" / ">" / ">=" ) unary )
 *   unary      = "!" unary / primary
 *   primary    = literal / runtime-expression / "(" or ")"
 *
 * All binary operators are left-associative. Nodes keep their source span for failure reasons.
 */
import type { SpecVersion } from '../../document/constants.js';
import type { Expression } from '../../expressions/index.js';
import { CriterionError } from '../errors.js';
import { tokenize, type ComparisonOperator, type Token } from './tokenize.js';

export type Literal = null | boolean | number | string;

export type SimpleNode =
  | {
      readonly kind: 'literal';
      readonly value: Literal;
      readonly start: number;
      readonly end: number;
      /** For strings: which quote was used (`"` is the compatibility form). */
      readonly quote?: "'" | '"';
    }
  | {
      readonly kind: 'expression';
      readonly expression: Expression;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'not';
      readonly operand: SimpleNode;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'compare';
      readonly operator: ComparisonOperator;
      readonly left: SimpleNode;
      readonly right: SimpleNode;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'and' | 'or';
      readonly left: SimpleNode;
      readonly right: SimpleNode;
      readonly start: number;
      readonly end: number;
    };

export function parseSimpleCondition(source: string, version: SpecVersion = '1.0'): SimpleNode {
  const tokens = tokenize(source, version);
  const parser = new Parser(source, tokens);
  const node = parser.or();
  parser.expectEnd();
  return node;
}

/**
 * Deeper trees are rejected rather than risking a stack overflow in the recursive parser and
 * evaluator (a condition has a handful of operators; 200 levels is far beyond any real one).
 */
const MAX_DEPTH = 200;

class Parser {
  private index = 0;
  /** Open `(` and `!` on the way down: bounds recursion before any node exists. */
  private nesting = 0;
  private readonly depths = new WeakMap<SimpleNode, number>();

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    // The token list always ends with an `end` token, and we never advance past it.
    return (
      this.tokens[this.index] ?? { kind: 'end', start: this.source.length, end: this.source.length }
    );
  }

  private isPunct(...values: string[]): boolean {
    const token = this.peek();
    return token.kind === 'punct' && values.includes(token.value);
  }

  or(): SimpleNode {
    let left = this.and();
    while (this.isPunct('||')) {
      this.index++;
      const right = this.and();
      left = this.deep({ kind: 'or', left, right, start: left.start, end: right.end }, [
        left,
        right,
      ]);
    }
    return left;
  }

  private and(): SimpleNode {
    let left = this.equality();
    while (this.isPunct('&&')) {
      this.index++;
      const right = this.equality();
      left = this.deep({ kind: 'and', left, right, start: left.start, end: right.end }, [
        left,
        right,
      ]);
    }
    return left;
  }

  private equality(): SimpleNode {
    let left = this.relational();
    for (
      let token = this.peek();
      token.kind === 'punct' && (token.value === '==' || token.value === '!=');
      token = this.peek()
    ) {
      this.index++;
      const right = this.relational();
      left = this.deep(
        { kind: 'compare', operator: token.value, left, right, start: left.start, end: right.end },
        [left, right],
      );
    }
    return left;
  }

  private relational(): SimpleNode {
    let left = this.unary();
    for (
      let token = this.peek();
      token.kind === 'punct' &&
      (token.value === '<' || token.value === '<=' || token.value === '>' || token.value === '>=');
      token = this.peek()
    ) {
      this.index++;
      const right = this.unary();
      left = this.deep(
        { kind: 'compare', operator: token.value, left, right, start: left.start, end: right.end },
        [left, right],
      );
    }
    return left;
  }

  private unary(): SimpleNode {
    const token = this.peek();
    if (token.kind === 'punct' && token.value === '!') {
      this.index++;
      this.descend(token.start);
      const operand = this.unary();
      this.nesting--;
      return this.deep({ kind: 'not', operand, start: token.start, end: operand.end }, [operand]);
    }
    return this.primary();
  }

  private primary(): SimpleNode {
    const token = this.peek();
    switch (token.kind) {
      case 'string':
        this.index++;
        return {
          kind: 'literal',
          value: token.value,
          quote: token.quote,
          start: token.start,
          end: token.end,
        };
      case 'number':
      case 'keyword':
        this.index++;
        return { kind: 'literal', value: token.value, start: token.start, end: token.end };
      case 'expression':
        this.index++;
        return { kind: 'expression', expression: token.value, start: token.start, end: token.end };
      case 'end':
        throw new CriterionError(
          'UNEXPECTED_END',
          this.index === 0
            ? 'the condition is empty'
            : 'the condition ends where an operand is expected',
          token.start,
        );
      case 'punct': {
        if (token.value === '(') {
          this.index++;
          this.descend(token.start);
          const inner = this.or();
          this.nesting--;
          const close = this.peek();
          if (close.kind === 'punct' && close.value === ')') {
            this.index++;
            // The span includes the parentheses, so failure reasons quote them.
            return this.deep({ ...inner, start: token.start, end: close.end }, [inner]);
          }
          if (close.kind === 'end') {
            throw new CriterionError('UNEXPECTED_END', 'missing ")" to close "("', token.start);
          }
          throw this.unexpected(close, 'expected ")"');
        }
        throw this.unexpected(token, 'expected a literal, a runtime expression, "!" or "("');
      }
    }
  }

  private descend(at: number): void {
    if (++this.nesting > MAX_DEPTH) {
      throw new CriterionError(
        'TOO_COMPLEX',
        `the condition nests more than ${MAX_DEPTH} levels of operators or parentheses`,
        at,
      );
    }
  }

  /** Records the depth of a new node; throws past MAX_DEPTH. */
  private deep(node: SimpleNode, children: readonly SimpleNode[]): SimpleNode {
    const depth = 1 + Math.max(0, ...children.map((child) => this.depths.get(child) ?? 0));
    if (depth > MAX_DEPTH) {
      throw new CriterionError(
        'TOO_COMPLEX',
        `the condition nests more than ${MAX_DEPTH} levels of operators or parentheses`,
        node.start,
      );
    }
    this.depths.set(node, depth);
    return node;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end')
      throw this.unexpected(token, 'expected an operator or the end of the condition');
  }

  private unexpected(token: Token, expected: string): CriterionError {
    const text = this.source.slice(token.start, token.end);
    return new CriterionError('UNEXPECTED_TOKEN', `unexpected "${text}": ${expected}`, token.start);
  }
}

/** Every runtime expression in a parsed condition, left to right. */
export function expressionsOf(node: SimpleNode): Expression[] {
  switch (node.kind) {
    case 'literal':
      return [];
    case 'expression':
      return [node.expression];
    case 'not':
      return expressionsOf(node.operand);
    case 'compare':
    case 'and':
    case 'or':
      return [...expressionsOf(node.left), ...expressionsOf(node.right)];
  }
}
