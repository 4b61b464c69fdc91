import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyActionDefinition } from '../../../src/actions/define.js';
import { runAction } from '../../../src/actions/testing.js';
import { type TestServer, sendJson, startServer } from '../server.js';
import { examplePlugin } from './load.js';

let youtube: TestServer;
let discord: TestServer;
let action: AnyActionDefinition;
beforeAll(async () => {
  [youtube, discord] = await Promise.all([startServer(), startServer()]);
  action = await examplePlugin('discord_post.youtube');
});
afterAll(async () => {
  await Promise.all([youtube.close(), discord.close()]);
});

const secrets = (): Record<string, string> => ({
  YOUTUBE_API_KEY: 'yt-key',
  DISCORD_WEBHOOK_URL: `${discord.baseUrl}/api/webhooks/1/secret-token`,
});

const videoFound = (): void =>
  youtube.handle((_, res) => sendJson(res, 200, { items: [{ id: { kind: 'youtube#video', videoId: 'abc123' }, snippet: { title: 'Peter falls' } }] }));

describe('discord_post.youtube (example plugin)', () => {
  it('declares both secrets and write effects', () => {
    expect(action.secrets).toEqual(['YOUTUBE_API_KEY', 'DISCORD_WEBHOOK_URL']);
    expect(action.effects).toBe('write');
  });

  it('searches YouTube for the query llm.choose extracted and posts the link to the webhook', async () => {
    videoFound();
    discord.handle((_, res) => sendJson(res, 200, { id: 'msg-1' }));
    const output = await runAction(action, {
      data: { baseUrl: youtube.baseUrl, message: 'Here you go:' },
      input: { choice: 'discord_post.youtube', query: 'Peter falling on his knee' },
      secrets: secrets(),
    });
    expect(output).toEqual({ videoId: 'abc123', url: 'https://www.youtube.com/watch?v=abc123', title: 'Peter falls', messageId: 'msg-1' });
    const search = youtube.requests.at(-1);
    expect(search?.url.pathname).toBe('/youtube/v3/search');
    expect(Object.fromEntries(search?.url.searchParams ?? [])).toMatchObject({
      part: 'snippet',
      type: 'video',
      q: 'Peter falling on his knee',
      key: 'yt-key',
    });
    const post = discord.requests.at(-1);
    expect(post?.url.pathname).toBe('/api/webhooks/1/secret-token');
    expect(post?.url.searchParams.get('wait')).toBe('true');
    expect(JSON.parse(post?.body ?? '')).toMatchObject({ content: 'Here you go:\nhttps://www.youtube.com/watch?v=abc123' });
  });

  it('fails with YOUTUBE_NO_RESULT and posts nothing when the search finds no video', async () => {
    youtube.handle((_, res) => sendJson(res, 200, { items: [] }));
    const before = discord.requests.length;
    await expect(runAction(action, { data: { baseUrl: youtube.baseUrl }, input: 'nothing', secrets: secrets() })).rejects.toMatchObject({
      code: 'YOUTUBE_NO_RESULT',
      retryable: false,
    });
    expect(discord.requests.length).toBe(before);
  });

  it('reports YouTube and Discord errors by service, never showing the key or the webhook URL', async () => {
    youtube.handle((_, res) => sendJson(res, 400, { error: { message: 'API key not valid' } }));
    const badKey = runAction(action, { data: { baseUrl: youtube.baseUrl }, input: 'x', secrets: secrets() });
    await expect(badKey).rejects.toMatchObject({ code: 'HTTP_STATUS', retryable: false, message: expect.stringMatching(/^YouTube answered 400/u) });
    await expect(badKey).rejects.not.toThrow(/yt-key/u);
    videoFound();
    discord.handle((_, res) => sendJson(res, 502, {}));
    const badPost = runAction(action, { data: { baseUrl: youtube.baseUrl }, input: 'x', secrets: secrets() });
    await expect(badPost).rejects.toMatchObject({ code: 'HTTP_STATUS', retryable: true, message: expect.stringMatching(/^Discord answered 502/u) });
    await expect(badPost).rejects.not.toThrow(/secret-token/u);
  });

  it('gives up on a slow search after data.timeoutMs', async () => {
    youtube.handle(() => {
      // never answers
    });
    await expect(runAction(action, { data: { baseUrl: youtube.baseUrl, timeoutMs: 30 }, input: 'x', secrets: secrets() })).rejects.toMatchObject({
      code: 'HTTP_TIMEOUT',
      message: 'YouTube: no answer within 30 ms',
    });
  });

  it('refuses a webhook secret that is not a URL without echoing it', async () => {
    videoFound();
    const broken = runAction(action, { data: { baseUrl: youtube.baseUrl }, input: 'x', secrets: { ...secrets(), DISCORD_WEBHOOK_URL: 'oops-secret' } });
    await expect(broken).rejects.toMatchObject({ code: 'DISCORD_WEBHOOK_INVALID' });
    await expect(broken).rejects.not.toThrow(/oops-secret/u);
  });
});
