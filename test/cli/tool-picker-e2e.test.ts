// The seed's tool picker end to end, as a user runs it: the CLI as a subprocess, the model behind the openai SDK,
// YouTube and the Discord webhook all served by one HTTP server on 127.0.0.1.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot, runSubprocess } from '../helpers/cli.js';

interface Seen {
  method: string;
  url: string;
  body: string;
}

const seen: Seen[] = [];
let server: Server;
let base: string;
let project: string;
let modelAnswer = '';

const readBody = async (request: IncomingMessage): Promise<string> => {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
};

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', body });
      response.setHeader('content-type', 'application/json');
      if (request.url === '/v1/chat/completions') {
        response.end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            created: 0,
            model: 'billy-1',
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: modelAnswer } }],
            usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
          }),
        );
      } else if (request.url?.startsWith('/youtube/v3/search')) {
        response.end(JSON.stringify({ items: [{ id: { videoId: 'knee123' }, snippet: { title: 'Peter falls' } }] }));
      } else if (request.url?.startsWith('/webhook')) {
        response.end(JSON.stringify({ id: 'message-1' }));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  project = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-picker-'));
  const graph = JSON.parse(await readFile(path.join(repoRoot, 'graphs/tool-picker.json'), 'utf8')) as {
    nodes: Record<string, { data?: unknown }>;
  };
  graph.nodes['3']!.data = { baseUrl: base, timeoutMs: 5_000 };
  await writeFile(path.join(project, 'picker.json'), JSON.stringify(graph, null, 2));
});

afterAll(async () => {
  server.close();
  await rm(project, { recursive: true, force: true });
});

const environment = (): NodeJS.ProcessEnv => ({
  OPENAI_BASE_URL: `${base}/v1`,
  OPENAI_API_KEY: 'sk-test-key-0000',
  ACTIONGRAPH_MODEL: 'billy-1',
  YOUTUBE_API_KEY: 'yt-secret-1234',
  DISCORD_WEBHOOK_URL: `${base}/webhook/secret-token-5678`,
});

it('routes the request to discord_post.youtube, waits for approval, and posts the video once approved', async () => {
  seen.length = 0;
  modelAnswer = '{"tool": "discord_post.youtube", "query": "Peter falling on his knee"}';
  const actions = ['--actions', path.join(repoRoot, 'actions')];
  const first = await runSubprocess(['run', 'picker.json', ...actions], { cwd: project, env: environment(), timeoutMs: 30_000 });
  expect(first.stderr).not.toMatch(/\n\s+at /);
  expect(first.code).toBe(2);
  expect(first.stderr).toMatch(/node "3" is waiting for input \(confirm\): Run node "3" \(discord_post\.youtube, writes\)/);
  expect(seen.some((request) => request.url.startsWith('/webhook'))).toBe(false);
  const runId = /actiongraph resume (\S+) --answer 3=yes/.exec(first.stderr)?.[1];
  expect(runId).toBeDefined();

  const result = await runSubprocess(['resume', runId!, '--answer', '3=yes', '--json', ...actions], {
    cwd: project,
    env: environment(),
    timeoutMs: 30_000,
  });
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.code).toBe(0);
  // The model was asked once: its choice came back from the journal on resume.
  expect(seen.filter((request) => request.url === '/v1/chat/completions')).toHaveLength(1);

  const chat = seen.find((request) => request.url === '/v1/chat/completions');
  expect(chat?.body).toContain('Peter falling on his knee');
  const search = seen.find((request) => request.url.startsWith('/youtube/v3/search'));
  expect(new URL(search!.url, base).searchParams.get('q')).toBe('Peter falling on his knee');
  const post = seen.find((request) => request.url.startsWith('/webhook'));
  expect(JSON.parse(post!.body).content).toContain('https://www.youtube.com/watch?v=knee123');

  const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; outputs?: Record<string, unknown> });
  expect(lines.at(-1)?.outputs?.['3']).toMatchObject({ videoId: 'knee123', messageId: 'message-1' });
  for (const secret of ['yt-secret-1234', 'secret-token-5678', 'sk-test-key-0000']) {
    expect(result.stdout + result.stderr).not.toContain(secret);
  }
});

it('does nothing when the model picks no tool', async () => {
  seen.length = 0;
  modelAnswer = '{"tool": "no_tool"}';
  const result = await runSubprocess(['run', 'picker.json', '--actions', path.join(repoRoot, 'actions')], {
    cwd: project,
    env: environment(),
    timeoutMs: 30_000,
  });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/- 3 skipped/);
  expect(seen.some((request) => request.url.startsWith('/webhook'))).toBe(false);
});
