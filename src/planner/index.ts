// The planner's public API: model configuration and client, the catalog-to-schema compiler, create and edit with
// validation and repair, the offline planner, history and undo, training examples, and the TaskBench metrics.
export { PROVIDER_PRESETS, type ProviderPreset } from './presets.js';
export { type ModelConfig, type ResolveModelOptions, describeEndpoint, modelConfig, resolveModelConfig } from './model-config.js';
export {
  type ChatRequest,
  type ChatResponse,
  type ClientOptions,
  type ModelClient,
  type ResponseFormat,
  type StartTimeout,
  type TokenUsage,
  DEFAULT_TIMEOUT_MS,
  createChatModel,
  createModelClient,
} from './client.js';
export { EndpointError, redact, toProviderError } from './provider-errors.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, type Sleep } from './retry.js';
export { ENDPOINTS_FILE, type ResponseMode, ResponseFormatMemory, endpointKey } from './format-memory.js';
export { chatForJson, isFormatRejection } from './structured.js';
export { extractJson } from './json-extract.js';
export {
  type CompiledAction,
  DEFAULT_MAX_FULL_SCHEMA_CHARS,
  PlannerCatalog,
  type PlannerSchema,
  type SchemaChoice,
  type SchemaVariant,
  fitsStrictLimits,
} from './catalog-schema.js';
export { catalogText, createSystemPrompt, createUserMessage, editSystemPrompt, editUserMessage, repairMessage } from './prompt.js';
export {
  type ModelEdge,
  type ModelNode,
  type ModelWorkflowAnswer,
  answerToPatch,
  answerToWorkflow,
  patchToModelAnswer,
  workflowToModelAnswer,
} from './answer.js';
export { DEFAULT_MAX_REPAIRS, type ModelPlannerOptions, PlannerRejectedError } from './repair-loop.js';
export { type GenerateOptions, type GenerateResult, type PlanOptions, type PlanResult, generateWorkflowFile, planWorkflow } from './create.js';
export { type EditOptions, type EditPlan, commitEdit, planEdit, rejectEdit } from './edit.js';
export { OFFLINE_NOTE, OfflinePlanner } from './offline.js';
export { planOfflineEdit } from './offline-edit.js';
export { FileHistory, HISTORY_DIR } from './history.js';
export { EXAMPLES_FILE, type TrainingExample, appendExample, trainingExample } from './examples-log.js';
export { type F1Score, type TaskGraph, type TaskbenchScores, pooledF1, taskbenchScores, workflowToTaskGraph } from './metrics.js';
export { TASKBENCH_NAMESPACE, type TaskbenchSample, type TaskbenchTool, goldGraph, loadTaskbench, parseTools, taskbenchActions } from './taskbench.js';
export { type PlannerFlags, modelPlannerOptions, summaryLine } from './setup.js';
