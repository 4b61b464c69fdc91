// The validate, show and schema commands, run in-process through main() with collected output, in temp project
// folders (built-in actions only: no actions/ folder, no config).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../src/graph/parse.js';
import { runInProcess } from '../helpers/cli.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-cli-graph-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const good = `{
  "name": "note",
  "nodes": {
    "1": { "action": "input.text", "data": "Water the plants" },
    "2": { "action": "confirm.edit", "label": "review" },
    "3": { "action": "output.file", "data": { "path": "out/note.md" } },
    "4": { "action": "output.console", "data": "rejected" },
  },
  "edges": [
    { "from": "1", "to": "2" },
    { "from": "2", "to": "3", "when": { "path": "approved", "equals": true } },
    { "from": "2", "to": "4", "when": { "not": { "path": "approved", "equals": true } } },
  ],
}
`;

const bad = `{
  "nodes": {
    "1": { "action": "input.text" },
    "2": { "action": "confirm.edti" },
    "3": { "action": "output.file", "data": { "path": "/etc/passwd" } }
  },
  "edges": [
    { "from": "1", "to": "2" },
    { "from": "2", "to": "3" },
    { "from": "3", "to": "2" }
  ]
}
`;

async function write(name: string, text: string): Promise<string> {
  await writeFile(path.join(dir, name), text);
  return name;
}

const run = (args: string[]) => runInProcess(args, { cwd: dir });

describe('actiongraph validate', () => {
  it('exits 0 and says ok for valid files', async () => {
    await write('good.json', good);
    const result = await run(['validate', 'good.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('good.json: ok (4 nodes, 3 edges)\n');
    expect(result.stderr).toBe('');
  });

  it('exits 2 and prints every problem as file:line:column: message', async () => {
    await write('bad.json', bad);
    const result = await run(['validate', 'bad.json']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('bad.json:4:12: node "2": unknown action "confirm.edti" (did you mean "confirm.edit"?)');
    expect(lines.some((line) => /^bad\.json:5:\d+: node "3": data\.path: /u.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('bad.json:10:5: edges[2] (3 -> 2): closes a cycle'))).toBe(true);
    expect(result.stdout).toBe('');
  });

  it('prints {file, valid, problems} per file with --json, and keeps going past missing and broken files', async () => {
    await write('good.json', good);
    await write('bad.json', bad);
    await write('syntax.json', '{"nodes": {\n  "1": {}\n  "2": {}}}');
    const result = await run(['validate', '--json', 'good.json', 'bad.json', 'missing.json', 'syntax.json']);
    expect(result.code).toBe(2);
    const reports = JSON.parse(result.stdout) as { file: string; valid: boolean; problems: { code: string; path: unknown[]; line?: number; column?: number }[] }[];
    expect(reports.map((r) => [r.file, r.valid])).toEqual([
      ['good.json', true],
      ['bad.json', false],
      ['missing.json', false],
      ['syntax.json', false],
    ]);
    expect(reports[0]?.problems).toEqual([]);
    expect(reports[1]?.problems.map((p) => p.code)).toEqual(['ACTION_UNKNOWN', 'NODE_DATA_INVALID', 'GRAPH_CYCLE']);
    expect(reports[1]?.problems[0]).toMatchObject({ path: ['nodes', '2', 'action'], line: 4, column: 12, severity: 'error' });
    expect(reports[2]?.problems.map((p) => p.code)).toEqual(['FILE_NOT_FOUND']);
    expect(reports[3]?.problems).toMatchObject([{ code: 'PARSE_SYNTAX', line: 3, column: 3 }]);
  });

  it('prints warnings but exits 0 when there are no errors', async () => {
    await write('warn.json', '{"nodes": {"a": {"action": "output.console"}, "b": {"action": "output.console"}}, "edges": []}');
    const result = await run(['validate', 'warn.json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warn.json:1:12: warning: node "a": has no edges');
    expect(result.stdout).toBe('warn.json: ok (2 nodes, 0 edges, 2 warnings)\n');
  });

  it('validates the seed graph shape without a catalog problem for its built-in node', async () => {
    const seed = await readFile(path.resolve('graphs/weather-tweet.json'), 'utf8');
    await write('seed.json', seed);
    const result = await run(['validate', '--json', 'seed.json']);
    const [report] = JSON.parse(result.stdout) as { problems: { code: string; path: unknown[] }[] }[];
    // Built-ins know input.text and confirm.edit; the seed's other two actions are plugins of the project.
    expect(report?.problems.every((p) => p.code === 'ACTION_UNKNOWN')).toBe(true);
    expect(report?.problems.map((p) => p.path[1])).toEqual(['2', '4']);
  });
});

describe('actiongraph show', () => {
  it('draws ASCII by default', async () => {
    await write('good.json', good);
    const result = await run(['show', 'good.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('== note ==');
    expect(result.stdout).toContain('[2] confirm.edit  "review"');
    expect(result.stdout).toContain('|-> [3]  when approved == true');
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('prints Mermaid, DOT and normalised JSON', async () => {
    await write('good.json', good);
    const mermaid = await run(['show', 'good.json', '--format', 'mermaid']);
    expect(mermaid.stdout.startsWith('flowchart TD\n')).toBe(true);
    const dot = await run(['show', 'good.json', '-f', 'dot']);
    expect(dot.stdout.startsWith('digraph workflow {')).toBe(true);
    const json = await run(['show', 'good.json', '--format', 'json']);
    expect(parseWorkflow(json.stdout)).toEqual(parseWorkflow(good));
    expect([mermaid.code, dot.code, json.code]).toEqual([0, 0, 0]);
  });

  it('honours --width and refuses bad options', async () => {
    await write('good.json', good);
    const narrow = await run(['show', 'good.json', '--width', '40']);
    for (const line of narrow.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect((await run(['show', 'good.json', '--format', 'png'])).code).toBe(2);
    const width = await run(['show', 'good.json', '--width', 'wide']);
    expect(width.code).toBe(2);
    expect(width.stderr).toContain('--width wide');
  });

  it('still draws an invalid graph, printing its problems and exiting 2', async () => {
    await write('bad.json', bad);
    const result = await run(['show', 'bad.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.json:10:5: edges[2] (3 -> 2): closes a cycle');
    expect(result.stdout).toContain('on or after a cycle');
  });

  it('reports syntax errors and missing files on one line each', async () => {
    await write('syntax.json', '{\n  "nodes": {,}\n}');
    const syntax = await run(['show', 'syntax.json']);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toBe("actiongraph: syntax.json:2:13: unexpected ',': expected a key (a string or an identifier)\n");
    const missing = await run(['show', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such workflow file');
  });
});

describe('actiongraph schema', () => {
  it("prints the JSON Schema with the project's action names", async () => {
    const result = await run(['schema']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const actionEnum: string[] = schema.properties.nodes.additionalProperties.properties.action.enum;
    expect(actionEnum).toContain('input.text');
    expect(actionEnum).toContain('output.file');
  });

  it('--plain leaves the actions out; -o writes the file atomically', async () => {
    const plain = JSON.parse((await run(['schema', '--plain'])).stdout);
    expect(plain.properties.nodes.additionalProperties.properties.action.enum).toBeUndefined();
    const result = await run(['schema', '-o', 'actiongraph.schema.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('wrote actiongraph.schema.json\n');
    const written = JSON.parse(await readFile(path.join(dir, 'actiongraph.schema.json'), 'utf8'));
    expect(written.title).toBe('actiongraph workflow');
    expect(await readdir(dir)).toEqual(['actiongraph.schema.json']);
    const failed = await run(['schema', '-o', 'no/such/dir/s.json']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('cannot write');
  });
});
