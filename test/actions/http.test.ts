import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAllowed, httpRequest, isJsonContentType, statusError } from '../../src/actions/http.js';
import { ActionError } from '../../src/errors.js';
import { type TestServer, startServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const signal = (): AbortSignal => new AbortController().signal;

describe('httpRequest', () => {
  it('sends method, headers and body and reads status, headers and body', async () => {
    server.handle((req, res) => {
      res.writeHead(201, { 'x-echo': req.headers['x-test'] as string });
      res.end(`${req.method} ${req.url.pathname} ${req.body}`);
    });
    const response = await httpRequest({
      url: `${server.baseUrl}/things`,
      method: 'post',
      headers: { 'x-test': 'yes' },
      body: 'payload',
      signal: signal(),
    });
    expect(response).toMatchObject({ status: 201, body: 'POST /things payload' });
    expect(response.headers['x-echo']).toBe('yes');
  });

  it('returns non-2xx answers; statusError makes them retryable only for 408, 429 and 5xx', async () => {
    server.handle((_, res) => {
      res.writeHead(429, { 'retry-after': '3' });
      res.end('slow down');
    });
    const response = await httpRequest({ url: server.baseUrl, signal: signal() });
    const error = statusError('Test API', response);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', retryable: true, details: { status: 429, retryAfterMs: 3000 } });
    expect(error.message).toBe('Test API answered 429: slow down');
    expect(statusError('x', { status: 404, headers: {}, body: '' })).toMatchObject({ retryable: false });
    expect(statusError('x', { status: 503, headers: {}, body: '' })).toMatchObject({ retryable: true });
  });

  it('times out with HTTP_TIMEOUT (retryable) when the server does not answer', async () => {
    server.handle(() => {
      // never answers
    });
    await expect(httpRequest({ url: server.baseUrl, signal: signal(), timeoutMs: 50, service: 'Slow API' })).rejects.toMatchObject({
      code: 'HTTP_TIMEOUT',
      retryable: true,
      message: 'Slow API: no answer within 50 ms',
    });
  });

  it('throws the run signal\'s reason when the run is aborted', async () => {
    server.handle(() => {
      // never answers
    });
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    const pending = httpRequest({ url: server.baseUrl, signal: controller.signal });
    setImmediate(() => controller.abort(reason));
    await expect(pending).rejects.toBe(reason);
    const aborted = new AbortController();
    aborted.abort(reason);
    await expect(httpRequest({ url: server.baseUrl, signal: aborted.signal })).rejects.toBe(reason);
  });

  it('reports a refused connection as HTTP_NETWORK (retryable), naming the code', async () => {
    const closed = await startServer();
    const url = closed.baseUrl;
    await closed.close();
    await expect(httpRequest({ url, signal: signal() })).rejects.toMatchObject({
      code: 'HTTP_NETWORK',
      retryable: true,
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('refuses bodies over maxBytes with HTTP_TOO_LARGE', async () => {
    server.handle((_, res) => res.end('x'.repeat(1000)));
    await expect(httpRequest({ url: server.baseUrl, signal: signal(), maxBytes: 100 })).rejects.toMatchObject({
      code: 'HTTP_TOO_LARGE',
      retryable: false,
    });
  });

  it('refuses non-http URLs', async () => {
    await expect(httpRequest({ url: 'file:///etc/passwd', signal: signal() })).rejects.toMatchObject({ code: 'HTTP_URL_INVALID' });
    await expect(httpRequest({ url: 'not a url', signal: signal() })).rejects.toMatchObject({ code: 'HTTP_URL_INVALID' });
  });

  it('follows redirects, turning a POST into a GET after 303, and checks allowedHosts on every hop', async () => {
    server.handle((req, res) => {
      if (req.url.pathname === '/start') {
        res.writeHead(303, { location: '/end' });
        res.end();
      } else if (req.url.pathname === '/away') {
        res.writeHead(302, { location: 'http://localhost:1/elsewhere' });
        res.end();
      } else {
        res.end(`${req.method} ${req.url.pathname} body=${req.body}`);
      }
    });
    const followed = await httpRequest({ url: `${server.baseUrl}/start`, method: 'POST', body: 'x', signal: signal(), allowedHosts: ['127.0.0.1'] });
    expect(followed.body).toBe('GET /end body=');
    await expect(
      httpRequest({ url: `${server.baseUrl}/away`, signal: signal(), allowedHosts: ['127.0.0.1'] }),
    ).rejects.toMatchObject({ code: 'HTTP_HOST_NOT_ALLOWED', retryable: false, message: expect.stringContaining('localhost:1') });
    expect(server.requests.some((r) => r.url.pathname === '/elsewhere')).toBe(false);
  });

  it('stops after maxRedirects', async () => {
    server.handle((_, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    });
    await expect(httpRequest({ url: server.baseUrl, signal: signal(), maxRedirects: 2 })).rejects.toBeInstanceOf(ActionError);
    await expect(httpRequest({ url: server.baseUrl, signal: signal(), maxRedirects: 2 })).rejects.toMatchObject({ code: 'HTTP_REDIRECTS' });
  });
});

describe('hostAllowed and isJsonContentType', () => {
  it('matches exact hosts and *.domain wildcards, case-insensitively', () => {
    expect(hostAllowed('API.example.com', ['api.example.com'])).toBe(true);
    expect(hostAllowed('a.b.example.com', ['*.example.com'])).toBe(true);
    expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('badexample.com', ['*.example.com'])).toBe(false);
  });

  it('recognises JSON content types', () => {
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/problem+json')).toBe(true);
    expect(isJsonContentType('text/plain')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});
