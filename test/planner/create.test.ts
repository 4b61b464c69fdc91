// Create with a model over real HTTP: valid at once, repaired, rejected after two repairs (rejected file written,
// target not), made-up actions, wrong data types, cycles. Asserts what the server was sent.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlannerError, UsageError } from '../../src/errors.js';
import { parseWorkflow } from '../../src/graph/parse.js';
import { createModelClient } from '../../src/planner/client.js';
import { generateWorkflowFile, planWorkflow } from '../../src/planner/create.js';
import { EXAMPLES_FILE } from '../../src/planner/examples-log.js';
import { ResponseFormatMemory } from '../../src/planner/format-memory.js';
import type { ModelPlannerOptions } from '../../src/planner/repair-loop.js';
import { type FakeOpenAI, type Step, startFakeOpenAI } from './helpers/fake-openai.js';
import { generatedRegistry, localModel, tempProject, testRegistry } from './helpers/fixtures.js';

let server: FakeOpenAI | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const registry = testRegistry();
const TASK = 'Fetch https://example.com/news, summarise it and save it to out/news.md';

const GOOD = {
  nodes: [
    { id: '1', action: 'web.fetch', data: { url: 'https://example.com/news', timeoutMs: null } },
    { id: '2', action: 'text.summarize', data: { sentences: 3 } },
    { id: '3', action: 'output.file', data: { path: 'out/news.md', append: null } },
  ],
  edges: [
    { from: '1', to: '2', when: null },
    { from: '2', to: '3', when: null },
  ],
};
const MADE_UP = { ...GOOD, nodes: [GOOD.nodes[0], { id: '2', action: 'text.summarise', data: null }, GOOD.nodes[2]] };
const WRONG_TYPES = { ...GOOD, nodes: [GOOD.nodes[0], { id: '2', action: 'text.summarize', data: { sentences: 'three' } }, GOOD.nodes[2]] };
const CYCLE = { ...GOOD, edges: [...GOOD.edges, { from: '3', to: '1', when: null }] };

async function setup(script: Step[]): Promise<{ dir: string; model: ModelPlannerOptions }> {
  const project = await tempProject();
  cleanups.push(project.cleanup);
  server = await startFakeOpenAI(script);
  const model: ModelPlannerOptions = {
    client: createModelClient(localModel(server.baseURL)),
    memory: ResponseFormatMemory.forProject(project.dir),
  };
  return { dir: project.dir, model };
}

const exists = (file: string) => access(file).then(() => true, () => false);
const lastUserMessage = (index: number) => server?.requests[index]?.body.messages?.at(-1)?.content ?? '';

describe('planWorkflow with a model', () => {
  it('accepts a valid answer at once: strict JSON schema, catalog in the prompt, nulls mapped back', async () => {
    const { model } = await setup([{ content: GOOD, usage: { prompt_tokens: 900, completion_tokens: 80 } }]);
    const result = await planWorkflow(TASK, { registry, model, name: 'news' });
    expect(result).toMatchObject({ planner: 'model', repairs: 0, mode: 'json_schema', schemaVariant: 'full', usage: { promptTokens: 900, completionTokens: 80 } });
    expect(result.workflow.name).toBe('news');
    expect(result.workflow.description).toBe(TASK);
    expect(result.workflow.nodes.get('1')).toEqual({ action: 'web.fetch', data: { url: 'https://example.com/news' } });

    const sent = server!.requests[0]!.body;
    expect(sent.response_format?.type).toBe('json_schema');
    expect(sent.response_format?.json_schema?.strict).toBe(true);
    expect(sent.messages?.[0]?.role).toBe('system');
    for (const name of registry.names()) expect(sent.messages?.[0]?.content).toContain(name);
    expect(sent.messages?.[1]).toEqual({ role: 'user', content: TASK });
  });

  it('an invalid answer then a repaired one: the follow-up lists the problem with code and path', async () => {
    const { model } = await setup([{ content: MADE_UP }, { content: GOOD }]);
    const result = await planWorkflow(TASK, { registry, model });
    expect(result.repairs).toBe(1);
    expect(result.usage.promptTokens).toBe(200);
    const repair = server!.requests[1]!.body.messages!;
    expect(repair).toHaveLength(4);
    expect(repair[2]?.role).toBe('assistant');
    expect(repair[3]?.role).toBe('user');
    expect(lastUserMessage(1)).toContain('[ACTION_UNKNOWN] nodes.2.action');
    expect(lastUserMessage(1)).toContain('text.summarize');
  });

  it('wrong data types are sent back as NODE_DATA_INVALID at the field', async () => {
    const { model } = await setup([{ content: WRONG_TYPES }, { content: GOOD }]);
    await planWorkflow(TASK, { registry, model });
    expect(lastUserMessage(1)).toMatch(/\[NODE_DATA_INVALID\] nodes\.2\.data\.sentences/u);
  });

  it('a cycle is sent back as GRAPH_CYCLE', async () => {
    const { model } = await setup([{ content: CYCLE }, { content: GOOD }]);
    await planWorkflow(TASK, { registry, model });
    expect(lastUserMessage(1)).toContain('[GRAPH_CYCLE]');
  });

  it('an answer that is not JSON is sent back too', async () => {
    const { model } = await setup([{ content: 'I would fetch the page first.' }, { content: GOOD }]);
    const result = await planWorkflow(TASK, { registry, model });
    expect(result.repairs).toBe(1);
    expect(lastUserMessage(1)).toContain('[PLANNER_ANSWER_NOT_JSON]');
  });

  it('the training example holds the final graph in the answer form', async () => {
    const { model } = await setup([{ content: MADE_UP }, { content: GOOD }]);
    const { example } = await planWorkflow(TASK, { registry, model });
    expect(example.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(example.messages[1]?.content).toBe(TASK);
    expect(JSON.parse(example.messages[2]?.content ?? '')).toEqual({
      nodes: [
        { id: '1', action: 'web.fetch', data: { url: 'https://example.com/news' } },
        { id: '2', action: 'text.summarize', data: { sentences: 3 } },
        { id: '3', action: 'output.file', data: { path: 'out/news.md' } },
      ],
      edges: [
        { from: '1', to: '2', when: null },
        { from: '2', to: '3', when: null },
      ],
    });
  });
});

describe('large catalogs and untrusted ids', () => {
  it('200 actions: the compact schema (not strict), data checked by the validator and repaired', async () => {
    const big = generatedRegistry(200);
    const wrongData = { nodes: [{ id: '1', action: 'gen.action_007', data: { target: 5 } }], edges: [] };
    const fixed = { nodes: [{ id: '1', action: 'gen.action_007', data: { target: 'the thing', count: null, mode: 'fast' } }], edges: [] };
    const { model } = await setup([{ content: wrongData }, { content: fixed }]);
    const result = await planWorkflow('do thing 7 to the thing, fast', { registry: big, model });
    expect(result.schemaVariant).toBe('compact');
    expect(result.workflow.nodes.get('1')).toEqual({ action: 'gen.action_007', data: { target: 'the thing', mode: 'fast' } });
    const format = server!.requests[0]!.body.response_format!;
    expect(format.json_schema?.strict).toBe(false);
    const actionEnum = (format.json_schema?.schema as { properties: { nodes: { items: { properties: { action: { enum: string[] } } } } } })
      .properties.nodes.items.properties.action.enum;
    expect(actionEnum).toHaveLength(200);
    expect(lastUserMessage(1)).toContain('[NODE_DATA_INVALID] nodes.1.data.target');
  });

  it('node ids and data keys like __proto__ stay ordinary data', async () => {
    const answer = {
      nodes: [
        { id: '__proto__', action: 'input.text', data: 'hi' },
        { id: 'constructor', action: 'http.post', data: { url: 'https://h.example/x', headers: '{"__proto__": "x"}' } },
      ],
      edges: [{ from: '__proto__', to: 'constructor', when: null }],
    };
    const { model } = await setup([{ content: JSON.stringify(answer) }]);
    const result = await planWorkflow('post hi', { registry, model });
    expect([...result.workflow.nodes.keys()]).toEqual(['__proto__', 'constructor']);
    const headers = (result.workflow.nodes.get('constructor')?.data as { headers: Record<string, unknown> }).headers;
    expect(Object.getOwnPropertyNames(headers)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('generateWorkflowFile', () => {
  it('writes a valid workflow to the target and logs the example', async () => {
    const { dir, model } = await setup([{ content: GOOD }]);
    const result = await generateWorkflowFile({ task: TASK, registry, projectDir: dir, output: 'graphs/news.json', model });
    expect(result.written).toBe(path.join(dir, 'graphs/news.json'));
    const written = parseWorkflow(await readFile(path.join(dir, 'graphs/news.json'), 'utf8'));
    expect(written.name).toBe('news');
    expect(written.description).toBe(TASK);
    expect([...written.nodes.keys()]).toEqual(['1', '2', '3']);
    const lines = (await readFile(path.join(dir, EXAMPLES_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '').messages).toHaveLength(3);
  });

  it('invalid three times: PLANNER_INVALID_GRAPH listing what is wrong, the last attempt beside the target, no target', async () => {
    const { dir, model } = await setup([{ content: MADE_UP }, { content: CYCLE }, { content: WRONG_TYPES }]);
    const error = await generateWorkflowFile({ task: TASK, registry, projectDir: dir, output: 'graphs/news.json', model }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlannerError);
    expect((error as PlannerError).code).toBe('PLANNER_INVALID_GRAPH');
    expect((error as PlannerError).exitCode).toBe(1);
    expect((error as PlannerError).problems.map((p) => p.code)).toContain('NODE_DATA_INVALID');
    expect((error as PlannerError).message).toContain('graphs/news.rejected.json');
    expect(server!.requests).toHaveLength(3);
    expect(await exists(path.join(dir, 'graphs/news.json'))).toBe(false);
    expect(await exists(path.join(dir, EXAMPLES_FILE))).toBe(false);
    const rejected = parseWorkflow(await readFile(path.join(dir, 'graphs/news.rejected.json'), 'utf8'));
    expect(rejected.nodes.get('2')?.data).toEqual({ sentences: 'three' });
  });

  it('refuses to replace an existing file unless forced, before asking the model', async () => {
    const { dir, model } = await setup([{ content: GOOD }]);
    await generateWorkflowFile({ task: TASK, registry, projectDir: dir, output: 'news.json', model: undefined });
    const error = await generateWorkflowFile({ task: TASK, registry, projectDir: dir, output: 'news.json', model }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('OUTPUT_EXISTS');
    expect(server!.requests).toHaveLength(0);
    const forced = await generateWorkflowFile({ task: TASK, registry, projectDir: dir, output: 'news.json', model, force: true });
    expect(forced.planner).toBe('model');
  });

  it('without a model: the offline planner, and its graph validates', async () => {
    const project = await tempProject();
    cleanups.push(project.cleanup);
    const result = await generateWorkflowFile({ task: TASK, registry, projectDir: project.dir, output: 'g.json' });
    expect(result.planner).toBe('offline');
    expect([...result.workflow.nodes.values()].map((n) => n.action)).toEqual(['web.fetch', 'text.summarize', 'output.file']);
    expect(result.workflow.nodes.get('3')?.data).toEqual({ path: 'out/news.md' });
  });
});
