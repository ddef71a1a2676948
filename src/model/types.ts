/**
 * The compiled model of an Arazzo document: one index of its workflows and steps, built once by
 * `compileDocument` and read by the validator's rules, the reports (`describe`, `graph`) and the
 * runner. Every node keeps the raw object it was read from and its JSON pointer (with
 * `DocumentModel.file`, its position); targets are resolved, Reusable Objects looked up, step
 * parameters and actions merged with the workflow's (merge.ts), and expressions and criteria
 * compiled where they parse. Built defensively: a document the schema rejects still gives a
 * model, with the problems in `errors`.
 */
import type { ArazzoError } from '../errors.js';
import type { SpecVersion } from '../document/constants.js';
import type { CompiledCriterion } from '../criteria/index.js';
import type {
  CompiledSelector,
  CompiledValue,
  Expression,
  ExpressionType,
} from '../expressions/index.js';
import type { SecurityScheme } from '../http/auth/security-schemes.js';
import type { AsyncLookup, AsyncOperationRef } from '../sources/asyncapi-operation.js';
import type { OperationRef } from '../sources/operations.js';
import type { Dict } from './guards.js';

export interface DocumentModel {
  /** The document as the caller named it (path or URL): positions are `file` + a node's pointer. */
  readonly file: string;
  /** The feature set its `arazzo` field designates (document/constants.ts). */
  readonly version: SpecVersion;
  readonly data: Dict;
  readonly sources: readonly SourceModel[];
  /** First source with each name. */
  readonly sourceByName: ReadonlyMap<string, SourceModel>;
  /** The workflows that are objects; `index` is the position in the document's list. */
  readonly workflows: readonly WorkflowModel[];
  /** First workflow with each workflowId. */
  readonly workflowById: ReadonlyMap<string, WorkflowModel>;
  readonly components: ComponentsModel;
  /** Every problem found, in document order (each also given to `onError`). */
  readonly errors: readonly ArazzoError[];
}

export interface SourceModel {
  readonly index: number;
  readonly pointer: string;
  readonly name: string | undefined;
  readonly url: string | undefined;
  readonly type: string | undefined;
}

export interface ComponentsModel {
  readonly inputs: Dict;
  readonly parameters: Dict;
  readonly successActions: Dict;
  readonly failureActions: Dict;
}

export interface WorkflowModel {
  readonly index: number;
  readonly pointer: string;
  readonly raw: Dict;
  readonly id: string | undefined;
  readonly steps: readonly StepModel[];
  /**
   * The steps in the order they run: `steps`, unless a 1.1 step declares `dependsOn` (then the
   * stable topological order of explicit and output-reference dependencies; step-order.ts).
   */
  readonly order: readonly StepModel[];
  /** 1.1: unknown step dependencies and dependency cycles (also in `errors`). */
  readonly dependencyProblems: readonly DependencyProblem[];
  /** First step with each stepId. */
  readonly stepById: ReadonlyMap<string, StepModel>;
  readonly outputNames: ReadonlySet<string>;
  /** The workflow's own `parameters`, `successActions`, `failureActions` (Reusable Objects resolved). */
  readonly parameters: readonly ParameterModel[];
  readonly successActions: readonly ActionModel[];
  readonly failureActions: readonly ActionModel[];
  readonly outputs: readonly OutputModel[];
  /**
   * The problems that keep this workflow from being run, in the order the runner meets them:
   * its own, and those of the components it uses. (A workflow a step or action names is looked
   * up when it runs: an unknown one is in the step's `target`, not here.)
   */
  readonly errors: readonly ArazzoError[];
}

export interface StepModel {
  readonly index: number;
  readonly pointer: string;
  readonly raw: Dict;
  readonly id: string | undefined;
  readonly workflow: WorkflowModel;
  readonly target: StepTarget;
  readonly outputNames: ReadonlySet<string>;
  /** Effective parameters: the step's own, then the workflow's it does not override (merge.ts). */
  readonly parameters: readonly ParameterModel[];
  readonly requestBody: RequestBodyModel | undefined;
  readonly successCriteria: readonly CriterionModel[];
  /** Effective actions: the step's own, then the workflow's it does not override (merge.ts). */
  readonly onSuccess: readonly ActionModel[];
  readonly onFailure: readonly ActionModel[];
  readonly outputs: readonly OutputModel[];
  /**
   * Arazzo 1.1 step `timeout` in milliseconds (undefined in 1.0 documents, which have no such
   * field, and when absent or not a non-negative integer: the latter is a problem).
   */
  readonly timeoutMs: number | undefined;
  /** 1.1 step `dependsOn`, resolved where the document says (empty in 1.0 documents). */
  readonly dependsOn: readonly StepDependency[];
  /**
   * Redocly Respect's `x-security` (POSITIONS §12.1) that applies to the step's request, in
   * the order applied: the workflow's entries for a scheme the step does not name itself, then
   * the step's own (empty for a step that calls a workflow).
   */
  readonly xSecurity: readonly XSecurityModel[];
}

/** An entry of the `x-security` extension of a step or a workflow (POSITIONS §12.1). */
export interface XSecurityModel {
  readonly pointer: string;
  readonly origin: 'step' | 'workflow';
  /** Its `schemeName`, or `inline` for a `scheme` written in the entry. */
  readonly label: string;
  /** Undefined when it cannot be worked out: see `problem`, or the source did not load. */
  readonly scheme: SecurityScheme | undefined;
  readonly values: readonly { readonly name: string; readonly value: ValueModel }[];
  /** Why the entry cannot be applied (also a model problem: the workflow does not run). */
  readonly problem?: string;
}

/** Why a 1.1 step `dependsOn` cannot be satisfied (validate reports them with these codes). */
export interface DependencyProblem {
  readonly code: 'step-dependency-not-found' | 'step-dependency-cycle';
  readonly message: string;
  readonly pointer: string;
}

/** A step a 1.1 step depends on: of its workflow, of another workflow, or of an Arazzo source. */
export type StepDependency =
  | {
      readonly pointer: string;
      readonly raw: string;
      readonly kind: 'local' | 'workflow';
      readonly step: StepModel;
    }
  | {
      readonly pointer: string;
      readonly raw: string;
      readonly kind: 'source';
      readonly sourceName: string;
      readonly workflowId: string;
      readonly stepId: string;
    };

/** The field a step names its target with (Arazzo 1.0.1 §Step Object: exactly one of them). */
export type TargetField = 'operationId' | 'operationPath' | 'workflowId';

/** Why a target is not resolved; `offset` is a character offset in the field's string. */
export interface TargetProblem {
  /** A validator code (`operation-not-found`, `source-not-found`, `workflow-not-found`, …). */
  readonly code: string;
  readonly message: string;
  readonly offset: number;
}

/** A workflow a step, an action or `dependsOn` names: in this document or in an arazzo source. */
export type WorkflowRef =
  | { readonly status: 'local'; readonly workflow: WorkflowModel }
  | {
      readonly status: 'external';
      readonly sourceName: string;
      readonly workflow: Dict;
      readonly document: Dict;
    };

/**
 * What a step calls. `unknown`: named, but not resolved; `decided` when it is known not to
 * exist (a did-you-mean in the problem's message), not when the source that would decide did
 * not load or the value is not a valid runtime expression (both reported on their own).
 * `missing`: no usable target field (none, several, or not a string).
 */
export type StepTarget =
  | {
      readonly status: 'resolved';
      readonly kind: 'operation';
      readonly field: 'operationId' | 'operationPath';
      readonly value: string;
      readonly operation: OperationRef;
    }
  | {
      readonly status: 'resolved';
      readonly kind: 'workflow';
      readonly field: 'workflowId';
      readonly value: string;
      readonly workflowId: string;
      readonly workflow: WorkflowRef;
    }
  | {
      readonly status: 'unknown';
      readonly kind: 'operation' | 'workflow';
      readonly field: TargetField;
      readonly value: string;
      readonly decided: boolean;
      readonly problem: TargetProblem;
    }
  | {
      /**
       * An AsyncAPI step (1.1 §Step Object: `action` "Only applicable for `asyncapi` steps",
       * `channelPath`, or an operation of an `asyncapi` source) that the runner can run: its
       * operation or channel resolved in the source's dereferenced document (POSITIONS §11.11).
       */
      readonly status: 'resolved';
      readonly kind: 'message';
      readonly field: 'operationId' | 'channelPath';
      readonly value: string;
      readonly action: 'send' | 'receive';
      readonly operation: AsyncOperationRef;
      /** 1.1 step `correlationId` (a value or an expression), when the step has one. */
      readonly correlationId?: ValueModel;
    }
  | {
      /**
       * An AsyncAPI step the runner cannot run (`why`): no action, the operationPath form, a
       * source that did not load or dereference, an operation or channel not found, a dynamic
       * address. Validate checks it against the AsyncAPI document and reports most of these.
       * `field`/`value`: the first of operationId, channelPath, operationPath the step has.
       */
      readonly status: 'unresolved';
      readonly kind: 'message';
      readonly field: 'operationId' | 'channelPath' | 'operationPath' | undefined;
      readonly value: string | undefined;
      readonly action: 'send' | 'receive' | undefined;
      readonly why: string;
      /** The source and operation or channel it names, once that much could be read. */
      readonly lookup?: { readonly sourceName: string; readonly by: AsyncLookup };
    }
  | {
      /**
       * Redocly Respect's `x-operation` extension (POSITIONS §12.2): a step with no
       * operationId, operationPath or workflowId that calls `url` with `method`, outside any
       * OpenAPI description. `url` may embed runtime expressions.
       */
      readonly status: 'resolved';
      readonly kind: 'url';
      readonly field: 'x-operation';
      /** Upper case for the methods HTTP defines (`GET`), else as written. */
      readonly method: string;
      readonly url: ValueModel;
    }
  | { readonly status: 'missing'; readonly kind: 'none'; readonly message: string };

/** A value that is `Any | {expression}` (parameter values, payloads, replacements). */
export interface ValueModel {
  readonly pointer: string;
  readonly raw: unknown;
  /** Undefined when it does not compile (the problem is in `errors`). */
  readonly compiled: CompiledValue | undefined;
}

export interface ParameterModel {
  /** The list entry (for a Reusable Object, the entry that references the component). */
  readonly pointer: string;
  readonly origin: 'step' | 'workflow';
  /** The Reusable `reference`, when the entry is one (and it is a string). */
  readonly reference?: string;
  /** False when the entry is a Reusable Object that designates no component. */
  readonly resolved: boolean;
  readonly name: string | undefined;
  readonly in: string | undefined;
  /** The entry's own `value`, else the component's; undefined when neither has one. */
  readonly value: ValueModel | undefined;
}

export interface CriterionModel {
  readonly pointer: string;
  readonly raw: unknown;
  /** Undefined when it does not compile (the problem is in `errors`). */
  readonly compiled: CompiledCriterion | undefined;
}

export interface ActionModel {
  /** The list entry (for a Reusable Object, the entry that references the component). */
  readonly pointer: string;
  /** Its position in that list. */
  readonly index: number;
  readonly origin: 'step' | 'workflow';
  readonly reference?: string;
  readonly resolved: boolean;
  /** The Success/Failure Action Object: the entry itself, or the component it references. */
  readonly object: Dict | undefined;
  /** Where `object` is written. */
  readonly objectPointer: string | undefined;
  readonly name: string | undefined;
  readonly type: string | undefined;
  readonly stepId: string | undefined;
  readonly workflowId: string | undefined;
  readonly retryAfter: number | undefined;
  readonly retryLimit: number | undefined;
  readonly criteria: readonly CriterionModel[];
  /** 1.1 action `parameters`: the inputs of the workflow it names (empty in 1.0 documents). */
  readonly parameters: readonly ParameterModel[];
}

export interface RequestBodyModel {
  readonly pointer: string;
  readonly contentType: string | undefined;
  readonly payload: ValueModel | undefined;
  readonly replacements: readonly ReplacementModel[];
}

/** A Payload Replacement Object (§Payload Replacement Object). */
export interface ReplacementModel {
  readonly pointer: string;
  readonly raw: Dict;
  readonly target: string | undefined;
  /**
   * Arazzo 1.1 `targetSelectorType`, read by readExpressionType: the language of `target`.
   * Undefined when it is omitted (the payload's media type decides), unreadable (reported), or
   * in a 1.0 document, whose replacements keep the 1.0 rule (POSITIONS §11.8).
   */
  readonly targetType: ExpressionType | undefined;
  readonly value: ValueModel;
}

export interface OutputModel {
  readonly name: string;
  readonly pointer: string;
  readonly raw: unknown;
  /** Undefined when it is not a string or does not parse (the problem is in `errors`). */
  readonly expression: Expression | undefined;
  /** 1.1: the output is a Selector Object (then `expression` is undefined). */
  readonly selector?: CompiledSelector;
}
