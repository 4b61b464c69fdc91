// Which endpoint the planner talks to: flags > environment > config file > preset defaults.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { resolveModelConfig } from '../../src/planner/model-config.js';

const config = (fields: Record<string, unknown> = {}) => ConfigSchema.parse(fields);

describe('resolveModelConfig', () => {
  it('is undefined (offline) when no model is named anywhere, even with a key in the environment', () => {
    expect(resolveModelConfig({ config: config(), env: { OPENAI_API_KEY: 'sk-abc', OPENAI_BASE_URL: 'http://x/v1' } })).toBeUndefined();
  });

  it('defaults to OpenAI with OPENAI_API_KEY', () => {
    const resolved = resolveModelConfig({ config: config(), env: { ACTIONGRAPH_MODEL: 'gpt-4o-mini', OPENAI_API_KEY: 'sk-abc' } });
    expect(resolved).toMatchObject({ model: 'gpt-4o-mini', baseURL: 'https://api.openai.com/v1', provider: 'openai', requiresKey: true, apiKeyEnv: 'OPENAI_API_KEY' });
    expect(resolved?.apiKey).toBe('sk-abc');
  });

  it('never shows the key when printed or serialised', () => {
    const resolved = resolveModelConfig({ config: config(), env: { ACTIONGRAPH_MODEL: 'm', OPENAI_API_KEY: 'sk-very-secret' } });
    expect(JSON.stringify(resolved)).not.toContain('sk-very-secret');
    expect(Object.keys(resolved ?? {})).not.toContain('apiKey');
  });

  it('flags beat the environment, which beats the config file', () => {
    const file = config({ model: 'from-config', baseURL: 'http://config:1/v1' });
    const env = { ACTIONGRAPH_MODEL: 'from-env', OPENAI_BASE_URL: 'http://env:2/v1' };
    expect(resolveModelConfig({ config: file, env: {} })).toMatchObject({ model: 'from-config', baseURL: 'http://config:1/v1' });
    expect(resolveModelConfig({ config: file, env })).toMatchObject({ model: 'from-env', baseURL: 'http://env:2/v1' });
    expect(resolveModelConfig({ config: file, env, model: 'from-flag', baseURL: 'http://flag:3/v1' })).toMatchObject({
      model: 'from-flag',
      baseURL: 'http://flag:3/v1',
    });
  });

  it('presets give the base URL and where the key comes from; local ones need none', () => {
    const together = resolveModelConfig({ config: config({ provider: 'together', model: 'acct/my-ft' }), env: { TOGETHER_API_KEY: 'tk' } });
    expect(together).toMatchObject({ baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY', requiresKey: true, model: 'acct/my-ft' });
    expect(together?.apiKey).toBe('tk');
    for (const [provider, url] of [
      ['ollama', 'http://127.0.0.1:11434/v1'],
      ['vllm', 'http://127.0.0.1:8000/v1'],
      ['lmstudio', 'http://127.0.0.1:1234/v1'],
      ['llamacpp', 'http://127.0.0.1:8080/v1'],
    ] as const) {
      expect(resolveModelConfig({ config: config(), env: {}, provider, model: 'local' })).toMatchObject({ baseURL: url, requiresKey: false });
    }
  });

  it('a fine-tuned OpenAI model is just a model name', () => {
    const resolved = resolveModelConfig({ config: config(), env: { OPENAI_API_KEY: 'k' }, model: 'ft:gpt-4o-mini:org::abc123' });
    expect(resolved).toMatchObject({ model: 'ft:gpt-4o-mini:org::abc123', provider: 'openai' });
  });

  it('a --provider flag beats OPENAI_BASE_URL', () => {
    const resolved = resolveModelConfig({ config: config(), env: { OPENAI_BASE_URL: 'http://elsewhere/v1' }, provider: 'ollama', model: 'llama3' });
    expect(resolved?.baseURL).toBe('http://127.0.0.1:11434/v1');
  });

  it('apiKeyEnv in the config names the key variable', () => {
    const resolved = resolveModelConfig({ config: config({ model: 'm', apiKeyEnv: 'MY_KEY' }), env: { MY_KEY: 'k2', OPENAI_API_KEY: 'k1' } });
    expect(resolved?.apiKeyEnv).toBe('MY_KEY');
    expect(resolved?.apiKey).toBe('k2');
  });

  it('errors: an unknown provider (with a suggestion), a bad URL, an endpoint without a model', () => {
    const codeOf = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as UsageError).code;
      }
      return undefined;
    };
    expect(codeOf(() => resolveModelConfig({ config: config(), env: {}, provider: 'olama', model: 'x' }))).toBe('MODEL_CONFIG_INVALID');
    expect(() => resolveModelConfig({ config: config(), env: {}, provider: 'olama', model: 'x' })).toThrow(/did you mean "ollama"/u);
    expect(codeOf(() => resolveModelConfig({ config: config(), env: {}, baseURL: 'ftp://x', model: 'x' }))).toBe('MODEL_CONFIG_INVALID');
    expect(codeOf(() => resolveModelConfig({ config: config(), env: {}, baseURL: 'http://127.0.0.1:1/v1' }))).toBe('MODEL_CONFIG_INVALID');
  });
});
