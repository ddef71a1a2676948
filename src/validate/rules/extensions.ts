import { childPointer } from '../../errors.js';
import type { StepModel, ValueModel } from '../../model/types.js';
import type { Finding } from '../types.js';
import { isDict } from '../util.js';
import type { Rule } from './rule.js';

const X_SECURITY = 'x-security';
const X_OPERATION = 'x-operation';
const ARAZZO_TARGETS = ['operationId', 'operationPath', 'workflowId', 'channelPath'];

/**
 * The dialect of Redocly Respect, the most used other runner (POSITIONS §12). Its documents run
 * here, but they are not portable Arazzo, and authors should know which parts are not:
 *   - `extension-x-security` (warning): credentials given by the `x-security` extension; `run`
 *     applies them, other tools send none. `extension-x-security-invalid` (error): an entry
 *     that cannot be applied (an unknown scheme name for the step's source, an unsupported
 *     scheme, a missing value).
 *   - `extension-x-operation` (warning): a step that calls a URL through `x-operation` instead
 *     of an operation of an OpenAPI source; `run` calls it, other tools refuse the step.
 *     `extension-x-operation-invalid` (error): not `{ url, method }`.
 *   - `extension-faker` (warning): `$faker.…` (fake data) is no Arazzo expression; the value is
 *     sent as the literal text.
 *   - `extension-file` (warning): `$file(…)` (Respect puts the file's content there) is no
 *     Arazzo expression either: the value is sent as the literal text, no file is read.
 *   - `extension-env` (warning): `$env.NAME` / `{$env.NAME}` (an environment variable, as other
 *     tools read it) is no Arazzo expression root (§Runtime Expressions): sent as the literal text.
 */
export const extensions = {
  codes: {
    'extension-x-security': 'warning',
    'extension-x-security-invalid': 'error',
    'extension-x-operation': 'warning',
    'extension-x-operation-invalid': 'error',
    'extension-faker': 'warning',
    'extension-file': 'warning',
    'extension-env': 'warning',
  },
  check(ctx) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const add = (finding: Finding): void => {
      const key = `${finding.code}\n${finding.pointer}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(finding);
    };
    for (const workflow of ctx.model.workflows) {
      if (workflow.raw[X_SECURITY] !== undefined)
        add(xSecurityNotice(workflow.pointer, 'workflow'));
      for (const step of workflow.steps) {
        if (step.raw[X_SECURITY] !== undefined) add(xSecurityNotice(step.pointer, 'step'));
        for (const entry of step.xSecurity) {
          if (entry.problem === undefined) continue;
          add({
            code: 'extension-x-security-invalid',
            message: entry.problem,
            pointer: entry.pointer,
          });
        }
        const operation = xOperation(step);
        if (operation !== undefined) add(operation);
        for (const value of valuesOf(step)) otherDialectIn(value.raw, value.pointer, add);
      }
    }
    return findings;
  },
} satisfies Rule;

function xSecurityNotice(owner: string, where: 'workflow' | 'step'): Finding {
  const scope =
    where === 'workflow' ? "to the workflow's operation steps" : "to the step's request";
  return {
    code: 'extension-x-security',
    message: `x-security is an extension of Redocly Respect: arazzo run applies it ${scope}, other Arazzo tools send no credentials; for a portable document leave credentials to the runner (arazzo run --auth <scheme>=<value>, from the source's securitySchemes)`,
    pointer: childPointer(owner, X_SECURITY),
  };
}

function xOperation(step: StepModel): Finding | undefined {
  if (step.raw[X_OPERATION] === undefined) return undefined;
  const pointer = childPointer(step.pointer, X_OPERATION);
  const named = ARAZZO_TARGETS.find((field) => step.raw[field] !== undefined);
  if (named !== undefined)
    return {
      code: 'extension-x-operation',
      message: `x-operation is ignored: the step calls its ${named}`,
      pointer,
    };
  const { target } = step;
  if (target.kind !== 'url') {
    const message = target.kind === 'none' ? target.message : 'x-operation is not { url, method }';
    return { code: 'extension-x-operation-invalid', message, pointer };
  }
  return {
    code: 'extension-x-operation',
    message: `x-operation is an extension of Redocly Respect: arazzo run calls ${target.method} ${String(target.url.raw)} outside any OpenAPI description (no parameter definitions, no response checks), other Arazzo tools refuse the step; for a portable document describe the endpoint in an OpenAPI source and name it with operationId`,
    pointer,
  };
}

/** The values a step sends: parameters (the workflow's too), payload, replacements, x-security. */
function valuesOf(step: StepModel): ValueModel[] {
  const values: ValueModel[] = [];
  for (const parameter of step.parameters) if (parameter.value) values.push(parameter.value);
  const body = step.requestBody;
  if (body?.payload) values.push(body.payload);
  for (const replacement of body?.replacements ?? []) values.push(replacement.value);
  for (const entry of step.xSecurity) for (const { value } of entry.values) values.push(value);
  return values;
}

/**
 * Expressions of other tools that Arazzo does not have, at the start of a value or braced inside
 * one (where an Arazzo expression would be): each is sent as the literal text here.
 */
const OTHER_DIALECT: readonly {
  readonly code: string;
  readonly pattern: RegExp;
  readonly message: (expression: string, value: string) => string;
}[] = [
  {
    code: 'extension-faker',
    pattern: /(?:^|\{)\$faker\.[\w.]*/,
    message: (expression, value) =>
      `${expression} is an expression of Redocly Respect (generated fake data), not Arazzo: it is sent as the literal text "${value}"; give the value as a workflow input instead (arazzo run --input name=value)`,
  },
  {
    code: 'extension-file',
    pattern: /(?:^|\{)\$file\([^)]*\)?/,
    message: (expression, value) =>
      `${expression} is Redocly Respect's file reference, not Arazzo: arazzo run reads no file named by the document and sends the literal text "${value}"; give the content as a workflow input instead (arazzo run --input name=value, or --inputs file.json)`,
  },
  {
    code: 'extension-env',
    pattern: /(?:^|\{)\$env\b[\w.]*/,
    message: (expression, value) =>
      `${expression} reads an environment variable in other tools, but $env is no Arazzo expression: it is sent as the literal text "${value}"; declare a workflow input and pass the variable to it (arazzo run --input name="$${expression.slice(5) || 'VARIABLE'}")`,
  },
];

/** Other tools' expressions anywhere in a value (a whole string or braced inside one), at any depth. */
function otherDialectIn(raw: unknown, pointer: string, add: (finding: Finding) => void): void {
  const stack: [unknown, string][] = [[raw, pointer]];
  while (stack.length > 0) {
    const [value, at] = stack.pop() as [unknown, string];
    if (typeof value === 'string') {
      for (const { code, pattern, message } of OTHER_DIALECT) {
        const match = pattern.exec(value);
        if (match === null) continue;
        add({ code, message: message(match[0].replace(/^\{/, ''), value), pointer: at });
      }
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) stack.push([item, childPointer(at, index)]);
    } else if (isDict(value)) {
      for (const [key, item] of Object.entries(value)) stack.push([item, childPointer(at, key)]);
    }
  }
}
