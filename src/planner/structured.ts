// Asks for JSON in the best way the endpoint supports: strict JSON schema, then JSON mode, then plain text
// (the answer's JSON is extracted from prose or code fences either way). A 400 that says the response_format is
// not supported moves one step down, and the step is remembered for the endpoint.
import type { ChatMessage } from '../actions/define.js';
import type { ChatResponse, ModelClient, ResponseFormat } from './client.js';
import { RESPONSE_MODES, type ResponseFormatMemory, type ResponseMode, endpointKey } from './format-memory.js';
import { EndpointError } from './provider-errors.js';

export interface JsonRequest {
  messages: ChatMessage[];
  schema: { name: string; schema: Record<string, unknown>; strict: boolean };
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface JsonResponse extends ChatResponse {
  mode: ResponseMode;
}

export interface StructuredOptions {
  memory: ResponseFormatMemory;
  /** Told when the endpoint turns a format down (the CLI prints it on stderr). */
  onDowngrade?: (from: ResponseMode, to: ResponseMode, reason: string) => void;
}

// Only messages about the format itself: a 400 about, say, temperature must not cost the schema.
const FORMAT_REJECTION = /response_format|response format|json_schema|json_object|structured output|guided|grammar|schema/iu;

/** A 400-class answer that is about the response format rather than the messages or the model. */
export function isFormatRejection(error: unknown): boolean {
  if (!(error instanceof EndpointError)) return false;
  if (error.status !== 400 && error.status !== 422 && error.status !== 501) return false;
  return FORMAT_REJECTION.test(error.serverMessage);
}

export async function chatForJson(client: ModelClient, request: JsonRequest, options: StructuredOptions): Promise<JsonResponse> {
  const key = endpointKey(client.config);
  const remembered = await options.memory.get(key);
  let index = remembered ? RESPONSE_MODES.indexOf(remembered) : 0;
  for (;;) {
    const mode = RESPONSE_MODES[index] ?? 'text';
    try {
      const response = await client.chat({
        messages: request.messages,
        responseFormat: formatFor(mode, request.schema),
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      return { ...response, mode };
    } catch (error) {
      const next = RESPONSE_MODES[index + 1];
      if (next === undefined || !isFormatRejection(error)) throw error;
      const reason = (error as EndpointError).serverMessage;
      await options.memory.remember(key, next, reason);
      options.onDowngrade?.(mode, next, reason);
      index++;
    }
  }
}

function formatFor(mode: ResponseMode, schema: JsonRequest['schema']): ResponseFormat {
  switch (mode) {
    case 'json_schema':
      return { type: 'json_schema', name: schema.name, schema: schema.schema, strict: schema.strict };
    case 'json_object':
      return { type: 'json_object' };
    case 'text':
      return { type: 'text' };
  }
}
