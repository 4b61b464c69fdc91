// Named endpoint presets: where each OpenAI-compatible server lives by default and where its key comes from.
// Local servers need no key; a fine-tuned model (`ft:...` on OpenAI, `account/model` on Together) is just a model name.

export interface ProviderPreset {
  name: string;
  label: string;
  baseURL: string;
  /** The environment variable that holds the key, when the server takes one. */
  apiKeyEnv?: string;
  /** True when requests without a key are certain to fail (hosted services). */
  requiresKey: boolean;
}

export const PROVIDER_PRESETS: ReadonlyMap<string, ProviderPreset> = new Map(
  (
    [
      { name: 'openai', label: 'OpenAI', baseURL: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', requiresKey: true },
      { name: 'together', label: 'Together', baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY', requiresKey: true },
      { name: 'ollama', label: 'Ollama', baseURL: 'http://127.0.0.1:11434/v1', requiresKey: false },
      { name: 'vllm', label: 'vLLM', baseURL: 'http://127.0.0.1:8000/v1', apiKeyEnv: 'VLLM_API_KEY', requiresKey: false },
      { name: 'lmstudio', label: 'LM Studio', baseURL: 'http://127.0.0.1:1234/v1', requiresKey: false },
      { name: 'llamacpp', label: 'llama.cpp server', baseURL: 'http://127.0.0.1:8080/v1', requiresKey: false },
    ] satisfies ProviderPreset[]
  ).map((preset) => [preset.name, preset]),
);

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The preset whose base URL this is (so a bare `baseURL` of api.openai.com still needs its key). */
export function presetForBaseURL(baseURL: string): ProviderPreset | undefined {
  const normalized = normalizeBaseURL(baseURL);
  for (const preset of PROVIDER_PRESETS.values()) {
    if (normalizeBaseURL(preset.baseURL) === normalized) return preset;
  }
  return undefined;
}

export function normalizeBaseURL(baseURL: string): string {
  return baseURL.trim().replace(/\/+$/u, '');
}
