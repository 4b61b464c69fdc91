// The actions module's public API: what plugins import from 'actiongraph' and what the engine, planner and CLI
// use. src/index.ts re-exports all of it (`export * from './actions/index.js'`).
export {
  defineAction,
  isActionDefinition,
  type ActionContext,
  type ActionDefinition,
  type ActionLogger,
  type ActionSpec,
  type AnyActionDefinition,
  type Answer,
  type AskRequest,
  type ChatMessage,
  type ChatModel,
  type Effects,
  type IOPort,
  type OutgoingEdge,
} from './define.js';
export { ActionRegistry, type RegisteredAction } from './registry.js';
export { builtinActions } from './builtin/index.js';
export { NO_CHOICE, choiceValuesOf } from './builtin/llm-choose.js';
export {
  DEFAULT_PLUGIN_TIMEOUT_MS,
  PROJECT_ACTIONS_DIR,
  createRegistry,
  loadPlugins,
  type LoadPluginsOptions,
  type LoadedPlugins,
} from './loader.js';
export { definitionProblem } from './check-definition.js';
export { adoptError, withAdoptedErrors } from './adopt-errors.js';
export {
  DOTENV_FILE,
  REDACTED,
  loadDotEnv,
  parseDotEnv,
  redactValue,
  redactor,
  resolveSecrets,
  type Redact,
  type ResolvedSecrets,
  type SecretRequest,
} from './secrets.js';
export {
  DEFAULT_HTTP_MAX_BYTES,
  DEFAULT_HTTP_TIMEOUT_MS,
  hostAllowed,
  httpRequest,
  isJsonContentType,
  isSuccess,
  parseHttpUrl,
  statusError,
  type HttpRequestOptions,
  type HttpResponse,
} from './http.js';
export { inputField, inputText } from './text.js';
export { relativePathProblem, resolveInsideDir } from './fs-safe.js';
export { describeAction, summarizeAction, toJsonSchema, type ActionDescription, type ActionSummary } from './describe.js';
export { sampleFromSchema, type SampleOptions } from './sample.js';
export { createTestContext, runAction, type ContextOf, type TestContext, type TestContextOptions } from './testing.js';
