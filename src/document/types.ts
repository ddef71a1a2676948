/**
 * The Arazzo 1.0.x object model as plain, read-only data (Arazzo 1.0.1 §Schema).
 * The loader produces these from YAML/JSON; nothing in the engine mutates them.
 * Field names follow the spec exactly (§Format: "All field names … are case sensitive").
 */

export type Json =
  null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export interface ArazzoDocument {
  readonly arazzo: string;
  readonly info: Info;
  readonly sourceDescriptions: readonly SourceDescription[];
  readonly workflows: readonly Workflow[];
  readonly components?: Components;
}

export interface Info {
  readonly title: string;
  readonly summary?: string;
  readonly description?: string;
  readonly version: string;
}

export interface SourceDescription {
  readonly name: string;
  readonly url: string;
  readonly type?: 'openapi' | 'arazzo';
}

export interface Workflow {
  readonly workflowId: string;
  readonly summary?: string;
  readonly description?: string;
  /** JSON Schema 2020-12, possibly `{ $ref: '#/components/inputs/x' }` (§Workflow Object). */
  readonly inputs?: JsonSchema;
  readonly dependsOn?: readonly string[];
  readonly steps: readonly Step[];
  readonly successActions?: readonly (SuccessAction | Reusable)[];
  readonly failureActions?: readonly (FailureAction | Reusable)[];
  readonly outputs?: Readonly<Record<string, string>>;
  readonly parameters?: readonly (Parameter | Reusable)[];
}

export interface Step {
  readonly stepId: string;
  readonly description?: string;
  readonly operationId?: string;
  readonly operationPath?: string;
  readonly workflowId?: string;
  readonly parameters?: readonly (Parameter | Reusable)[];
  readonly requestBody?: RequestBody;
  readonly successCriteria?: readonly Criterion[];
  readonly onSuccess?: readonly (SuccessAction | Reusable)[];
  readonly onFailure?: readonly (FailureAction | Reusable)[];
  readonly outputs?: Readonly<Record<string, string>>;
}

/** `querystring` is Arazzo 1.1 (OAS 3.2): the whole query string as one value (POSITIONS §11.6). */
export type ParameterLocation = 'path' | 'query' | 'querystring' | 'header' | 'cookie';

const PARAMETER_LOCATIONS: readonly string[] = ['path', 'query', 'querystring', 'header', 'cookie'];

/**
 * §Parameter Object `in`: one of the locations (an unchecked document may hold anything). A 1.0.x
 * document with `querystring` is refused by its schema before anything runs.
 */
export function isParameterLocation(value: unknown): value is ParameterLocation {
  return typeof value === 'string' && PARAMETER_LOCATIONS.includes(value);
}

export interface Parameter {
  readonly name: string;
  readonly in?: ParameterLocation;
  /** A constant, or a runtime expression / `{…}` template (§Parameter Object). */
  readonly value: Json;
}

export interface SuccessAction {
  readonly name: string;
  readonly type: 'end' | 'goto';
  readonly workflowId?: string;
  readonly stepId?: string;
  readonly criteria?: readonly Criterion[];
}

export interface FailureAction {
  readonly name: string;
  readonly type: 'end' | 'goto' | 'retry';
  readonly workflowId?: string;
  readonly stepId?: string;
  readonly retryAfter?: number;
  readonly retryLimit?: number;
  readonly criteria?: readonly Criterion[];
}

export interface Reusable {
  readonly reference: string;
  readonly value?: Json;
}

/** §Criterion Expression Type Object. */
export interface CriterionExpressionType {
  readonly type: 'jsonpath' | 'xpath';
  readonly version: string;
}

export interface Criterion {
  readonly context?: string;
  readonly condition: string;
  /**
   * `simple` | `regex` | `jsonpath` | `xpath`, or the expression type object. The object is
   * accepted both nested (spec text) and flattened with a sibling `version` (published schema).
   */
  readonly type?: 'simple' | 'regex' | 'jsonpath' | 'xpath' | CriterionExpressionType;
  readonly version?: string;
}

export interface RequestBody {
  readonly contentType?: string;
  readonly payload?: Json;
  readonly replacements?: readonly PayloadReplacement[];
}

export interface PayloadReplacement {
  readonly target: string;
  /** Arazzo 1.1: the language of `target`, or an Expression Type Object (POSITIONS §11.8). */
  readonly targetSelectorType?:
    | 'jsonpath'
    | 'xpath'
    | 'jsonpointer'
    | { readonly type: 'jsonpath' | 'xpath' | 'jsonpointer'; readonly version: string };
  readonly value: Json;
}

export interface Components {
  readonly inputs?: Readonly<Record<string, JsonSchema>>;
  readonly parameters?: Readonly<Record<string, Parameter>>;
  readonly successActions?: Readonly<Record<string, SuccessAction>>;
  readonly failureActions?: Readonly<Record<string, FailureAction>>;
}

export type JsonSchema = { readonly [key: string]: Json } | boolean;

export function isReusable(value: object): value is Reusable {
  return 'reference' in value;
}
