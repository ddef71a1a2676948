/**
 * What a runtime expression can read (Arazzo 1.0.1 §Runtime Expressions, "Examples" table).
 * The runtime builds one of these per evaluation site; expressions and criteria only read it.
 */

/** The HTTP exchange `$url`, `$method`, `$statusCode`, `$request.*` and `$response.*` refer to. */
export interface ExchangeView {
  readonly url: string;
  readonly method: string;
  readonly request: {
    /** Header names lower-cased: header references are case-insensitive (RFC 9110). */
    readonly headers: Readonly<Record<string, string>>;
    readonly query: Readonly<Record<string, string>>;
    readonly path: Readonly<Record<string, string>>;
    readonly body?: unknown;
  };
  /** Absent when no response arrived (network error, timeout). */
  readonly response?: {
    readonly statusCode: number;
    /** Lower-cased names; a repeated header is joined with ", " (RFC 9110 §5.3). */
    readonly headers: Readonly<Record<string, string>>;
    /** Parsed JSON for JSON media types, otherwise the text. */
    readonly body?: unknown;
  };
}

/**
 * The message an Arazzo 1.1 AsyncAPI step sent or received: `$message.header.<name>` (names
 * compared case-insensitively) and `$message.payload[#/ptr]` (parsed JSON for JSON content types).
 */
export interface MessageView {
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: unknown;
}

export interface WorkflowScopeView {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface SourceDescriptionView {
  /** The resolved (absolute) URL of the source document. */
  readonly url: string;
  readonly type: 'openapi' | 'arazzo' | 'asyncapi';
  /** operationIds (openapi, asyncapi) or workflowIds (arazzo) the source defines. */
  readonly ids: ReadonlySet<string>;
}

export interface RuntimeContext {
  /** `$inputs`: the current workflow's inputs. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** `$outputs`: in a step that calls a workflow, the callee's outputs; else the current workflow's so far. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** `$steps.<id>.outputs`: steps of the current workflow that have run. */
  readonly steps: Readonly<Record<string, { readonly outputs: Readonly<Record<string, unknown>> }>>;
  /** `$workflows.<id>`: workflows that have run in this run. */
  readonly workflows: Readonly<Record<string, WorkflowScopeView>>;
  readonly sourceDescriptions: Readonly<Record<string, SourceDescriptionView>>;
  /** `$components.*` of the document the current workflow belongs to (components are document-scoped). */
  readonly components: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * `$self` (Arazzo 1.1): the current document's `$self`, resolved against its retrieval URI;
   * undefined (the expression does not resolve) when it has none (POSITIONS §11.7).
   */
  readonly self?: string | undefined;
  /** The current step's last HTTP exchange, when there is one. */
  readonly exchange?: ExchangeView | undefined;
  /** The message the current AsyncAPI step sent or received (1.1 `$message`). */
  readonly message?: MessageView | undefined;
}
