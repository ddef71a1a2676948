import { childPointer } from '../../errors.js';
import {
  checkXPathSyntax,
  compileJsonPath,
  isCriterionError,
  jsonPathDialectOf,
} from '../../criteria/index.js';
import type { ExpressionType, SelectorLanguage } from '../../expressions/index.js';
import { declaredContentType } from '../../http/build-request.js';
import { isJsonMediaType, isXmlMediaType } from '../../http/media-type.js';
import { pointerOf } from '../../http/replacements.js';
import type { ReplacementModel } from '../../model/types.js';
import type { StepModel } from '../model/context.js';
import { operationOf } from '../model/resolve.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Payload Replacement targets (Arazzo 1.1 §Payload Replacement Object, POSITIONS §11.8), in
 * 1.1 documents. The language of `target` is its `targetSelectorType`, else the body's media
 * type decides ("JSON Pointer … if the payload is `application/json`", "XPath … if the payload
 * is `application/xml` or another XML-based media type"); the media type is the step's
 * `contentType`, else the one the operation declares, as the request builder picks it.
 *
 * - `jsonpath-invalid`, `xpath-invalid`: the target does not parse in its language (the
 *   runtime's own compilers, so what validates is what runs);
 * - `jsonpointer-invalid`: not an RFC 6901 JSON Pointer (§3: `""` or `/`-separated tokens,
 *   `~` only as `~0`/`~1`; the URI fragment form `#/…` is accepted, as at run time);
 * - `replacement-target-type-mismatch`: a declared type that the body's media type contradicts
 *   (xpath on a payload that is not XML, jsonpath/jsonpointer on an XML one): it cannot run;
 * - `xpath-version-emulated`: `xpath-10`/`20`/`30` run on the XPath 3.1 engine.
 *
 * A `targetSelectorType` that is no type (unknown name, a missing or unknown version) is the
 * 1.1 schema's (`schema`, at the field); a 1.0 document cannot have one (its schema rejects the
 * field with a hint to 1.1) and keeps the 1.0 reading of its targets, unchecked here.
 */
export const replacementTarget = {
  codes: {
    'jsonpath-invalid': 'error',
    'xpath-invalid': 'error',
    'jsonpointer-invalid': 'error',
    'replacement-target-type-mismatch': 'error',
    'xpath-version-emulated': 'warning',
  },
  check(ctx) {
    const findings: Finding[] = [];
    if (ctx.model.version === '1.0') return findings;
    for (const workflow of ctx.model.workflows) {
      for (const step of workflow.steps) {
        const body = step.requestBody;
        if (body === undefined || body.replacements.length === 0) continue;
        const media = bodyMediaType(ctx, step, body.contentType);
        for (const replacement of body.replacements) {
          checkReplacement(replacement, media, findings);
        }
      }
    }
    return findings;
  },
} satisfies Rule;

interface BodyMedia {
  readonly type: string;
  /** How the reader can find where it comes from. */
  readonly from: string;
}

function bodyMediaType(
  ctx: Parameters<Rule['check']>[0],
  step: StepModel,
  contentType: string | undefined,
): BodyMedia | undefined {
  if (contentType !== undefined && contentType !== '')
    return { type: contentType, from: 'its contentType' };
  if (step.target.kind !== 'operation') return undefined;
  const resolution = operationOf(ctx, step);
  if (resolution.status !== 'resolved') return undefined;
  const declared = declaredContentType(resolution.operation);
  return declared === undefined
    ? undefined
    : { type: declared, from: 'the operation declares it; the step gives no contentType' };
}

function checkReplacement(
  replacement: ReplacementModel,
  media: BodyMedia | undefined,
  out: Finding[],
): void {
  const declared = replacement.targetType;
  const typePointer = childPointer(replacement.pointer, 'targetSelectorType');
  if (declared !== undefined && media !== undefined) {
    const message = mismatch(declared.type, media);
    if (message !== undefined) {
      out.push({ code: 'replacement-target-type-mismatch', message, pointer: typePointer });
      return;
    }
  }
  if (declared?.type === 'xpath' && declared.version !== 'xpath-31') {
    out.push({
      code: 'xpath-version-emulated',
      message: `${declared.version} is evaluated by an XPath 3.1 engine`,
      pointer: typePointer,
      severity: 'warning',
    });
  }
  // An unreadable targetSelectorType is the schema's; guessing the language would only add noise.
  if (declared === undefined && replacement.raw['targetSelectorType'] !== undefined) return;
  const language = declared?.type ?? impliedLanguage(media);
  if (language === undefined || replacement.target === undefined) return;
  const problem = syntaxProblem(replacement.target, language, declared);
  if (problem !== undefined)
    out.push({ ...problem, pointer: childPointer(replacement.pointer, 'target') });
}

/** Why the declared language cannot run on a body of this media type, or undefined. */
function mismatch(language: SelectorLanguage, media: BodyMedia): string | undefined {
  const xml = isXmlMediaType(media.type);
  if (language === 'xpath' && !xml)
    return `targetSelectorType xpath needs an XML payload, and the body is ${media.type} (${media.from})`;
  if (language !== 'xpath' && xml)
    return `targetSelectorType ${language} does not apply to the ${media.type} body (${media.from}): an XML payload takes xpath`;
  return undefined;
}

/** The 1.1 rule without `targetSelectorType`: only where the spec names the language. */
function impliedLanguage(media: BodyMedia | undefined): SelectorLanguage | undefined {
  if (media === undefined) return undefined;
  if (isXmlMediaType(media.type)) return 'xpath';
  if (isJsonMediaType(media.type)) return 'jsonpointer';
  return undefined;
}

/** RFC 6901 §3: `*( "/" reference-token )`, where `~` escapes only `0` and `1`. */
const JSON_POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/u;

function syntaxProblem(
  target: string,
  language: SelectorLanguage,
  declared: ExpressionType | undefined,
): Omit<Finding, 'pointer'> | undefined {
  if (language === 'jsonpointer') {
    if (JSON_POINTER.test(pointerOf(target))) return undefined;
    return {
      code: 'jsonpointer-invalid',
      message: `"${target}" is not a JSON Pointer (RFC 6901): "" or "/"-separated tokens, with "~" only as "~0" or "~1"`,
    };
  }
  try {
    if (language === 'jsonpath') compileJsonPath(target, jsonPathDialectOf(declared?.version));
    else checkXPathSyntax(target);
    return undefined;
  } catch (error) {
    if (!isCriterionError(error)) throw error;
    return {
      code: language === 'jsonpath' ? 'jsonpath-invalid' : 'xpath-invalid',
      message: error.message,
      offset: error.offset,
    };
  }
}
