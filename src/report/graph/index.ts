export {
  graphOfView,
  workflowGraph,
  type EdgeKind,
  type GraphEdge,
  type GraphNode,
  type NodeKind,
  type WorkflowGraph,
} from './model.js';
export { toMermaid, mermaidText } from './mermaid.js';
export { toDot } from './dot.js';
export {
  workflowView,
  writtenOperation,
  operationLabel,
  type ActionView,
  type OperationView,
  type StepView,
  type WorkflowView,
  type UnresolvedText,
  type WorkflowViewOptions,
} from './workflow-view.js';
