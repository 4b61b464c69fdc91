// Which model endpoint to talk to: flags > environment > actiongraph.config.json > preset defaults.
// `undefined` means no model is configured and the offline planner is used.
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { didYouMean } from '../graph/suggest.js';
import { DEFAULT_BASE_URL, PROVIDER_PRESETS, type ProviderPreset, normalizeBaseURL, presetForBaseURL } from './presets.js';

export interface ModelConfig {
  /** The preset in use, when one was named or the base URL is a preset's. */
  provider: string | undefined;
  model: string;
  baseURL: string;
  /** The environment variable the key was read from (named in messages; the key itself never is). */
  apiKeyEnv: string | undefined;
  /** Non-enumerable, so printing or serialising a config never shows it. */
  readonly apiKey?: string;
  /** Hosted services fail without a key; local servers do not need one. */
  requiresKey: boolean;
}

export interface ResolveModelOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  /** --model */
  model?: string;
  /** --base-url */
  baseURL?: string;
  /** --provider */
  provider?: string;
}

export function resolveModelConfig(options: ResolveModelOptions): ModelConfig | undefined {
  const { config, env } = options;
  const flagPreset = lookupPreset(options.provider, '--provider');
  const configPreset = lookupPreset(config.provider, 'actiongraph.config.json: provider');

  const model = nonEmpty(options.model) ?? nonEmpty(env.ACTIONGRAPH_MODEL) ?? nonEmpty(config.model);
  if (model === undefined) {
    // An explicit endpoint without a model is a mistake worth saying; a stray OPENAI_BASE_URL is not.
    const named = options.baseURL
      ? '--base-url'
      : options.provider
        ? '--provider'
        : config.baseURL
          ? 'actiongraph.config.json: baseURL'
          : config.provider
            ? 'actiongraph.config.json: provider'
            : undefined;
    if (named !== undefined) {
      throw new UsageError(
        `${named} is set but no model is: pass --model, set ACTIONGRAPH_MODEL, or add "model" to actiongraph.config.json`,
        { code: 'MODEL_CONFIG_INVALID' },
      );
    }
    return undefined;
  }

  // A flag beats the environment, which beats the config file; a named preset counts at its own level, and the
  // preset that supplied the base URL (or whose URL it is) decides where the key comes from.
  const candidates: { url: string | undefined; preset: ProviderPreset | undefined }[] = [
    { url: nonEmpty(options.baseURL), preset: flagPreset },
    { url: flagPreset?.baseURL, preset: flagPreset },
    { url: nonEmpty(env.OPENAI_BASE_URL), preset: undefined },
    { url: nonEmpty(config.baseURL), preset: configPreset },
    { url: configPreset?.baseURL, preset: configPreset },
  ];
  const chosen = candidates.find((candidate) => candidate.url !== undefined);
  const baseURL = chosen?.url ?? DEFAULT_BASE_URL;
  checkBaseURL(baseURL);
  const preset = chosen?.preset ?? presetForBaseURL(baseURL);
  const apiKeyEnv = nonEmpty(config.apiKeyEnv) ?? preset?.apiKeyEnv ?? (preset ? undefined : 'OPENAI_API_KEY');
  const apiKey = apiKeyEnv === undefined ? undefined : nonEmpty(env[apiKeyEnv]);

  const resolved: ModelConfig = {
    provider: preset?.name,
    model,
    baseURL: normalizeBaseURL(baseURL),
    apiKeyEnv,
    requiresKey: preset?.requiresKey ?? false,
  };
  if (apiKey !== undefined) Object.defineProperty(resolved, 'apiKey', { value: apiKey, enumerable: false });
  return resolved;
}

/** Builds a ModelConfig directly (tests, library callers); the key stays non-enumerable. */
export function modelConfig(fields: Omit<ModelConfig, 'apiKey'> & { apiKey?: string }): ModelConfig {
  const { apiKey, ...rest } = fields;
  const result: ModelConfig = { ...rest };
  if (apiKey !== undefined) Object.defineProperty(result, 'apiKey', { value: apiKey, enumerable: false });
  return result;
}

/** "model "x" at http://host/v1": how messages name an endpoint. */
export function describeEndpoint(config: Pick<ModelConfig, 'model' | 'baseURL'>): string {
  return `model "${config.model}" at ${config.baseURL}`;
}

function lookupPreset(name: string | undefined, where: string): ProviderPreset | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  const preset = PROVIDER_PRESETS.get(name.trim().toLowerCase());
  if (!preset) {
    const names = [...PROVIDER_PRESETS.keys()];
    throw new UsageError(
      `${where}: unknown provider "${name}"${didYouMean(name, names)} (known: ${names.join(', ')})`,
      { code: 'MODEL_CONFIG_INVALID' },
    );
  }
  return preset;
}

function checkBaseURL(baseURL: string): void {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new UsageError(`base URL "${baseURL}" is not a URL (expected e.g. http://127.0.0.1:11434/v1)`, {
      code: 'MODEL_CONFIG_INVALID',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`base URL "${baseURL}" must start with http:// or https://`, { code: 'MODEL_CONFIG_INVALID' });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
