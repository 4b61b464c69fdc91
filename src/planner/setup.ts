// Setting the planner up from flags, environment and config (what the generate and edit commands share), and the
// one-line summary they print. Kept out of cli/ so other hosts (the TUI) set the planner up the same way.
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { createModelClient } from './client.js';
import { ResponseFormatMemory } from './format-memory.js';
import { resolveModelConfig } from './model-config.js';
import type { ModelPlannerOptions } from './repair-loop.js';
import type { TokenUsage } from './client.js';
import type { SchemaChoice } from './catalog-schema.js';

export interface PlannerFlags {
  model?: string | undefined;
  baseUrl?: string | undefined;
  provider?: string | undefined;
  schema?: string | undefined;
  maxRepairs?: string | undefined;
}

/** The model planner's options, or undefined when no model is configured (the offline planner is used). */
export function modelPlannerOptions(options: {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  config: Config;
  flags: PlannerFlags;
  /** One line for the person at the terminal (retries, format fallbacks, repairs). */
  notify: (line: string) => void;
}): ModelPlannerOptions | undefined {
  const { flags, notify } = options;
  const schema = flags.schema ?? 'auto';
  if (schema !== 'auto' && schema !== 'full' && schema !== 'compact') {
    throw new UsageError(`--schema ${schema}: expected auto, full or compact`);
  }
  const maxRepairs = Number(flags.maxRepairs ?? '2');
  if (!Number.isInteger(maxRepairs) || maxRepairs < 0 || maxRepairs > 10) {
    throw new UsageError(`--max-repairs ${flags.maxRepairs}: expected a whole number from 0 to 10`);
  }
  const modelConfig = resolveModelConfig({
    config: options.config,
    env: options.env,
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.baseUrl === undefined ? {} : { baseURL: flags.baseUrl }),
    ...(flags.provider === undefined ? {} : { provider: flags.provider }),
  });
  if (!modelConfig) return undefined;
  const client = createModelClient(modelConfig, {
    onRetry: (error, attempt, delayMs) =>
      notify(`${error.message}; retrying in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1})`),
  });
  return {
    client,
    memory: ResponseFormatMemory.forProject(options.projectDir),
    maxRepairs,
    schemaChoice: schema satisfies SchemaChoice,
    onDowngrade: (from, to) =>
      notify(`${modelConfig.baseURL} does not take response_format ${from}; using ${to} (remembered in .actiongraph/endpoints.json)`),
    onRepair: (attempt, problems) =>
      notify(`the answer has ${problems.length} problem${problems.length === 1 ? '' : 's'}; asking for repair ${attempt}`),
  };
}

/** "planned 4 nodes, 3 edges with model "x" (json_schema, full schema) in 2.1s: 812 prompt + 95 completion tokens, 1 repair" */
export function summaryLine(
  verb: string,
  result: { planner: 'model' | 'offline'; repairs: number; usage: TokenUsage; elapsedMs: number; mode?: string; schemaVariant?: string },
  model: ModelPlannerOptions | undefined,
): string {
  const time = result.elapsedMs >= 1000 ? `${(result.elapsedMs / 1000).toFixed(1)}s` : `${Math.round(result.elapsedMs)}ms`;
  if (result.planner === 'offline' || !model) return `${verb} offline in ${time}`;
  const { promptTokens, completionTokens } = result.usage;
  const how = [result.mode, result.schemaVariant ? `${result.schemaVariant} schema` : undefined].filter(Boolean).join(', ');
  return (
    `${verb} with model "${model.client.config.model}" (${how}) in ${time}: ` +
    `${promptTokens} prompt + ${completionTokens} completion tokens, ` +
    `${result.repairs} repair${result.repairs === 1 ? '' : 's'}`
  );
}
