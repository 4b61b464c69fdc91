// generate, edit and undo through the CLI in-process (main with a fake CliIO), in real temp folders, against a
// scripted model server on 127.0.0.1.
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { parseWorkflow } from '../../../src/graph/parse.js';
import { runInProcess } from '../../helpers/cli.js';
import { type FakeOpenAI, type Step, startFakeOpenAI } from '../helpers/fake-openai.js';
import { tempProject } from '../helpers/fixtures.js';

let server: FakeOpenAI | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function project(): Promise<string> {
  const { dir, cleanup } = await tempProject();
  cleanups.push(cleanup);
  return dir;
}

async function model(script: Step[]): Promise<string[]> {
  server = await startFakeOpenAI(script);
  return ['--model', 'test-model', '--base-url', server.baseURL];
}

const exists = (file: string) => access(file).then(() => true, () => false);

const GOOD = {
  nodes: [
    { id: '1', action: 'input.text', data: 'Post a haiku about rain' },
    { id: '2', action: 'llm.complete', data: 'Write a haiku about the text' },
    { id: '3', action: 'output.console', data: null },
  ],
  edges: [
    { from: '1', to: '2', when: null },
    { from: '2', to: '3', when: null },
  ],
};
const UNKNOWN = { ...GOOD, nodes: [GOOD.nodes[0], { id: '2', action: 'llm.compleet', data: null }, GOOD.nodes[2]] };

const GRAPH = `{
  "name": "hello",
  "nodes": {
    "1": { "action": "input.text", "data": "hello" },
    "2": { "action": "output.console" }
  },
  "edges": [{ "from": "1", "to": "2" }]
}
`;

describe('actiongraph generate', () => {
  it('offline: says so on stderr, prints the ASCII render and the JSON', async () => {
    const cwd = await project();
    const result = await runInProcess(['generate', 'Fetch https://example.com/feed.json and then print it'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('offline planner');
    expect(result.stderr).toMatch(/planned 2 nodes, 1 edge offline in \d+ms/u);
    const json = result.stdout.slice(result.stdout.indexOf('{\n'));
    const workflow = parseWorkflow(json);
    expect([...workflow.nodes.values()].map((n) => n.action)).toEqual(['http.request', 'output.console']);
    expect(result.stdout).toContain('[1] http.request');
  });

  it('with a model and -o: writes the file and prints a summary with tokens, repairs and time', async () => {
    const cwd = await project();
    const flags = await model([{ content: UNKNOWN, usage: { prompt_tokens: 1000, completion_tokens: 50 } }, { content: GOOD, usage: { prompt_tokens: 1100, completion_tokens: 60 } }]);
    const result = await runInProcess(['generate', 'Post a haiku about rain', '-o', 'graphs/haiku.json', ...flags], { cwd, env: {} });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote graphs/haiku.json (3 nodes, 2 edges)');
    expect(result.stderr).toContain('asking for repair 1');
    expect(result.stderr).toMatch(/with model "test-model" \(json_schema, full schema\) in [\d.]+m?s: 2100 prompt \+ 110 completion tokens, 1 repair/u);
    const written = parseWorkflow(await readFile(path.join(cwd, 'graphs/haiku.json'), 'utf8'));
    expect(written.nodes.get('2')?.action).toBe('llm.complete');
    expect(await exists(path.join(cwd, '.actiongraph/examples.jsonl'))).toBe(true);
  });

  it('invalid after two repairs: exit 1, each problem on its own line, the rejected attempt saved, no target', async () => {
    const cwd = await project();
    const flags = await model([{ content: UNKNOWN }, { content: UNKNOWN }, { content: UNKNOWN }]);
    const result = await runInProcess(['generate', 'Post a haiku about rain', '-o', 'haiku.json', ...flags], { cwd, env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown action "llm.compleet".*\[ACTION_UNKNOWN at nodes\.2\.action\]/u);
    expect(result.stderr).toContain('the last attempt is in haiku.rejected.json');
    expect(await exists(path.join(cwd, 'haiku.json'))).toBe(false);
    expect(await exists(path.join(cwd, 'haiku.rejected.json'))).toBe(true);
  });

  it('refuses to overwrite without --force or --yes (exit 2), replaces with --yes', async () => {
    const cwd = await project();
    await writeFile(path.join(cwd, 'g.json'), GRAPH);
    const flags = await model([{ content: GOOD }]);
    const refused = await runInProcess(['generate', 'a task', '-o', 'g.json', ...flags], { cwd, env: {} });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('g.json: the file exists');
    expect(server!.requests).toHaveLength(0);
    const replaced = await runInProcess(['generate', 'a task', '-o', 'g.json', '--yes', ...flags], { cwd, env: {} });
    expect(replaced.code).toBe(0);
    // The replaced file can be brought back.
    expect((await runInProcess(['undo', 'g.json'], { cwd })).code).toBe(0);
    expect(await readFile(path.join(cwd, 'g.json'), 'utf8')).toBe(GRAPH);
  });

  it('an endpoint error is one line naming endpoint and model, exit 1, and the key is not shown', async () => {
    const cwd = await project();
    const flags = await model([{ status: 401, message: 'Incorrect API key provided: sk-abcdef123456' }]);
    const result = await runInProcess(['generate', 'a task', ...flags], { cwd, env: { OPENAI_API_KEY: 'sk-abcdef123456' } });
    expect(result.code).toBe(1);
    const line = result.stderr.trim().split('\n').at(-1) ?? '';
    expect(line).toContain(server!.baseURL);
    expect(line).toContain('"test-model"');
    expect(line).toContain('401');
    expect(result.stderr).not.toContain('sk-abcdef123456');
  });
});

describe('actiongraph edit and undo', () => {
  const ADD_PRINT = { ops: [{ op: 'addNode', id: '3', node: { action: 'output.console', data: 'done' } }, { op: 'addEdge', from: '2', to: '3', when: null }] };

  it('without --yes on a non-terminal: shows the diff, changes nothing, exit 2', async () => {
    const cwd = await project();
    await writeFile(path.join(cwd, 'g.json'), GRAPH);
    const flags = await model([{ content: ADD_PRINT }]);
    const result = await runInProcess(['edit', 'g.json', 'print done at the end', ...flags], { cwd, env: {} });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('+ node "3" output.console');
    expect(result.stdout).toContain('+ edge 2 -> 3');
    expect(result.stderr).toContain('pass --yes');
    expect(await readFile(path.join(cwd, 'g.json'), 'utf8')).toBe(GRAPH);
  });

  it('with --yes: writes; undo restores; a second undo has nothing left (exit 2)', async () => {
    const cwd = await project();
    await writeFile(path.join(cwd, 'g.json'), GRAPH);
    const flags = await model([{ content: ADD_PRINT }]);
    const edited = await runInProcess(['edit', 'g.json', 'print done at the end', '--yes', ...flags], { cwd, env: {} });
    expect(edited.code).toBe(0);
    expect(edited.stdout).toContain('wrote g.json');
    expect(parseWorkflow(await readFile(path.join(cwd, 'g.json'), 'utf8')).nodes.get('3')).toEqual({ action: 'output.console', data: 'done' });

    const undone = await runInProcess(['undo', 'g.json'], { cwd });
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain('restored g.json (0 earlier versions left)');
    expect(await readFile(path.join(cwd, 'g.json'), 'utf8')).toBe(GRAPH);
    const nothing = await runInProcess(['undo', 'g.json'], { cwd });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('g.json: nothing to undo');
  });

  it('on a terminal: asks, and writes on "y"', async () => {
    const cwd = await project();
    await writeFile(path.join(cwd, 'g.json'), GRAPH);
    const flags = await model([{ content: ADD_PRINT }]);
    const { io, stdout, stderr } = terminalIO(cwd, 'y\n');
    const code = await main(['node', 'actiongraph', 'edit', 'g.json', 'print done at the end', ...flags], io);
    expect(code).toBe(0);
    expect(stderr()).toContain('Write these changes to g.json? [y/N]');
    expect(stdout()).toContain('wrote g.json');
    expect(parseWorkflow(await readFile(path.join(cwd, 'g.json'), 'utf8')).nodes.has('3')).toBe(true);
  });

  it('on a terminal: anything but "y" leaves the file alone', async () => {
    const cwd = await project();
    await writeFile(path.join(cwd, 'g.json'), GRAPH);
    const flags = await model([{ content: ADD_PRINT }]);
    const { io, stderr } = terminalIO(cwd, '\n');
    const code = await main(['node', 'actiongraph', 'edit', 'g.json', 'print done at the end', ...flags], io);
    expect(code).toBe(0);
    expect(stderr()).toContain('g.json not changed');
    expect(await readFile(path.join(cwd, 'g.json'), 'utf8')).toBe(GRAPH);
  });

  it('offline: simple edits work; others say a model is needed (exit 2)', async () => {
    const cwd = await project();
    await writeFile(path.join(cwd, 'g.json'), GRAPH);
    const added = await runInProcess(['edit', 'g.json', 'add a step that saves it to out/hello.txt after node 1', '--yes'], { cwd });
    expect(added.code).toBe(0);
    const workflow = parseWorkflow(await readFile(path.join(cwd, 'g.json'), 'utf8'));
    expect(workflow.nodes.get('3')).toEqual({ action: 'output.file', data: { path: 'out/hello.txt' } });
    expect(workflow.edges).toEqual([
      { from: '1', to: '3' },
      { from: '3', to: '2' },
    ]);
    const vague = await runInProcess(['edit', 'g.json', 'make it better', '--yes'], { cwd });
    expect(vague.code).toBe(2);
    expect(vague.stderr).toContain('configure a model');
  });

  it('a missing file is a clear error', async () => {
    const cwd = await project();
    const result = await runInProcess(['edit', 'nope.json', 'remove node 1', '--yes'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.json');
  });
});

function terminalIO(cwd: string, answer: string): { io: CliIO; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: true });
  const stderr = Object.assign(new PassThrough(), { isTTY: true });
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  // Answer once the question is on the screen, as a person would.
  stderr.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('[y/N]')) stdin.write(answer);
  });
  const io: CliIO = { stdout, stderr, stdin, cwd, env: {}, exitCode: 0, debug: false };
  return { io, stdout: () => out, stderr: () => err };
}
