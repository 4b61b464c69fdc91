// Security: http.request takes its URL and headers from graph data and upstream outputs. The allow-list cannot be
// dodged by URL spelling or redirects, credentials do not follow a redirect to another origin, header values
// cannot smuggle in headers, and size limits hold after decompression. Real servers on 127.0.0.1.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequestAction } from '../../src/actions/builtin/http-request.js';
import { hostAllowed, httpRequest } from '../../src/actions/http.js';
import { runWith } from '../actions/context.js';
import { type TestServer, startServer } from '../actions/server.js';

let home: TestServer;
let other: TestServer;
beforeAll(async () => {
  home = await startServer();
  other = await startServer((req, res) => res.end(JSON.stringify(req.headers)));
});
afterAll(async () => {
  await Promise.all([home.close(), other.close()]);
});

const signal = (): AbortSignal => new AbortController().signal;
const port = (server: TestServer): string => new URL(server.baseUrl).port;

function request(data: Record<string, unknown>) {
  return runWith(httpRequestAction, { data });
}

describe('http.request: allowed hosts', () => {
  it('refuses user@host URLs, which read as the wrong host to a person approving them, without repeating the password', async () => {
    const before = home.requests.length;
    const url = `http://127.0.0.1:s3cret-pass@127.0.0.1:${port(home)}/`;
    const error = await request({ url }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'HTTP_URL_INVALID', retryable: false });
    expect((error as Error).message).not.toContain('s3cret-pass');
    await expect(request({ url: `http://127.0.0.1@evil.test:${port(home)}/`, allowedHosts: ['127.0.0.1'] })).rejects.toMatchObject({
      code: 'HTTP_URL_INVALID',
    });
    expect(home.requests.length).toBe(before);
  });

  it.each([
    ['http://evil.test#@127.0.0.1/', 'evil.test'],
    ['http://evil.test\\@127.0.0.1/', 'evil.test'],
    ['http://127.0.0.1.evil.test/', '127.0.0.1.evil.test'],
    ['http://[::ffff:7f00:1]/', '[::ffff:7f00:1]'],
  ])('%s is not 127.0.0.1', async (url, host) => {
    await expect(request({ url, allowedHosts: ['127.0.0.1'] })).rejects.toMatchObject({
      code: 'HTTP_HOST_NOT_ALLOWED',
      message: expect.stringContaining(host),
    });
  });

  it('matches upper-case URLs and the same host spelt as a number', async () => {
    home.handle((_, res) => res.end('ok'));
    const upper = await request({ url: `HTTP://127.0.0.1:${port(home)}/X`, allowedHosts: ['127.0.0.1'] });
    expect(upper.output).toMatchObject({ status: 200 });
    const numeric = await request({ url: `http://2130706433:${port(home)}/`, allowedHosts: ['127.0.0.1'] });
    expect(numeric.output).toMatchObject({ status: 200 });
    expect(hostAllowed('[::1]', ['[::1]'])).toBe(true);
    expect(hostAllowed('[::1]', ['127.0.0.1'])).toBe(false);
  });

  it('checks a redirect to another port or host against the list before following it', async () => {
    home.handle((_, res) => {
      res.writeHead(302, { location: `${other.baseUrl}/stolen` });
      res.end();
    });
    const before = other.requests.length;
    await expect(request({ url: `${home.baseUrl}/go`, allowedHosts: [`127.0.0.1:${port(home)}`] })).rejects.toMatchObject({
      code: 'HTTP_HOST_NOT_ALLOWED',
      retryable: false,
    });
    expect(other.requests.length).toBe(before);
  });
});

describe('http.request: credentials and headers', () => {
  it('drops Authorization, Proxy-Authorization and Cookie on a redirect to another origin, keeps them on the same one', async () => {
    home.handle((req, res) => {
      if (req.url.pathname === '/same') {
        res.writeHead(307, { location: '/echo' });
        res.end();
      } else if (req.url.pathname === '/echo') {
        res.end(JSON.stringify(req.headers));
      } else {
        res.writeHead(307, { location: `${other.baseUrl}/elsewhere` });
        res.end();
      }
    });
    const headers = { authorization: 'Bearer tok-123', 'proxy-authorization': 'Basic cHJveHk=', cookie: 'sid=1', 'x-trace': 't' };
    const away = await request({ url: `${home.baseUrl}/away`, headers });
    const seen = JSON.parse((away.output as { body: string }).body) as Record<string, string>;
    expect(seen['x-trace']).toBe('t');
    expect(seen.authorization).toBeUndefined();
    expect(seen['proxy-authorization']).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    const same = await request({ url: `${home.baseUrl}/same`, headers });
    expect(JSON.parse((same.output as { body: string }).body)).toMatchObject({ authorization: 'Bearer tok-123', cookie: 'sid=1' });
  });

  it.each([
    [{ 'x-note': 'ok\r\nX-Injected: 1' }],
    [{ 'x-note': 'ok\nX-Injected: 1' }],
    [{ 'x-note': 'ok\u0000' }],
    [{ 'x-note\r\nX-Injected': '1' }],
    [{ 'bad name': '1' }],
    [{ 'x-note': 'tok\u2028' }],
  ])('refuses header %j before sending, not retryable, without quoting the value', async (headers) => {
    const before = home.requests.length;
    const error = await request({ url: home.baseUrl, headers }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'HTTP_HEADER_INVALID', retryable: false });
    expect((error as Error).message).not.toContain('X-Injected: 1');
    expect(home.requests.length).toBe(before);
  });

  it('lets ordinary header values through (Latin-1 included)', async () => {
    home.handle((req, res) => res.end(String(req.headers['x-note'])));
    const { output } = await request({ url: home.baseUrl, headers: { 'x-note': 'café au lait; q=0.9' } });
    expect(output).toMatchObject({ status: 200, body: 'café au lait; q=0.9' });
  });
});

describe('http: response size', () => {
  it('counts the decompressed size, so a small gzip bomb is still too large', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000));
    expect(bomb.length).toBeLessThan(10_000);
    home.handle((_, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      res.end(bomb);
    });
    await expect(httpRequest({ url: home.baseUrl, signal: signal(), maxBytes: 1_000_000 })).rejects.toMatchObject({
      code: 'HTTP_TOO_LARGE',
      retryable: false,
    });
  });
});
