/**
 * The semantic rules, in reporting order. Each file holds one check and documents the spec text
 * behind it; RULES.md lists every code. Adding a rule: write `rules/<name>.ts` exporting a
 * `Rule`, add it here, document its codes in RULES.md, add fixtures under
 * test/fixtures/validate/<code>/.
 */
import type { Severity } from '../types.js';
import { actionFields } from './action-fields.js';
import { actionNameUnique } from './action-name-unique.js';
import { actionTarget } from './action-target.js';
import { asyncStep } from './async-step.js';
import { componentReference } from './component-reference.js';
import { correlationIdUndeclared } from './correlation-id-undeclared.js';
import { correlationLocationInvalid } from './correlation-location-invalid.js';
import { dependsOn } from './depends-on.js';
import { descriptionMissing } from './description-missing.js';
import { exchangeReference } from './exchange-reference.js';
import { expressionLint } from './expression-lint.js';
import { expressionSyntax } from './expression-syntax.js';
import { extensionReserved } from './extension-reserved.js';
import { extensions } from './extensions.js';
import { idPattern } from './id-pattern.js';
import { inputReference } from './input-reference.js';
import { inputsRef } from './inputs-ref.js';
import { markdownScriptTag } from './markdown-script-tag.js';
import { messageUnavailable } from './message-unavailable.js';
import { officialSchemaRejects } from './official-schema.js';
import { operation } from './operation.js';
import { operationParameters } from './operation-parameters.js';
import { outputNamePattern } from './output-name-pattern.js';
import { outputReference } from './output-reference.js';
import { parameterDuplicate } from './parameter-duplicate.js';
import { parameterIn } from './parameter-in.js';
import { parameterQuerystring } from './parameter-querystring.js';
import { receiveSuccessAmbiguous } from './receive-success-ambiguous.js';
import { replacementTarget } from './replacement-target.js';
import { requestBody } from './request-body.js';
import { retryThenTransfer } from './retry-then-transfer.js';
import { reusable } from './reusable.js';
import type { Rule } from './rule.js';
import { selfUri } from './self-uri.js';
import { sourceLoad } from './source-load.js';
import { sourceReference } from './source-reference.js';
import { sourceTypeMissing } from './source-type-missing.js';
import { sourceUrlHtmlPage } from './source-url-html-page.js';
import { stepDependsOn } from './step-depends-on.js';
import { stepReference } from './step-reference.js';
import { stepTimeout } from './step-timeout.js';
import { stepWorkflow } from './step-workflow.js';
import { successCriteriaMissing } from './success-criteria-missing.js';
import { uniqueIds } from './unique-ids.js';
import { yamlRestrictions } from './yaml-restrictions.js';

export type { Rule } from './rule.js';

export const RULES = [
  yamlRestrictions,
  officialSchemaRejects,
  uniqueIds,
  idPattern,
  outputNamePattern,
  selfUri,
  sourceLoad,
  sourceTypeMissing,
  sourceUrlHtmlPage,
  dependsOn,
  stepDependsOn,
  inputsRef,
  stepWorkflow,
  operation,
  asyncStep,
  messageUnavailable,
  correlationLocationInvalid,
  correlationIdUndeclared,
  operationParameters,
  parameterIn,
  parameterDuplicate,
  parameterQuerystring,
  requestBody,
  replacementTarget,
  successCriteriaMissing,
  receiveSuccessAmbiguous,
  stepTimeout,
  actionTarget,
  actionFields,
  actionNameUnique,
  retryThenTransfer,
  reusable,
  expressionSyntax,
  expressionLint,
  inputReference,
  stepReference,
  outputReference,
  sourceReference,
  componentReference,
  exchangeReference,
  descriptionMissing,
  markdownScriptTag,
  extensionReserved,
  extensions,
] as const satisfies readonly Rule[];

/** Codes reported outside the rules (reading, parsing, schema, version). */
export const DOCUMENT_CODES = {
  'file-unreadable': 'error',
  'yaml-syntax': 'error',
  'unsupported-version': 'error',
  schema: 'error',
  'rule-failed': 'error',
} as const satisfies Readonly<Record<string, Severity>>;

type CodesOf<R> = R extends { readonly codes: infer C } ? keyof C & string : never;

/** Every code a diagnostic can have (RULES.md lists them): the rules' and the pipeline's. */
export type DiagnosticCode = CodesOf<(typeof RULES)[number]> | keyof typeof DOCUMENT_CODES;

/** Every code with its default severity. */
export const CODES: Readonly<Record<DiagnosticCode, Severity>> = Object.assign(
  {},
  DOCUMENT_CODES,
  ...RULES.map((rule) => rule.codes),
) as Record<DiagnosticCode, Severity>;

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(CODES, code);
}
