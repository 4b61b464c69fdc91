// The built CLI as a user meets it: a real process, real files, exit codes and the first line of stderr.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runSubprocess } from '../helpers/cli.js';

let project: string;

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-cli-'));
  await cp(path.join(repoRoot, 'graphs'), path.join(project, 'graphs'), { recursive: true });
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const firstLine = (text: string): string => text.split('\n')[0] ?? '';

describe('actiongraph as a subprocess', () => {
  it('prints help that lists every command, exit 0', async () => {
    const result = await runSubprocess(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['validate', 'show', 'schema', 'run', 'resume', 'runs', 'actions', 'new', 'generate', 'edit', 'undo']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it('rejects an unknown command with exit 2 and a suggestion', async () => {
    const result = await runSubprocess(['valdate', 'x.json']);
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toContain("unknown command 'valdate'");
    expect(result.stderr).toContain('validate');
  });

  it('validates the example workflows in graphs/ with the project plugins, exit 0', async () => {
    const result = await runSubprocess(['validate', 'graphs/weather-tweet.json', 'graphs/approval.json', 'graphs/tool-picker.json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('reports a syntax error as file:line:column, exit 2, no stack trace', async () => {
    const file = path.join(project, 'broken.json');
    await writeFile(file, '{\n  "nodes": {\n    "1": { "action": "input.text" ]\n  }\n}\n');
    const result = await runSubprocess(['validate', 'broken.json'], { cwd: project });
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toMatch(/^broken\.json:3:\d+: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports an unknown action with where it is and a suggestion, exit 2', async () => {
    const file = path.join(project, 'typo.json');
    await writeFile(
      file,
      JSON.stringify({ nodes: { a: { action: 'input.text', data: 'hi' }, b: { action: 'output.consol' } }, edges: [{ from: 'a', to: 'b' }] }, null, 2),
    );
    const result = await runSubprocess(['validate', 'typo.json'], { cwd: project });
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toMatch(/^typo\.json:\d+:\d+: node "b": .*"output\.consol".*"output\.console"/);
  });

  it('says so when a file does not exist, exit 2', async () => {
    const result = await runSubprocess(['show', 'nope.json'], { cwd: project });
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toContain('nope.json');
  });

  it('shows a workflow as Mermaid', async () => {
    const result = await runSubprocess(['show', 'graphs/approval.json', '--format', 'mermaid'], { cwd: project });
    expect(result.code).toBe(0);
    expect(firstLine(result.stdout)).toBe('flowchart TD');
  });

  it('runs the approval workflow to the end with --yes and writes the note, exit 0', async () => {
    const result = await runSubprocess(['run', 'graphs/approval.json', '--yes'], { cwd: project });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(await readFile(path.join(project, 'out/note.md'), 'utf8')).toContain('Water the plants on Friday');
  });

  it('stops a run that needs an answer with exit 2 and says how to resume; resume finishes it', async () => {
    const waiting = await runSubprocess(['run', 'graphs/approval.json', '--json'], { cwd: project });
    expect(waiting.code).toBe(2);
    expect(waiting.stderr).toMatch(/node "1"/);
    const runId = /resume (\S+) --answer/.exec(waiting.stderr)?.[1];
    expect(runId).toBeDefined();
    const resumed = await runSubprocess(['resume', runId!, '--answer', '1=Buy milk', '--yes'], { cwd: project });
    expect(resumed.code).toBe(0);
    expect(await readFile(path.join(project, 'out/note.md'), 'utf8')).toContain('Buy milk');
  });

  it('prints the JSON Schema of the file format', async () => {
    const result = await runSubprocess(['schema'], { cwd: project });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { properties?: Record<string, unknown> };
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['nodes', 'edges']));
  });
});
