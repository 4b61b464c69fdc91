import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyActionDefinition } from '../../../src/actions/define.js';
import { runAction } from '../../../src/actions/testing.js';
import { ActionError } from '../../../src/errors.js';
import { type TestServer, startServer } from '../server.js';
import { examplePlugin } from './load.js';

let server: TestServer;
let action: AnyActionDefinition;
beforeAll(async () => {
  server = await startServer();
  action = await examplePlugin('data.wolfram_alpha');
});
afterAll(async () => {
  await server.close();
});

const secrets = { WOLFRAM_APP_ID: 'APP-123' };

describe('data.wolfram_alpha (example plugin)', () => {
  it('declares its secret and effects', () => {
    expect(action.secrets).toEqual(['WOLFRAM_APP_ID']);
    expect(action.effects).toBe('read');
    expect(action.data.safeParse(undefined).success).toBe(true);
    expect(action.data.safeParse({ qurey: 'typo' }).success).toBe(false);
  });

  it('asks the short-answers API with the incoming text and the app id', async () => {
    server.handle((req, res) => res.end(`answer for ${req.url.searchParams.get('i')}`));
    const output = await runAction(action, {
      data: { baseUrl: `${server.baseUrl}/` },
      input: { text: 'weather in San Francisco' },
      secrets,
    });
    expect(output).toEqual({ text: 'answer for weather in San Francisco', query: 'weather in San Francisco' });
    const request = server.requests.at(-1);
    expect(request?.url.pathname).toBe('/v1/result');
    expect(request?.url.searchParams.get('appid')).toBe('APP-123');
  });

  it('prefers data.query, then an input "query" field, and passes units', async () => {
    server.handle((req, res) => res.end(`${req.url.searchParams.get('i')}|${req.url.searchParams.get('units')}`));
    expect(await runAction(action, { data: { baseUrl: server.baseUrl, query: 'q1', units: 'metric' }, input: 'x', secrets })).toMatchObject({
      text: 'q1|metric',
    });
    expect(await runAction(action, { data: { baseUrl: server.baseUrl }, input: { query: 'q2' }, secrets })).toMatchObject({ text: 'q2|null' });
  });

  it('reports "no short answer" (501) as WOLFRAM_NO_ANSWER, not retryable', async () => {
    server.handle((_, res) => {
      res.statusCode = 501;
      res.end('No short answer available');
    });
    const failed = runAction(action, { data: { baseUrl: server.baseUrl }, input: 'gibberish', secrets });
    await expect(failed).rejects.toMatchObject({ code: 'WOLFRAM_NO_ANSWER', retryable: false });
    // The plugin was compiled with its own copy of 'actiongraph'; the loader hands the engine our ActionError.
    await expect(failed).rejects.toBeInstanceOf(ActionError);
  });

  it('4xx fails for good, 5xx may be retried, and neither message shows the app id', async () => {
    server.handle((_, res) => {
      res.statusCode = 403;
      res.end('Invalid appid');
    });
    const forbidden = runAction(action, { data: { baseUrl: server.baseUrl }, input: 'x', secrets });
    await expect(forbidden).rejects.toMatchObject({ code: 'HTTP_STATUS', retryable: false });
    await expect(forbidden).rejects.not.toThrow(/APP-123/u);
    server.handle((_, res) => {
      res.statusCode = 503;
      res.end();
    });
    await expect(runAction(action, { data: { baseUrl: server.baseUrl }, input: 'x', secrets })).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      retryable: true,
    });
  });

  it('gives up on a slow answer after data.timeoutMs', async () => {
    server.handle(() => {
      // never answers
    });
    await expect(runAction(action, { data: { baseUrl: server.baseUrl, timeoutMs: 30 }, input: 'x', secrets })).rejects.toMatchObject({
      code: 'HTTP_TIMEOUT',
      retryable: true,
    });
  });

  it('refuses an empty question without calling the API', async () => {
    const before = server.requests.length;
    await expect(runAction(action, { data: { baseUrl: server.baseUrl }, input: '  ', secrets })).rejects.toMatchObject({ code: 'QUERY_EMPTY' });
    expect(server.requests.length).toBe(before);
  });
});
