/**
 * Redocly Respect's `x-security` extension, read into the model (POSITIONS §12.1). A step or a
 * workflow lists entries `{ schemeName | scheme, values }`: `schemeName` names a security scheme
 * of the step's OpenAPI source, `scheme` is a Security Scheme Object written inline, and
 * `values` holds the credentials (each may be a runtime expression, evaluated as a parameter
 * value is). Whatever keeps an entry from being applied is a problem of the workflow.
 */
import { childPointer } from '../errors.js';
import { normalizeScheme, securitySchemes } from '../http/auth/security-schemes.js';
import type { SecurityScheme } from '../http/auth/security-schemes.js';
import { requiredValues } from '../http/auth/x-security.js';
import { didYouMean } from '../sources/did-you-mean.js';
import { compileValueAt, type PartContext } from './compile-parts.js';
import { arrayAt, has, isDict, stringAt } from './guards.js';
import type { StepModel, WorkflowModel, XSecurityModel } from './types.js';

export const X_SECURITY = 'x-security';

/** The entries that apply to a step's request: its own, then the workflow's it does not override. */
export function compileXSecurity(
  step: StepModel,
  workflow: WorkflowModel,
  parts: PartContext,
): XSecurityModel[] {
  if (step.target.kind === 'workflow') {
    if (step.raw[X_SECURITY] === undefined) return [];
    const pointer = childPointer(step.pointer, X_SECURITY);
    const problem = workflowStepProblem(step);
    report(parts, pointer, problem);
    return [{ pointer, origin: 'step', label: '?', scheme: undefined, values: [], problem }];
  }
  const own = entries(step, step.raw, step.pointer, 'step', parts);
  const named = new Set(own.map((entry) => entry.label));
  const inherited = entries(step, workflow.raw, workflow.pointer, 'workflow', parts).filter(
    (entry) => !named.has(entry.label),
  );
  // Applied in order, a later entry replacing an earlier one's header: the step's own last.
  return [...inherited, ...own];
}

function entries(
  step: StepModel,
  owner: Readonly<Record<string, unknown>>,
  ownerPointer: string,
  origin: 'step' | 'workflow',
  parts: PartContext,
): XSecurityModel[] {
  const raw = owner[X_SECURITY];
  if (raw === undefined) return [];
  const listPointer = childPointer(ownerPointer, X_SECURITY);
  if (!Array.isArray(raw)) {
    report(parts, listPointer, 'x-security must be a list of { schemeName or scheme, values }');
    return [];
  }
  // A workflow's scheme named from a source does not reach an x-operation step (no source).
  const skip = (entry: unknown): boolean =>
    origin === 'workflow' && step.target.kind === 'url' && has(entry, 'schemeName');
  return arrayAt(owner, X_SECURITY).flatMap((entry, index) =>
    skip(entry) ? [] : [compileEntry(step, entry, childPointer(listPointer, index), origin, parts)],
  );
}

function compileEntry(
  step: StepModel,
  entry: unknown,
  pointer: string,
  origin: 'step' | 'workflow',
  parts: PartContext,
): XSecurityModel {
  const fail = (label: string, problem: string): XSecurityModel => {
    report(parts, pointer, problem);
    return { pointer, origin, label, scheme: undefined, values: [], problem };
  };
  if (!isDict(entry)) return fail('?', 'an x-security entry must be an object');
  const schemeName = stringAt(entry, 'schemeName');
  const label = schemeName ?? 'inline';
  if (entry['schemeName'] !== undefined && entry['scheme'] !== undefined)
    return fail(label, 'an x-security entry has schemeName or scheme, not both');
  if (entry['schemeName'] !== undefined && schemeName === undefined)
    return fail(label, 'x-security schemeName must be a string');
  const rawValues = entry['values'];
  if (!isDict(rawValues))
    return fail(label, `x-security "${label}" needs values (an object of credential names)`);
  const values = Object.entries(rawValues).map(([name, value]) => ({
    name,
    value: compileValueAt(parts, value, childPointer(childPointer(pointer, 'values'), name)),
  }));
  const found = schemeOf(step, entry, schemeName);
  if (typeof found === 'string') return fail(label, found);
  if (found === undefined) return { pointer, origin, label, scheme: undefined, values };
  const needed = requiredValues(found);
  const problem =
    'reason' in needed
      ? `x-security "${label}": ${needed.reason}`
      : needed
          .filter((name) => !Object.hasOwn(rawValues, name))
          .map((name) => `x-security "${label}" needs values.${name}`)[0];
  if (problem !== undefined) report(parts, pointer, problem);
  return { pointer, origin, label, scheme: found, values, ...(problem ? { problem } : {}) };
}

/**
 * The scheme an entry applies; a string saying why there is none; undefined when only a
 * source that did not load (or a target that does not resolve) could say.
 */
function schemeOf(
  step: StepModel,
  entry: Readonly<Record<string, unknown>>,
  schemeName: string | undefined,
): SecurityScheme | string | undefined {
  if (schemeName === undefined) {
    if (!isDict(entry['scheme']))
      return "an x-security entry needs schemeName (a scheme of the step's source) or scheme (a Security Scheme Object)";
    return normalizeScheme(entry['scheme']);
  }
  const { target } = step;
  if (target.kind === 'url')
    return `x-security "${schemeName}": an x-operation step has no source to name a scheme from; write the scheme inline (scheme: { type: http, scheme: bearer })`;
  if (target.status !== 'resolved' || target.kind !== 'operation') return undefined;
  const { operation } = target;
  const schemes = securitySchemes(operation.document);
  const scheme = schemes.get(schemeName);
  if (scheme !== undefined) return scheme;
  return `source "${operation.sourceName}" defines no security scheme "${schemeName}"${didYouMean(schemeName, [...schemes.keys()])}`;
}

function workflowStepProblem(step: StepModel): string {
  return `step "${step.id ?? step.index}" calls a workflow and sends no request of its own; x-security applies to steps that call an operation`;
}

function report(parts: PartContext, pointer: string, message: string): void {
  parts.problems.report('DOCUMENT_INVALID', message, pointer);
}
