// The model client over real HTTP against a scripted server on 127.0.0.1: answers, each endpoint error as one
// ProviderError with a stable code, retries with injected (instant) sleeps, and timeouts fired by the test.
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { createChatModel, createModelClient, type StartTimeout } from '../../src/planner/client.js';
import { modelConfig } from '../../src/planner/model-config.js';
import { type FakeOpenAI, closedPort, startFakeOpenAI } from './helpers/fake-openai.js';
import { localModel, recordingSleep } from './helpers/fixtures.js';

let server: FakeOpenAI | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const messages = [{ role: 'user' as const, content: 'hello' }];

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('model client', () => {
  it('sends the model and messages and returns text and usage', async () => {
    server = await startFakeOpenAI([{ content: 'hi there', usage: { prompt_tokens: 7, completion_tokens: 3 } }]);
    const client = createModelClient(localModel(server.baseURL, 'my-model', 'sk-test-secret-key-123'));
    const answer = await client.chat({ messages });
    expect(answer).toMatchObject({ text: 'hi there', usage: { promptTokens: 7, completionTokens: 3 }, finishReason: 'stop' });
    expect(server.requests[0]?.body.model).toBe('my-model');
    expect(server.requests[0]?.body.messages).toEqual(messages);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test-secret-key-123');
    expect(server.requests[0]?.body.response_format).toBeUndefined();
  });

  it('sends the response format asked for', async () => {
    server = await startFakeOpenAI([{ content: '{}' }, { content: '{}' }]);
    const client = createModelClient(localModel(server.baseURL));
    await client.chat({ messages, responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object' }, strict: true } });
    await client.chat({ messages, responseFormat: { type: 'json_object' } });
    expect(server.requests[0]?.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'x', schema: { type: 'object' }, strict: true },
    });
    expect(server.requests[1]?.body.response_format).toEqual({ type: 'json_object' });
  });

  it('401: PROVIDER_AUTH naming endpoint, model and key variable, never the key', async () => {
    server = await startFakeOpenAI([{ status: 401, message: 'Incorrect API key provided: sk-test-secret-key-123' }]);
    const error = await failure(createModelClient(localModel(server.baseURL, 'm1', 'sk-test-secret-key-123')).chat({ messages }));
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.status).toBe(401);
    expect(error.message).toContain(server.baseURL);
    expect(error.message).toContain('"m1"');
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(error.message).not.toContain('sk-test-secret-key-123');
    expect(error.message.split('\n')).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it('404: PROVIDER_MODEL_NOT_FOUND, not retried', async () => {
    server = await startFakeOpenAI([{ status: 404, message: 'The model `nope` does not exist' }]);
    const error = await failure(createModelClient(localModel(server.baseURL, 'nope')).chat({ messages }));
    expect(error.code).toBe('PROVIDER_MODEL_NOT_FOUND');
    expect(error.message).toContain('"nope"');
    expect(server.requests).toHaveLength(1);
  });

  it('429 with retry-after: waits what the server asked, then succeeds', async () => {
    server = await startFakeOpenAI([{ status: 429, headers: { 'retry-after': '3' } }, { content: 'ok' }]);
    const { sleep, waits } = recordingSleep();
    const answer = await createModelClient(localModel(server.baseURL), { sleep }).chat({ messages });
    expect(answer.text).toBe('ok');
    expect(waits).toEqual([3000]);
    expect(server.requests).toHaveLength(2);
  });

  it('429 asking for longer than the cap: PROVIDER_RATE_LIMITED at once', async () => {
    server = await startFakeOpenAI([{ status: 429, headers: { 'retry-after': '600' } }]);
    const { sleep, waits } = recordingSleep();
    const error = await failure(createModelClient(localModel(server.baseURL), { sleep, retry: { maxRetryAfterMs: 30_000 } }).chat({ messages }));
    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.message).toContain('retry after 600s');
    expect(waits).toEqual([]);
  });

  it('500 then success: retried with backoff', async () => {
    server = await startFakeOpenAI([{ status: 500, message: 'boom' }, { content: 'ok' }]);
    const { sleep, waits } = recordingSleep();
    const answer = await createModelClient(localModel(server.baseURL), { sleep, retry: { baseDelayMs: 250 } }).chat({ messages });
    expect(answer.text).toBe('ok');
    expect(waits).toEqual([250]);
  });

  it('5xx every time: PROVIDER_SERVER after the allowed attempts, delays doubling', async () => {
    server = await startFakeOpenAI(() => ({ status: 503, message: 'overloaded' }));
    const { sleep, waits } = recordingSleep();
    const error = await failure(
      createModelClient(localModel(server.baseURL), { sleep, retry: { attempts: 3, baseDelayMs: 100 } }).chat({ messages }),
    );
    expect(error.code).toBe('PROVIDER_SERVER');
    expect(error.message).toContain('503');
    expect(error.message).toContain('overloaded');
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('a dropped connection is retried', async () => {
    server = await startFakeOpenAI([{ destroy: true }, { content: 'ok' }]);
    const { sleep } = recordingSleep();
    const answer = await createModelClient(localModel(server.baseURL), { sleep }).chat({ messages });
    expect(answer.text).toBe('ok');
    expect(server.requests).toHaveLength(2);
  });

  it('timeout: PROVIDER_TIMEOUT when the timer fires (fired by the test once the request arrived)', async () => {
    server = await startFakeOpenAI([{ hang: true }]);
    const controller = new AbortController();
    let askedMs = 0;
    const startTimeout: StartTimeout = (ms) => {
      askedMs = ms;
      return { signal: controller.signal, clear: () => undefined };
    };
    const pending = createModelClient(localModel(server.baseURL, 'slow'), { startTimeout, timeoutMs: 45_000 }).chat({ messages });
    await server.received(1);
    controller.abort(new Error('timer'));
    const error = await failure(pending);
    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.message).toContain('45s');
    expect(error.message).toContain('"slow"');
    expect(askedMs).toBe(45_000);
  });

  it('the caller aborting is not a timeout: the abort reason comes back', async () => {
    server = await startFakeOpenAI([{ hang: true }]);
    const controller = new AbortController();
    const pending = createModelClient(localModel(server.baseURL)).chat({ messages, signal: controller.signal });
    await server.received(1);
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
  });

  it('connection refused: PROVIDER_UNREACHABLE naming the endpoint', async () => {
    const port = await closedPort();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const error = await failure(createModelClient(localModel(baseURL)).chat({ messages }));
    expect(error.code).toBe('PROVIDER_UNREACHABLE');
    expect(error.message).toContain(baseURL);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a hosted endpoint without a key fails before any request', async () => {
    const config = modelConfig({ provider: 'openai', model: 'gpt-x', baseURL: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', requiresKey: true });
    const error = await failure(createModelClient(config).chat({ messages }));
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.message).toContain('set OPENAI_API_KEY');
  });

  it('an empty answer is PROVIDER_EMPTY_ANSWER', async () => {
    server = await startFakeOpenAI([{ content: '' }]);
    const error = await failure(createModelClient(localModel(server.baseURL)).chat({ messages }));
    expect(error.code).toBe('PROVIDER_EMPTY_ANSWER');
  });
});

describe('createChatModel', () => {
  it('is the ChatModel actions use: json asks for JSON mode', async () => {
    server = await startFakeOpenAI([{ content: '{"a":1}', usage: { prompt_tokens: 5, completion_tokens: 2 } }]);
    const model = createChatModel(localModel(server.baseURL, 'chat-model'));
    expect(model.model).toBe('chat-model');
    const answer = await model.complete(messages, { signal: new AbortController().signal, json: true, temperature: 0, maxTokens: 50 });
    expect(answer).toEqual({ text: '{"a":1}', usage: { promptTokens: 5, completionTokens: 2 } });
    expect(server.requests[0]?.body).toMatchObject({ response_format: { type: 'json_object' }, temperature: 0, max_tokens: 50 });
  });
});
