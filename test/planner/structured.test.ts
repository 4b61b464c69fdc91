// Asking for JSON the best way the endpoint supports, detected from its 400 answers and remembered per endpoint.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { createModelClient } from '../../src/planner/client.js';
import { ENDPOINTS_FILE, ResponseFormatMemory, endpointKey } from '../../src/planner/format-memory.js';
import { chatForJson } from '../../src/planner/structured.js';
import { type FakeOpenAI, type RecordedRequest, type Step, startFakeOpenAI } from './helpers/fake-openai.js';
import { localModel, tempProject } from './helpers/fixtures.js';

let server: FakeOpenAI | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const request = {
  messages: [{ role: 'user' as const, content: 'answer in JSON' }],
  schema: { name: 'actiongraph_workflow', schema: { type: 'object' }, strict: true },
};

/** A server like LM Studio or an old llama.cpp: refuses the formats it does not know with a 400. */
function refuses(...formats: string[]): (req: RecordedRequest) => Step {
  return (req) => {
    const type = req.body.response_format?.type ?? 'text';
    if (formats.includes(type)) return { status: 400, message: `response_format type "${type}" is not supported` };
    return { content: type === 'text' ? 'Here you go: ```json\n{"ok": true}\n```' : '{"ok": true}' };
  };
}

describe('chatForJson', () => {
  it('uses strict JSON schema when the endpoint takes it', async () => {
    server = await startFakeOpenAI(refuses());
    const answer = await chatForJson(createModelClient(localModel(server.baseURL)), request, { memory: new ResponseFormatMemory() });
    expect(answer.mode).toBe('json_schema');
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema']);
  });

  it('falls back json_schema → json_object → text, and remembers it in .actiongraph/endpoints.json', async () => {
    const project = await tempProject();
    cleanups.push(project.cleanup);
    server = await startFakeOpenAI(refuses('json_schema', 'json_object'));
    const config = localModel(server.baseURL, 'picky');
    const downgrades: string[] = [];
    const first = await chatForJson(createModelClient(config), request, {
      memory: ResponseFormatMemory.forProject(project.dir),
      onDowngrade: (from, to) => downgrades.push(`${from}->${to}`),
    });
    expect(first.mode).toBe('text');
    expect(first.text).toContain('{"ok": true}');
    expect(downgrades).toEqual(['json_schema->json_object', 'json_object->text']);
    expect(server.requests.map((r) => r.body.response_format?.type ?? 'none')).toEqual(['json_schema', 'json_object', 'none']);

    const stored = JSON.parse(await readFile(path.join(project.dir, ENDPOINTS_FILE), 'utf8')) as { endpoints: Record<string, { mode: string }> };
    expect(stored.endpoints[endpointKey(config)]?.mode).toBe('text');

    // A new run (a fresh memory reading the file) goes straight to plain text.
    const again = await chatForJson(createModelClient(config), request, { memory: ResponseFormatMemory.forProject(project.dir) });
    expect(again.mode).toBe('text');
    expect(server.requests).toHaveLength(4);
    expect(server.requests[3]?.body.response_format).toBeUndefined();
  });

  it('stops at JSON mode when that is what the endpoint takes', async () => {
    server = await startFakeOpenAI(refuses('json_schema'));
    const memory = new ResponseFormatMemory();
    const client = createModelClient(localModel(server.baseURL));
    expect((await chatForJson(client, request, { memory })).mode).toBe('json_object');
    expect((await chatForJson(client, request, { memory })).mode).toBe('json_object');
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object', 'json_object']);
  });

  it('a 400 about something else is an error, not a fallback', async () => {
    server = await startFakeOpenAI([{ status: 400, message: 'messages: too many tokens' }]);
    const error = await chatForJson(createModelClient(localModel(server.baseURL)), request, { memory: new ResponseFormatMemory() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('PROVIDER_BAD_REQUEST');
    expect(server.requests).toHaveLength(1);
  });

  it('remembers per endpoint: another model on the same server starts from the top', async () => {
    server = await startFakeOpenAI(refuses('json_schema'));
    const memory = new ResponseFormatMemory();
    await chatForJson(createModelClient(localModel(server.baseURL, 'a')), request, { memory });
    const other = await chatForJson(createModelClient(localModel(server.baseURL, 'b')), request, { memory });
    expect(other.mode).toBe('json_object');
    expect(server.requests.map((r) => `${r.body.model}:${r.body.response_format?.type}`)).toEqual([
      'a:json_schema',
      'a:json_object',
      'b:json_schema',
      'b:json_object',
    ]);
  });
});
