// The graph module's public API: the workflow file model (schema, parse, files), validation, graphology conversion,
// ordering, rendering, JSON Schema and patches.
export * from './schema.js';
export * from './patch-ops.js';
export * from './codes.js';
export { closest, didYouMean, editDistance } from './suggest.js';
export { parseWorkflow, readWorkflowText, serializeWorkflow, workflowFromJson, workflowToJson, emptyWorkflow, type ReadWorkflowResult, type SerializeOptions } from './parse.js';
export { parseJson5, Json5SyntaxError, MAX_DEPTH, type Json5Document } from './json5.js';
export { loadWorkflowFile, readWorkflowFileText, writeFileAtomic, writeWorkflowFile, type WriteFileAtomicOptions } from './file.js';
export { locatePath, locatePaths, type TextPosition } from './locate.js';
export { validateWorkflow, assertValidWorkflow, type ValidateOptions } from './validate.js';
export { checkShape } from './shape.js';
export { checkStructure } from './structure.js';
export { checkCondition, compileConditionPattern, hasNestedQuantifier, MAX_PATTERN_LENGTH } from './conditions.js';
export { checkWorkflowFile, checkWorkflowText, formatProblem, locateProblems, type FileReport, type LocatedProblem } from './check-file.js';
export { toGraphology, fromGraphology, graphologyKey, idFromGraphologyKey, type WorkflowGraph, type WorkflowEdgeAttributes, type WorkflowGraphAttributes } from './convert.js';
export { topologicalOrder, levels, predecessors, successors } from './order.js';
export { renderAscii, renderMermaid, renderDot, type AsciiOptions } from './render.js';
export { describeCondition, describeEdge } from './describe.js';
export { workflowJsonSchema } from './json-schema.js';
export { applyPatch, cloneJson, jsonEqual, type PatchResult } from './patch.js';
