import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyActionDefinition } from '../../../src/actions/define.js';
import { runAction } from '../../../src/actions/testing.js';
import { type TestServer, sendJson, startServer } from '../server.js';
import { examplePlugin } from './load.js';

let server: TestServer;
let action: AnyActionDefinition;
beforeAll(async () => {
  server = await startServer();
  action = await examplePlugin('output.tweet');
});
afterAll(async () => {
  await server.close();
});

const secrets = { X_BEARER_TOKEN: 'bearer-xyz' };

describe('output.tweet (example plugin)', () => {
  it('declares its secret and write effects', () => {
    expect(action.secrets).toEqual(['X_BEARER_TOKEN']);
    expect(action.effects).toBe('write');
  });

  it('POSTs {text} to /2/tweets with the bearer token and returns the id', async () => {
    server.handle((_, res) => sendJson(res, 201, { data: { id: '1799', text: 'Sunny, 18 °C' } }));
    const output = await runAction(action, { data: { baseUrl: server.baseUrl }, input: { text: 'Sunny, 18 °C', approved: true }, secrets });
    expect(output).toEqual({ id: '1799', text: 'Sunny, 18 °C', url: 'https://x.com/i/web/status/1799' });
    const request = server.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.url.pathname).toBe('/2/tweets');
    expect(request?.headers.authorization).toBe('Bearer bearer-xyz');
    expect(JSON.parse(request?.body ?? '')).toEqual({ text: 'Sunny, 18 °C' });
  });

  it('turns X\'s duplicate-content refusal into TWEET_DUPLICATE, not retryable', async () => {
    server.handle((_, res) => sendJson(res, 403, { detail: 'You are not allowed to create a Tweet with duplicate content.' }));
    await expect(runAction(action, { data: { baseUrl: server.baseUrl }, input: 'again', secrets })).rejects.toMatchObject({
      code: 'TWEET_DUPLICATE',
      retryable: false,
    });
  });

  it('4xx fails for good, 429 and 5xx may be retried; the token never shows in the message', async () => {
    server.handle((_, res) => sendJson(res, 401, { title: 'Unauthorized' }));
    const unauthorized = runAction(action, { data: { baseUrl: server.baseUrl }, input: 'x', secrets });
    await expect(unauthorized).rejects.toMatchObject({ code: 'HTTP_STATUS', retryable: false });
    await expect(unauthorized).rejects.not.toThrow(/bearer-xyz/u);
    server.handle((_, res) => sendJson(res, 429, { title: 'Too Many Requests' }, { 'retry-after': '60' }));
    await expect(runAction(action, { data: { baseUrl: server.baseUrl }, input: 'x', secrets })).rejects.toMatchObject({
      retryable: true,
      details: { status: 429, retryAfterMs: 60_000 },
    });
    server.handle((_, res) => sendJson(res, 500, {}));
    await expect(runAction(action, { data: { baseUrl: server.baseUrl }, input: 'x', secrets })).rejects.toMatchObject({ retryable: true });
  });

  it('gives up on a slow answer after data.timeoutMs, and stops when the run is aborted', async () => {
    server.handle(() => {
      // never answers
    });
    await expect(runAction(action, { data: { baseUrl: server.baseUrl, timeoutMs: 30 }, input: 'x', secrets })).rejects.toMatchObject({
      code: 'HTTP_TIMEOUT',
    });
    const controller = new AbortController();
    controller.abort(new Error('run cancelled'));
    await expect(runAction(action, { data: { baseUrl: server.baseUrl }, input: 'x', secrets, signal: controller.signal })).rejects.toThrow(
      'run cancelled',
    );
  });

  it('fails with TWEET_BAD_ANSWER when a 2xx answer has no id, and TWEET_EMPTY for empty text', async () => {
    server.handle((_, res) => sendJson(res, 200, { data: {} }));
    await expect(runAction(action, { data: { baseUrl: server.baseUrl }, input: 'x', secrets })).rejects.toMatchObject({ code: 'TWEET_BAD_ANSWER' });
    await expect(runAction(action, { data: { baseUrl: server.baseUrl }, input: '', secrets })).rejects.toMatchObject({ code: 'TWEET_EMPTY' });
  });
});
