/**
 * Simple conditions: every operator and literal, precedence, the comparison semantics written in
 * README.md ("Expressions and conditions"), failure reasons, notes, and every syntax error with its offset.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileCriterion,
  CriterionError,
  evaluateCriterion,
  type CriterionErrorCode,
  type CriterionNoteCode,
} from '../../src/criteria/index.js';
import type { RuntimeContext } from '../../src/expressions/index.js';
import { ctx, withExchange, withResponse } from '../expressions/context-fixture.js';

const notFound = withResponse({ message: 'no pet' }, 404);

const rows: { name: string; condition: string; passed: boolean; context?: RuntimeContext }[] = [
  // Operators.
  { name: '== number', condition: '$statusCode == 200', passed: true },
  { name: '== number fails', condition: '$statusCode == 200', passed: false, context: notFound },
  { name: '!=', condition: '$statusCode != 200', passed: false },
  { name: '!= passes', condition: '$statusCode != 404', passed: true },
  { name: '<', condition: '$statusCode < 300', passed: true },
  { name: '< fails on equal', condition: '$statusCode < 200', passed: false },
  { name: '<=', condition: '$statusCode <= 200', passed: true },
  { name: '>', condition: '$statusCode > 199', passed: true },
  { name: '> fails on equal', condition: '$statusCode > 200', passed: false },
  { name: '>=', condition: '$statusCode >= 200', passed: true },
  { name: '!', condition: '!($statusCode == 404)', passed: true },
  { name: '&&', condition: '$statusCode == 200 && $response.body#/ok', passed: true },
  { name: '&& fails', condition: '$statusCode == 200 && $response.body#/done', passed: false },
  { name: '||', condition: '$statusCode == 201 || $statusCode == 200', passed: true },
  { name: '|| fails', condition: '$statusCode == 201 || $statusCode == 202', passed: false },
  {
    name: 'parentheses',
    condition: '($statusCode == 201 || $statusCode == 200) && $response.body#/ok',
    passed: true,
  },
  {
    name: 'no spaces needed',
    condition: '$statusCode==200&&$response.body#/count>=3',
    passed: true,
  },
  {
    name: 'newlines and tabs are whitespace',
    condition: "$statusCode == 200\n\t&& $method == 'GET'",
    passed: true,
  },
  // Literals.
  { name: 'single-quoted string', condition: "$method == 'GET'", passed: true },
  { name: "'' escapes a quote", condition: "$response.body#/name == 'O''Brien'", passed: true },
  { name: 'double-quoted string (compat)', condition: '$method == "GET"', passed: true },
  { name: 'backslash is an ordinary character', condition: "'a\\b' == 'a\\b'", passed: true },
  { name: 'empty string', condition: "'' == ''", passed: true },
  { name: 'decimal number', condition: '$response.body#/ratio == 0.5', passed: true },
  { name: 'negative number', condition: '$response.body#/count > -1', passed: true },
  { name: 'exponent', condition: '$statusCode == 2e2', passed: true },
  { name: 'negative exponent', condition: '$response.body#/ratio == 5E-1', passed: true },
  { name: 'true', condition: 'true', passed: true },
  { name: 'false', condition: 'false', passed: false },
  { name: 'null literal alone fails', condition: 'null', passed: false },
  { name: '!false', condition: '!false', passed: true },
  { name: '!null (null is falsy)', condition: '!null', passed: true },
  // Precedence and associativity: ! > relational > equality > && > ||.
  { name: '! binds tighter than ==', condition: '!$response.body#/done == true', passed: true },
  { name: 'relational binds tighter than equality', condition: '1 < 2 == true', passed: true },
  { name: '&& binds tighter than ||', condition: 'true || false && false', passed: true },
  { name: 'parentheses override', condition: '(true || false) && false', passed: false },
  {
    name: 'left associative: (1 < 2) < 3 compares a boolean',
    condition: '1 < 2 < 3',
    passed: false,
  },
  { name: 'double negation', condition: '!!$response.body#/ok', passed: true },
  // Strings compare case-insensitively.
  {
    name: 'case-insensitive equality',
    condition: "$response.body#/status == 'running'",
    passed: true,
  },
  {
    name: 'case-insensitive inequality',
    condition: "$response.body#/status != 'RUNNING'",
    passed: false,
  },
  {
    name: 'case-insensitive header value',
    condition: "$request.header.accept == 'Application/JSON'",
    passed: true,
  },
  { name: 'case-insensitive $method', condition: "$method == 'get'", passed: true },
  { name: 'case-insensitive ordering', condition: "'abc' < 'ABD'", passed: true },
  { name: 'full case mapping (ß = SS)', condition: "'STRASSE' == 'straße'", passed: true },
  { name: 'strings order by code point', condition: "'Z' < 'a'", passed: false },
  { name: 'supplementary characters order after BMP', condition: "'\uffff' < '😀'", passed: true },
  // Numbers and numeric strings.
  {
    name: 'numeric string header vs number',
    condition: '$response.header.X-Rate-Limit-Remaining > 5',
    passed: true,
  },
  {
    name: 'numeric string equality with leading zeros',
    condition: '$response.body#/id == 42',
    passed: true,
  },
  { name: 'number vs numeric string, reversed', condition: "10 >= '9.5'", passed: true },
  { name: 'numeric string with spaces and leading zeros', condition: "' 007 ' == 7", passed: true },
  { name: 'two numeric strings compare as strings', condition: "'10' < '9'", passed: true },
  {
    name: 'two numeric strings are not numerically equal',
    condition: "'1.0' == '1'",
    passed: false,
  },
  { name: 'non-numeric string vs number', condition: "'abc' == 0", passed: false },
  { name: 'empty string is not 0', condition: "'' == 0", passed: false },
  { name: 'hex is not numeric', condition: "'0x10' == 16", passed: false },
  { name: 'ordering across types is false', condition: "'abc' < 1", passed: false },
  // null, booleans, containers.
  { name: 'null == null', condition: '$response.body#/error == null', passed: true },
  { name: 'value != null', condition: '$response.body#/count != null', passed: true },
  { name: 'null is not false', condition: 'null == false', passed: false },
  { name: 'null is not 0', condition: 'null == 0', passed: false },
  { name: "null is not ''", condition: "null == ''", passed: false },
  { name: 'null is not ordered', condition: 'null <= null', passed: false },
  { name: 'boolean is not a string', condition: "$response.body#/ok == 'true'", passed: false },
  { name: 'boolean is not a number', condition: 'true == 1', passed: false },
  {
    name: 'arrays compare by members',
    condition: '$response.body#/tags == $response.body#/tags',
    passed: true,
  },
  {
    name: 'objects compare by members',
    condition: '$inputs.customer == $inputs.customer',
    passed: true,
  },
  { name: 'different arrays', condition: '$response.body#/tags == $inputs.flags', passed: false },
  // Unresolved operands fail every comparison (and ! does not rescue them).
  { name: 'missing == null fails', condition: '$response.body#/missing == null', passed: false },
  { name: 'missing != null fails', condition: '$response.body#/missing != null', passed: false },
  { name: 'missing != 1 fails', condition: '$inputs.nope != 1', passed: false },
  { name: '!(missing == 1) fails', condition: '!($inputs.nope == 1)', passed: false },
  {
    name: 'missing || true passes',
    condition: '$inputs.nope == 1 || $statusCode == 200',
    passed: true,
  },
  { name: 'missing && false is false', condition: '!($inputs.nope == 1 && false)', passed: true },
  {
    name: 'no exchange: $statusCode fails',
    condition: '$statusCode == 200',
    passed: false,
    context: withExchange(undefined),
  },
  // Bare operands pass only when they are true.
  { name: 'bare true', condition: '$response.body#/ok', passed: true },
  { name: 'bare false', condition: '$response.body#/done', passed: false },
  { name: 'bare number is not true', condition: '$response.body#/count', passed: false },
  { name: 'bare string is not true', condition: "'true'", passed: false },
  { name: '! of a number is not true either', condition: '!$response.body#/count', passed: false },
  { name: '! of null passes', condition: '!$response.body#/error', passed: true },
  { name: '! of missing fails', condition: '!$response.body#/missing', passed: false },
  // Operands: every expression form, indexing and dot navigation.
  {
    name: '$url',
    condition: "$url == 'https://api.example.com/pets/42?verbose=true'",
    passed: true,
  },
  { name: '$request.path', condition: '$request.path.petId == 42', passed: true },
  { name: '$request.query', condition: "$request.query.verbose == 'TRUE'", passed: true },
  { name: '$request.body pointer', condition: "$request.body#/user/uuid == 'u-1'", passed: true },
  { name: '$inputs vs body', condition: '$inputs.threshold < $response.body#/count', passed: true },
  { name: '$outputs', condition: "$outputs.bar == 'workflow-bar'", passed: true },
  { name: '$steps pointer', condition: '$steps.someStepId.outputs.pets#/0/id == 7', passed: true },
  { name: '$workflows', condition: "$workflows.foo.outputs.bar == 'FOO-BAR'", passed: true },
  {
    name: '$sourceDescriptions',
    condition: "$sourceDescriptions.petstore.url != ''",
    passed: true,
  },
  { name: '$components', condition: '$components.parameters.page != null', passed: true },
  { name: 'index accessor', condition: "$response.body#/items/1/name == 'B'", passed: true },
  {
    name: 'dot and index navigation',
    condition: "$response.body.items[1].name == 'b'",
    passed: true,
  },
  { name: 'inputs dot navigation', condition: "$inputs.customer.firstName == 'ann'", passed: true },
  {
    name: 'pointer escapes',
    condition: "$response.body#/a~1b == 'slash' && $response.body#/m~0n == 'tilde'",
    passed: true,
  },
  {
    name: 'operand ends at an operator',
    condition: "$response.body#/status=='running'",
    passed: true,
  },
  { name: 'operand ends at a parenthesis', condition: '($response.body#/ok)', passed: true },
];

for (const row of rows) {
  test(`simple: ${row.name}: ${row.condition}`, async () => {
    const criterion = compileCriterion({ condition: row.condition });
    assert.equal(criterion.kind, 'simple');
    const result = await evaluateCriterion(criterion, row.context ?? ctx);
    assert.equal(result.passed, row.passed, result.reason);
    if (result.passed) assert.equal(result.reason, undefined);
    else assert.ok(result.reason !== undefined && result.reason.length > 0);
  });
}

const reasons: {
  name: string;
  condition: string;
  reason: string | RegExp;
  context?: RuntimeContext;
}[] = [
  {
    name: 'comparison shows the actual value',
    condition: '$statusCode == 200',
    reason: '$statusCode == 200, but $statusCode is 404',
    context: notFound,
  },
  {
    name: 'string values are quoted',
    condition: "$response.body#/status == 'done'",
    reason: `$response.body#/status == 'done', but $response.body#/status is "Running"`,
  },
  {
    name: 'both operands shown',
    condition: '$inputs.threshold > $response.body#/count',
    reason:
      '$inputs.threshold > $response.body#/count, but $inputs.threshold is 2 and $response.body#/count is 3',
  },
  {
    name: 'undefined says why',
    condition: '$response.body#/nope == 1',
    reason:
      '$response.body#/nope == 1, but $response.body#/nope is undefined (the value has no member "nope")',
  },
  {
    name: 'no exchange says why',
    condition: '$statusCode == 200',
    reason: /\$statusCode is undefined \(there is no HTTP exchange here\)/,
    context: withExchange(undefined),
  },
  {
    name: '&& names the failing side',
    condition: '$statusCode == 200 && $response.body#/count > 5',
    reason: '$response.body#/count > 5, but $response.body#/count is 3',
  },
  {
    name: '|| lists every alternative',
    condition: '$statusCode == 201 || $statusCode == 202',
    reason:
      /no alternative .* holds: \$statusCode == 201, but \$statusCode is 200; \$statusCode == 202, but \$statusCode is 200/,
  },
  {
    name: '! of true',
    condition: '!$response.body#/ok',
    reason: '!$response.body#/ok, but $response.body#/ok is true',
  },
  {
    name: 'bare non-boolean',
    condition: '$response.body#/count',
    reason: '$response.body#/count is 3, not a boolean',
  },
  {
    name: 'bare false',
    condition: '$response.body#/done',
    reason: '$response.body#/done is false',
  },
  { name: 'literal comparison', condition: '1 == 2', reason: '1 == 2 is false' },
  {
    name: 'parenthesised group is quoted with its parentheses',
    condition: '($statusCode == 1) == true',
    reason: '($statusCode == 1) == true, but ($statusCode == 1) is false',
  },
];

for (const row of reasons) {
  test(`reason: ${row.name}`, async () => {
    const result = await evaluateCriterion(
      compileCriterion({ condition: row.condition }),
      row.context ?? ctx,
    );
    assert.equal(result.passed, false);
    if (typeof row.reason === 'string') assert.equal(result.reason, row.reason);
    else assert.match(result.reason ?? '', row.reason);
  });
}

const notes: {
  name: string;
  condition: string;
  code: CriterionNoteCode;
  offset: number;
  rewrite: string;
}[] = [
  {
    name: 'double quotes',
    condition: '$method == "GET" && $url != "x"',
    code: 'DOUBLE_QUOTED_STRING',
    offset: 11,
    rewrite: "$method == 'GET' && $url != 'x'",
  },
  {
    name: 'double quotes holding a single quote',
    condition: `$response.body#/name == "O'Brien"`,
    code: 'DOUBLE_QUOTED_STRING',
    offset: 24,
    rewrite: "$response.body#/name == 'O''Brien'",
  },
  {
    name: 'dot navigation',
    condition: '$statusCode == 200 && $response.body.data != null',
    code: 'DOT_NAVIGATION',
    offset: 22,
    rewrite: '$statusCode == 200 && $response.body#/data != null',
  },
  {
    name: 'index navigation',
    condition: '$response.body.items[0].id == 1',
    code: 'DOT_NAVIGATION',
    offset: 0,
    rewrite: '$response.body#/items/0/id == 1',
  },
];

for (const row of notes) {
  test(`note: ${row.name} → ${row.code}`, async () => {
    const criterion = compileCriterion({ condition: row.condition });
    const note = criterion.notes.find((n) => n.code === row.code);
    assert.ok(note, `expected ${row.code}`);
    assert.equal(note.offset, row.offset);
    assert.equal(note.rewrite, row.rewrite);
    // The rewrite means the same thing.
    assert.equal(
      (await evaluateCriterion(compileCriterion({ condition: row.rewrite }), ctx)).passed,
      (await evaluateCriterion(criterion, ctx)).passed,
    );
  });
}

test('spec-form conditions have no notes', () => {
  for (const condition of [
    "$statusCode == 200 && $response.body#/status == 'running'",
    '$inputs.customer.firstName != null',
  ]) {
    assert.deepEqual(compileCriterion({ condition }).notes, []);
  }
});

test('the compiled criterion lists its expressions', () => {
  const criterion = compileCriterion({
    condition: '$statusCode == 200 && $steps.a.outputs.b#/c != $inputs.x',
  });
  assert.deepEqual(
    criterion.expressions.map((e) => e.text),
    ['$statusCode', '$steps.a.outputs.b#/c', '$inputs.x'],
  );
});

test('type: simple with a context is accepted (the context is not used)', async () => {
  const criterion = compileCriterion({
    type: 'simple',
    context: '$response.body',
    condition: '$statusCode == 200',
  });
  assert.equal(criterion.context?.text, '$response.body');
  assert.equal((await evaluateCriterion(criterion, ctx)).passed, true);
});

const errors: { name: string; condition: string; code: CriterionErrorCode; offset: number }[] = [
  { name: 'empty', condition: '', code: 'UNEXPECTED_END', offset: 0 },
  { name: 'blank', condition: '   ', code: 'UNEXPECTED_END', offset: 3 },
  { name: 'single =', condition: '$statusCode = 200', code: 'UNEXPECTED_CHARACTER', offset: 12 },
  { name: 'single &', condition: '1 & 2', code: 'UNEXPECTED_CHARACTER', offset: 2 },
  { name: 'single |', condition: '1 | 2', code: 'UNEXPECTED_CHARACTER', offset: 2 },
  {
    name: 'braces around the condition',
    condition: '{$statusCode == 401}',
    code: 'UNEXPECTED_CHARACTER',
    offset: 0,
  },
  {
    name: 'stray character',
    condition: '$statusCode == 200 #',
    code: 'UNEXPECTED_CHARACTER',
    offset: 19,
  },
  {
    name: 'unquoted word',
    condition: '$statusCode == running',
    code: 'UNKNOWN_IDENTIFIER',
    offset: 15,
  },
  { name: 'upper-case literal', condition: 'TRUE', code: 'UNKNOWN_IDENTIFIER', offset: 0 },
  {
    name: 'unterminated string',
    condition: "$method == 'GET",
    code: 'UNTERMINATED_STRING',
    offset: 11,
  },
  {
    name: 'unterminated double-quoted string',
    condition: '$method == "GET',
    code: 'UNTERMINATED_STRING',
    offset: 11,
  },
  { name: 'leading zero', condition: '$statusCode == 0200', code: 'INVALID_NUMBER', offset: 15 },
  { name: 'trailing dot', condition: '1. == 1', code: 'INVALID_NUMBER', offset: 0 },
  { name: 'bad exponent', condition: '1e == 1', code: 'INVALID_NUMBER', offset: 0 },
  { name: 'number runs into a word', condition: '200ms == 1', code: 'INVALID_NUMBER', offset: 0 },
  { name: 'lone minus', condition: '- 1 == -1', code: 'UNEXPECTED_CHARACTER', offset: 0 },
  {
    name: 'missing right operand',
    condition: '$statusCode ==',
    code: 'UNEXPECTED_END',
    offset: 14,
  },
  { name: 'missing left operand', condition: '== 200', code: 'UNEXPECTED_TOKEN', offset: 0 },
  {
    name: 'unclosed parenthesis',
    condition: '($statusCode == 200',
    code: 'UNEXPECTED_END',
    offset: 0,
  },
  {
    name: 'extra closing parenthesis',
    condition: '$statusCode == 200)',
    code: 'UNEXPECTED_TOKEN',
    offset: 18,
  },
  { name: 'empty parentheses', condition: '()', code: 'UNEXPECTED_TOKEN', offset: 1 },
  { name: 'two operands', condition: '1 1', code: 'UNEXPECTED_TOKEN', offset: 2 },
  { name: 'operand after a group', condition: '(true) 1', code: 'UNEXPECTED_TOKEN', offset: 7 },
  { name: 'dangling !', condition: '!', code: 'UNEXPECTED_END', offset: 1 },
  {
    name: 'unknown expression root',
    condition: '$foo == 1',
    code: 'EXPRESSION_INVALID',
    offset: 0,
  },
  {
    name: 'JSONPath written as simple',
    condition: '$.status == 1',
    code: 'EXPRESSION_INVALID',
    offset: 0,
  },
  {
    name: 'expression error offset is absolute',
    condition: '$statusCode == 200 && $inputs. == 1',
    code: 'EXPRESSION_INVALID',
    offset: 30,
  },
  {
    name: 'bad pointer escape',
    condition: '$response.body#/a~x == 1',
    code: 'EXPRESSION_INVALID',
    offset: 17,
  },
  {
    name: 'steps without outputs',
    condition: '$steps.x.y == 1',
    code: 'EXPRESSION_INVALID',
    offset: 8,
  },
  {
    name: 'too deeply nested parentheses',
    condition: '('.repeat(300) + 'true' + ')'.repeat(300),
    code: 'TOO_COMPLEX',
    offset: 200,
  },
  {
    name: 'too many negations',
    condition: '!'.repeat(300) + 'true',
    code: 'TOO_COMPLEX',
    offset: 200,
  },
  {
    name: 'too long a chain',
    condition: 'true' + ' && true'.repeat(300),
    code: 'TOO_COMPLEX',
    offset: 0,
  },
];

for (const row of errors) {
  test(`syntax error: ${row.name} → ${row.code}@${row.offset}`, () => {
    assert.throws(
      () => compileCriterion({ condition: row.condition }),
      (error: unknown) => {
        assert.ok(error instanceof CriterionError, String(error));
        assert.equal(error.code, row.code, error.message);
        assert.equal(error.offset, row.offset, error.message);
        assert.equal(error.field, 'condition');
        return true;
      },
    );
  });
}

// A bare word says what to write instead: the whole unquoted run quoted, the Arazzo spelling of
// another language's operator (issue 20).
const wordHints: { condition: string; message: string }[] = [
  {
    condition: '$response.header.Content-Type == application/json',
    message:
      'unknown word "application/json" (a string literal is written in single quotes: \'application/json\')',
  },
  {
    condition: '$statusCode == 200 && ($request.header.Accept == text/html)',
    message:
      'unknown word "text/html" (a string literal is written in single quotes: \'text/html\')',
  },
  {
    condition: '$response.body.url contains "httpbin"',
    message:
      'unknown word "contains": a simple condition has no contains operator; test the text with a regex criterion: context: $response.body#/url, type: regex, condition: httpbin',
  },
  {
    condition: "$response.body#/name startsWith 'a.b'",
    message:
      'unknown word "startsWith": a simple condition has no startsWith operator; test the text with a regex criterion: context: $response.body#/name, type: regex, condition: ^a\\.b',
  },
  {
    condition: "$url endsWith '/pets'",
    message:
      'unknown word "endsWith": a simple condition has no endsWith operator; test the text with a regex criterion: context: $url, type: regex, condition: /pets$',
  },
  {
    condition: "$response.body#/sku like 'AB_%'",
    message:
      'unknown word "like": a simple condition has no like operator; test the text with a regex criterion: context: $response.body#/sku, type: regex, condition: ^AB..*$',
  },
  {
    condition: '$statusCode in (200, 201)',
    message:
      "unknown word \"in\": a simple condition has no in operator; compare with each value: $statusCode == 'a' || $statusCode == 'b'",
  },
  {
    condition: "$statusCode == 200 and $method == 'GET'",
    message: 'unknown word "and" (logical and is "&&")',
  },
  { condition: 'not $response.body#/done', message: 'unknown word "not" (logical not is "!")' },
  { condition: 'TRUE', message: 'unknown word "TRUE" (literals are lower-case: true)' },
  {
    condition: '$method == contains',
    message: 'unknown word "contains" (a string literal is written in single quotes: \'contains\')',
  },
];

for (const row of wordHints) {
  test(`a bare word gets a hint: ${row.condition}`, () => {
    assert.throws(
      () => compileCriterion({ condition: row.condition }),
      (error: unknown) => {
        assert.ok(error instanceof CriterionError, String(error));
        assert.equal(error.code, 'UNKNOWN_IDENTIFIER');
        assert.equal(error.message, row.message);
        return true;
      },
    );
  });
}

test('the regex criterion the contains hint suggests passes where contains was meant', async () => {
  const criterion = compileCriterion({
    context: '$response.body#/url',
    type: 'regex',
    condition: 'httpbin',
  });
  const hit = withResponse({ url: 'https://httpbin.org/get' }, 200);
  const miss = withResponse({ url: 'https://example.org/get' }, 200);
  assert.equal((await evaluateCriterion(criterion, hit)).passed, true);
  assert.equal((await evaluateCriterion(criterion, miss)).passed, false);
});

test('an expression error keeps the expression code', () => {
  assert.throws(
    () => compileCriterion({ condition: '$statusCode == 200 && $inputs == 1' }),
    (error: unknown) => error instanceof CriterionError && error.expressionCode === 'EXPECTED_DOT',
  );
});

test('a long but flat condition within the limit compiles', async () => {
  const condition = 'true' + ' && true'.repeat(150);
  assert.equal((await evaluateCriterion(compileCriterion({ condition }), ctx)).passed, true);
});
