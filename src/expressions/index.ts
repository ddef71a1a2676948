/**
 * Arazzo runtime expressions (Arazzo 1.0.1 §Runtime Expressions): parse once when a document
 * loads, evaluate many times against a RuntimeContext. Never evaluated as JavaScript.
 */
export type { Accessor, ComponentType, Expression, ExpressionKind, MessageSource } from './ast.js';
export { ExpressionError, isExpressionError, type ExpressionErrorCode } from './errors.js';
export { parseExpression } from './parse-expression.js';
export {
  evaluateExpression,
  resolveExpression,
  splitDottedName,
  type Resolution,
} from './evaluate-expression.js';
export {
  compileValue,
  evaluateValue,
  expressionsIn,
  selectorsIn,
  valueNotes,
  type CompiledValue,
  type Selections,
  type ValueNote,
  type ValueNoteCode,
  type ValuePath,
  type ValueResult,
} from './compile-value.js';
export {
  evaluateTemplate,
  hasExpressions,
  parseTemplate,
  type TemplateExpressionPart,
  type TemplatePart,
} from './template.js';
export { pointerForm } from './pointer-form.js';
export { stringifyEmbedded } from './stringify.js';
export { EXPRESSION_ROOTS } from './scan.js';
export type {
  ExchangeView,
  RuntimeContext,
  SourceDescriptionView,
  WorkflowScopeView,
} from './context.js';
export {
  readExpressionType,
  SELECTOR_LANGUAGES,
  type ExpressionType,
  type ExpressionTypeReading,
  type SelectorLanguage,
} from './expression-type.js';
export {
  compileSelector,
  isSelectorObject,
  selectorLabel,
  type CompiledSelector,
} from './selector.js';
