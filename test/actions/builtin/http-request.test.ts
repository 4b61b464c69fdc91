import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequestAction } from '../../../src/actions/builtin/http-request.js';
import { runWith } from '../context.js';
import { type TestServer, sendJson, startServer } from '../server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('http.request', () => {
  it('GETs with query parameters and parses a JSON answer', async () => {
    server.handle((req, res) => sendJson(res, 200, { q: req.url.searchParams.get('q'), n: req.url.searchParams.get('n') }));
    const { output } = await runWith(httpRequestAction, { data: { url: `${server.baseUrl}/search`, query: { q: 'cats', n: 2 } } });
    expect(output).toMatchObject({ status: 200, json: { q: 'cats', n: '2' } });
    expect((output as { headers: Record<string, string> }).headers['content-type']).toBe('application/json');
  });

  it('POSTs a JSON body with its content type, or a text body', async () => {
    server.handle((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${req.headers['content-type']}|${req.body}`);
    });
    const json = await runWith(httpRequestAction, { data: { method: 'POST', url: server.baseUrl, json: { a: [1] } } });
    expect(json.output).toMatchObject({ body: 'application/json|{"a":[1]}' });
    expect(json.output).not.toHaveProperty('json');
    const text = await runWith(httpRequestAction, {
      data: { method: 'PUT', url: server.baseUrl, body: 'hi', headers: { 'content-type': 'text/markdown' } },
    });
    expect(text.output).toMatchObject({ body: 'text/markdown|hi' });
  });

  it('fails on non-2xx with HTTP_STATUS, retryable for 5xx, not for 4xx', async () => {
    server.handle((req, res) => {
      res.statusCode = req.url.pathname === '/missing' ? 404 : 502;
      res.end('nope');
    });
    await expect(runWith(httpRequestAction, { data: { url: `${server.baseUrl}/missing` } })).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      retryable: false,
      details: { status: 404 },
    });
    await expect(runWith(httpRequestAction, { data: { url: `${server.baseUrl}/broken` } })).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      retryable: true,
    });
  });

  it('returns non-2xx answers as output when throwOnStatus is false', async () => {
    server.handle((_, res) => sendJson(res, 404, { error: 'not found' }));
    const { output } = await runWith(httpRequestAction, { data: { url: server.baseUrl, throwOnStatus: false } });
    expect(output).toMatchObject({ status: 404, json: { error: 'not found' } });
  });

  it('keeps the body when a JSON-labelled answer does not parse', async () => {
    server.handle((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{broken');
    });
    const { output } = await runWith(httpRequestAction, { data: { url: server.baseUrl } });
    expect(output).toEqual(expect.objectContaining({ body: '{broken' }));
    expect(output).not.toHaveProperty('json');
  });

  it('honours timeoutMs and the run signal', async () => {
    server.handle(() => {
      // never answers
    });
    await expect(runWith(httpRequestAction, { data: { url: server.baseUrl, timeoutMs: 30 } })).rejects.toMatchObject({
      code: 'HTTP_TIMEOUT',
    });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(runWith(httpRequestAction, { data: { url: server.baseUrl }, signal: controller.signal })).rejects.toThrow('stop');
  });

  it('refuses hosts outside allowedHosts before sending anything', async () => {
    const before = server.requests.length;
    await expect(
      runWith(httpRequestAction, { data: { url: server.baseUrl, allowedHosts: ['api.example.com'] } }),
    ).rejects.toMatchObject({ code: 'HTTP_HOST_NOT_ALLOWED', retryable: false });
    expect(server.requests.length).toBe(before);
  });

  it('checks data when the graph loads', () => {
    const check = (data: unknown): boolean => httpRequestAction.data.safeParse(data).success;
    expect(check({ url: 'https://x' })).toBe(true);
    expect(check({ url: '{{input.url}}' })).toBe(true);
    expect(check({ url: 'https://x', method: 'FETCH' })).toBe(false);
    expect(check({ url: 'https://x', json: {}, method: 'POST', body: 'x' })).toBe(false);
    expect(check({ url: 'https://x', body: 'x' })).toBe(false);
    expect(check({ url: 'https://x', header: {} })).toBe(false);
    expect(check({ url: 'https://x', timeoutMs: 0 })).toBe(false);
  });
});
