// The model client: one chat-completions call over the openai SDK (loaded lazily so `--help` stays fast), with our
// own timeout and retries so errors become one ProviderError line and tests need not wait.
import type { ChatMessage, ChatModel } from '../actions/define.js';
import { describeEndpoint, type ModelConfig } from './model-config.js';
import { EndpointError, toProviderError } from './provider-errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type Sleep, realSleep, withRetry } from './retry.js';

export type ResponseFormat =
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean }
  | { type: 'json_object' }
  | { type: 'text' };

export interface ChatRequest {
  messages: ChatMessage[];
  responseFormat?: ResponseFormat;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResponse {
  text: string;
  usage?: TokenUsage;
  /** "stop", "length" (cut off), ... as the server said. */
  finishReason?: string;
}

/** A timer the client can abort a request with; injectable so tests trigger timeouts without waiting. */
export type StartTimeout = (ms: number) => { signal: AbortSignal; clear(): void };

export interface ClientOptions {
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  /** How long one attempt may take. Local models can be slow, hence the generous default. */
  timeoutMs?: number;
  startTimeout?: StartTimeout;
  /** Told before each retry (the CLI prints it on stderr). */
  onRetry?: (error: EndpointError, attempt: number, delayMs: number) => void;
}

export interface ModelClient {
  readonly config: ModelConfig;
  chat(request: ChatRequest): Promise<ChatResponse>;
}

export const DEFAULT_TIMEOUT_MS = 120_000;

const defaultStartTimeout: StartTimeout = (ms) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${ms}ms`)), ms);
  timer.unref?.();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
};

// The slice of the SDK we call, so the SDK's types stay out of this module's public surface.
interface SdkClient {
  chat: {
    completions: {
      create(
        body: Record<string, unknown>,
        options: { signal?: AbortSignal; maxRetries?: number; timeout?: number },
      ): Promise<{
        choices: { message?: { content?: string | null; refusal?: string | null }; finish_reason?: string | null }[];
        usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
      }>;
    };
  };
}

export function createModelClient(config: ModelConfig, options: ClientOptions = {}): ModelClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const sleep = options.sleep ?? realSleep;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const startTimeout = options.startTimeout ?? defaultStartTimeout;
  let sdk: Promise<SdkClient> | undefined;

  const loadSdk = (): Promise<SdkClient> => {
    sdk ??= import('openai').then(
      ({ default: OpenAI }) =>
        new OpenAI({
          // Local servers take any key; the SDK insists on one, so a placeholder goes where none is needed.
          apiKey: config.apiKey ?? 'no-key',
          baseURL: config.baseURL,
          organization: null,
          project: null,
          maxRetries: 0,
          // Our own timer decides; this only keeps the SDK's from firing first.
          timeout: timeoutMs + 60_000,
        }) as unknown as SdkClient,
    );
    return sdk;
  };

  const attemptOnce = async (request: ChatRequest): Promise<ChatResponse> => {
    const client = await loadSdk();
    const timer = startTimeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timer.signal]) : timer.signal;
    try {
      const completion = await client.chat.completions.create(buildBody(config, request), { signal, maxRetries: 0 });
      const choice = completion.choices[0];
      const text = choice?.message?.content;
      if (typeof text !== 'string' || text.length === 0) {
        const refusal = choice?.message?.refusal;
        throw new EndpointError(
          'PROVIDER_EMPTY_ANSWER',
          `${describeEndpoint(config)}: the answer was empty${refusal ? ` (refused: ${refusal})` : ''}`,
          {},
        );
      }
      const result: ChatResponse = { text };
      if (choice?.finish_reason) result.finishReason = choice.finish_reason;
      if (completion.usage) {
        result.usage = {
          promptTokens: completion.usage.prompt_tokens ?? 0,
          completionTokens: completion.usage.completion_tokens ?? 0,
        };
      }
      return result;
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (timer.signal.aborted) {
        throw new EndpointError(
          'PROVIDER_TIMEOUT',
          `${describeEndpoint(config)}: no answer within ${formatSeconds(timeoutMs)}`,
          { cause: error },
        );
      }
      throw toProviderError(error, config);
    } finally {
      timer.clear();
    }
  };

  return {
    config,
    async chat(request) {
      if (config.requiresKey && !config.apiKey) {
        throw new EndpointError(
          'PROVIDER_AUTH',
          `${describeEndpoint(config)}: no API key: set ${config.apiKeyEnv ?? 'OPENAI_API_KEY'}`,
          {},
        );
      }
      return withRetry(() => attemptOnce(request), policy, {
        sleep,
        signal: request.signal,
        onRetry: options.onRetry,
      });
    },
  };
}

/** The configured model as the `ChatModel` actions use (llm.* actions); `json` asks for JSON mode. */
export function createChatModel(config: ModelConfig, options: ClientOptions = {}): ChatModel {
  const client = createModelClient(config, options);
  return {
    model: config.model,
    async complete(messages, callOptions) {
      const request: ChatRequest = { messages, signal: callOptions.signal };
      if (callOptions.json) request.responseFormat = { type: 'json_object' };
      if (callOptions.temperature !== undefined) request.temperature = callOptions.temperature;
      if (callOptions.maxTokens !== undefined) request.maxTokens = callOptions.maxTokens;
      const response = await client.chat(request);
      return response.usage ? { text: response.text, usage: response.usage } : { text: response.text };
    },
  };
}

function buildBody(config: ModelConfig, request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: config.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: format.name, schema: format.schema, strict: format.strict },
    };
  } else if (format?.type === 'json_object') {
    body.response_format = { type: 'json_object' };
  }
  // Plain text sends no response_format at all: some servers reject even {type: "text"}.
  return body;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
