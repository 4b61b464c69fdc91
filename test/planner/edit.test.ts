// Edit with a model over real HTTP: the model answers with patch operations against the current graph; problems
// are repaired; the write keeps the previous version, and undo walks back through the history.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlannerError, UsageError } from '../../src/errors.js';
import { loadWorkflowFile } from '../../src/graph/file.js';
import { createModelClient } from '../../src/planner/client.js';
import { commitEdit, planEdit } from '../../src/planner/edit.js';
import { EXAMPLES_FILE } from '../../src/planner/examples-log.js';
import { ResponseFormatMemory } from '../../src/planner/format-memory.js';
import { FileHistory } from '../../src/planner/history.js';
import type { ModelPlannerOptions } from '../../src/planner/repair-loop.js';
import { type FakeOpenAI, type Step, startFakeOpenAI } from './helpers/fake-openai.js';
import { localModel, tempProject, testRegistry } from './helpers/fixtures.js';

let server: FakeOpenAI | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const registry = testRegistry();
const ORIGINAL = `{
  // a comment the history keeps
  "name": "news",
  "nodes": {
    "1": { "action": "web.fetch", "data": { "url": "https://example.com/" } },
    "2": { "action": "text.summarize" },
    "3": { "action": "output.file", "data": { "path": "out/a.md" } },
  },
  "edges": [
    { "from": "1", "to": "2" },
    { "from": "2", "to": "3" },
  ],
}
`;

const INSERT_REVIEW = {
  ops: [
    { op: 'addNode', id: '4', node: { action: 'confirm.edit', data: null } },
    { op: 'removeEdge', from: '2', to: '3' },
    { op: 'addEdge', from: '2', to: '4', when: null },
    { op: 'addEdge', from: '4', to: '3', when: { path: 'approved', op: 'equals', value: true } },
  ],
};

async function setup(script: Step[]): Promise<{ dir: string; file: string; model: ModelPlannerOptions }> {
  const project = await tempProject();
  cleanups.push(project.cleanup);
  const file = path.join(project.dir, 'news.json');
  await writeFile(file, ORIGINAL);
  server = await startFakeOpenAI(script);
  return {
    dir: project.dir,
    file,
    model: { client: createModelClient(localModel(server.baseURL)), memory: new ResponseFormatMemory() },
  };
}

describe('planEdit with a model', () => {
  it('applies the answered patch: diff, new graph, the current graph and instruction in the request', async () => {
    const { file, model } = await setup([{ content: INSERT_REVIEW }]);
    const { workflow } = await loadWorkflowFile(file);
    const plan = await planEdit(workflow, 'let me review the summary before it is saved', { registry, model });
    expect(plan.ops).toHaveLength(4);
    expect(plan.diff).toContain('+ node "4" confirm.edit');
    expect(plan.diff).toContain('- edge 2 -> 3');
    expect(plan.workflow.edges.find((e) => e.from === '4')?.when).toEqual({ path: 'approved', equals: true });
    expect(workflow.nodes.has('4')).toBe(false);

    const sent = server!.requests[0]!.body;
    expect(sent.response_format?.json_schema?.name).toBe('actiongraph_patch');
    expect(sent.messages?.[1]?.content).toContain('"web.fetch"');
    expect(sent.messages?.[1]?.content).toContain('Instruction: let me review the summary before it is saved');
  });

  it('repairs a patch that names a missing node', async () => {
    const bad = { ops: [{ op: 'removeEdge', from: '2', to: '9' }] };
    const { file, model } = await setup([{ content: bad }, { content: INSERT_REVIEW }]);
    const { workflow } = await loadWorkflowFile(file);
    const plan = await planEdit(workflow, 'add a review', { registry, model });
    expect(plan.repairs).toBe(1);
    expect(server!.requests[1]!.body.messages!.at(-1)?.content).toMatch(/\[PATCH_EDGE_MISSING\] ops\[0\]/u);
  });

  it('gives up with PLANNER_INVALID_PATCH after two repairs', async () => {
    const empty = { ops: [] };
    const { file, model } = await setup([{ content: empty }, { content: empty }, { content: empty }]);
    const { workflow } = await loadWorkflowFile(file);
    const error = await planEdit(workflow, 'do something', { registry, model }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlannerError);
    expect((error as PlannerError).code).toBe('PLANNER_INVALID_PATCH');
    expect((error as PlannerError).problems[0]?.code).toBe('PLANNER_EMPTY_PATCH');
  });
});

describe('commitEdit and undo', () => {
  it('writes atomically, keeps the exact previous text, logs the example; undo restores step by step', async () => {
    const { dir, file, model } = await setup([{ content: INSERT_REVIEW }, { content: { ops: [{ op: 'removeNode', id: '4' }, { op: 'addEdge', from: '2', to: '3', when: null }] } }]);
    const first = await loadWorkflowFile(file);
    await commitEdit(file, first.text, await planEdit(first.workflow, 'add a review', { registry, model }), { projectDir: dir });
    const second = await loadWorkflowFile(file);
    expect(second.workflow.nodes.has('4')).toBe(true);
    await commitEdit(file, second.text, await planEdit(second.workflow, 'remove the review', { registry, model }), { projectDir: dir });
    expect((await loadWorkflowFile(file)).workflow.nodes.has('4')).toBe(false);

    const examples = (await readFile(path.join(dir, EXAMPLES_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { messages: { content: string }[] });
    expect(examples).toHaveLength(2);
    expect(JSON.parse(examples[0]!.messages[2]!.content)).toEqual({
      ops: [
        { op: 'addNode', id: '4', node: { action: 'confirm.edit', data: null } },
        { op: 'removeEdge', from: '2', to: '3' },
        { op: 'addEdge', from: '2', to: '4', when: null },
        { op: 'addEdge', from: '4', to: '3', when: { path: 'approved', op: 'equals', value: true } },
      ],
    });

    const history = new FileHistory(dir);
    expect(await history.undo(file)).toMatchObject({ remaining: 1 });
    expect(await readFile(file, 'utf8')).toBe(second.text);
    expect(await history.undo(file)).toMatchObject({ remaining: 0 });
    expect(await readFile(file, 'utf8')).toBe(ORIGINAL);
    const error = await history.undo(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('UNDO_NOTHING');
    expect(await readFile(file, 'utf8')).toBe(ORIGINAL);
  });

  it('keeps a separate history per file', async () => {
    const { dir } = await setup([]);
    const history = new FileHistory(dir);
    await history.push(path.join(dir, 'a.json'), 'A1');
    await history.push(path.join(dir, 'b.json'), 'B1');
    await history.push(path.join(dir, 'a.json'), 'A2');
    expect((await history.list(path.join(dir, 'a.json'))).map((e) => e.seq)).toEqual([1, 2]);
    expect(history.dirFor(path.join(dir, 'a.json'))).not.toBe(history.dirFor(path.join(dir, 'b.json')));
    expect(history.dirFor('a.json')).toBe(history.dirFor(path.join(dir, 'a.json')));
  });
});
