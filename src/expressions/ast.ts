/**
 * The parsed form of an Arazzo runtime expression (Arazzo 1.0.1 §Runtime Expressions).
 *
 * The 1.0.1 ABNF only fixes prefixes (`"$steps." name`, …); the structure after them comes from
 * the spec's Examples table and from the stricter 1.1 ABNF, which we adopt because it only removes
 * ambiguity (POSITIONS §4.4). Expressions are parsed once, when a document loads, and evaluated
 * many times, so everything evaluation needs is decoded here (pointer tokens, indices).
 */

/**
 * `.name` or `[n]` after an expression: the dot-navigation compatibility form (POSITIONS §4.4).
 * `offset` is where the accessor starts inside the expression's `text`.
 */
export type Accessor =
  | { readonly kind: 'member'; readonly name: string; readonly offset: number }
  | { readonly kind: 'index'; readonly index: number; readonly offset: number };

interface ExpressionBase {
  /** The expression's own source text, e.g. `$response.body#/id` (never the surrounding braces). */
  readonly text: string;
  /** Decoded RFC 6901 reference tokens of a `#/…` suffix; `[]` for `#` alone (the whole value). */
  readonly pointer?: readonly string[];
  /** Trailing `.name` / `[n]` accessors (compatibility form; the spec form is `#/pointer`). */
  readonly accessors?: readonly Accessor[];
}

export interface UrlExpression extends ExpressionBase {
  readonly kind: 'url';
}
export interface MethodExpression extends ExpressionBase {
  readonly kind: 'method';
}
export interface StatusCodeExpression extends ExpressionBase {
  readonly kind: 'statusCode';
}

/** `source = header-reference / query-reference / path-reference / body-reference`. */
export type MessageSource = 'header' | 'query' | 'path' | 'body';

/** `$request.header.X`, `$request.query.X`, `$request.path.X`, `$request.body[#/ptr]`. */
export interface RequestExpression extends ExpressionBase {
  readonly kind: 'request';
  readonly source: MessageSource;
  /** The header / parameter name; absent for `body`. Header names compare case-insensitively. */
  readonly name?: string;
}

/** `$response.header.X`, `$response.body[#/ptr]` (query/path parse, per the ABNF, but never resolve). */
export interface ResponseExpression extends ExpressionBase {
  readonly kind: 'response';
  readonly source: MessageSource;
  readonly name?: string;
}

/**
 * Arazzo 1.1 `$message.header.X` / `$message.payload[#/ptr]`: the message an AsyncAPI step sent
 * or received (1.1 §Runtime Expressions). An HTTP step has no message, so these never resolve there.
 */
export interface MessageExpression extends ExpressionBase {
  readonly kind: 'message';
  readonly source: 'header' | 'payload';
  /** The header name; absent for `payload`. */
  readonly name?: string;
}

/** Arazzo 1.1 `$self`: the document's own `$self` URI (1.1 §Arazzo Description Identity). */
export interface SelfExpression extends ExpressionBase {
  readonly kind: 'self';
}

/**
 * `$inputs.name`. `name` is the longest run of identifier characters (`[A-Za-z0-9._-]`): input
 * names may contain dots, so `$inputs.customer.firstName` is resolved at evaluation time — the
 * longest existing key wins and the rest is member navigation (POSITIONS §4.4).
 */
export interface InputsExpression extends ExpressionBase {
  readonly kind: 'inputs';
  readonly name: string;
}

/** `$outputs.name` (same name rule as inputs). */
export interface OutputsExpression extends ExpressionBase {
  readonly kind: 'outputs';
  readonly name: string;
}

/** `$steps.<stepId>.outputs.<name>`. */
export interface StepsExpression extends ExpressionBase {
  readonly kind: 'steps';
  readonly stepId: string;
  readonly name: string;
}

/** `$workflows.<workflowId>.inputs.<name>` / `$workflows.<workflowId>.outputs.<name>`. */
export interface WorkflowsExpression extends ExpressionBase {
  readonly kind: 'workflows';
  readonly workflowId: string;
  readonly field: 'inputs' | 'outputs';
  readonly name: string;
}

/** `$sourceDescriptions.<name>.<reference>`: an operationId / workflowId or a field (`url`). */
export interface SourceDescriptionsExpression extends ExpressionBase {
  readonly kind: 'sourceDescriptions';
  readonly sourceName: string;
  readonly reference: string;
}

export type ComponentType = 'inputs' | 'parameters' | 'successActions' | 'failureActions';

/** `$components.<type>.<name>`. */
export interface ComponentsExpression extends ExpressionBase {
  readonly kind: 'components';
  readonly componentType: ComponentType;
  readonly name: string;
}

export type Expression =
  | UrlExpression
  | MethodExpression
  | StatusCodeExpression
  | RequestExpression
  | ResponseExpression
  | MessageExpression
  | SelfExpression
  | InputsExpression
  | OutputsExpression
  | StepsExpression
  | WorkflowsExpression
  | SourceDescriptionsExpression
  | ComponentsExpression;

export type ExpressionKind = Expression['kind'];
