// The run, resume and runs commands end to end: in process with the built-in actions, and as a real process for
// Ctrl-C.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import { runDir } from '../../src/engine/index.js';
import { repoRoot, runInProcess } from '../helpers/cli.js';
import { removeDir, tempDir } from './helpers.js';

let project: string;
beforeEach(() => {
  project = tempDir('actiongraph-cli-');
});
afterEach(() => {
  removeDir(project);
});

function write(file: string, content: unknown): string {
  const full = path.join(project, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

const note = {
  name: 'note',
  nodes: {
    '1': { action: 'input.text', data: { prompt: 'Topic?' } },
    '2': { action: 'data.template', data: 'Note: {{input.text}}' },
    '3': { action: 'confirm.edit', data: { prompt: 'Keep it?' } },
    '4': { action: 'output.console' },
  },
  edges: [
    { from: '1', to: '2' },
    { from: '2', to: '3' },
    { from: '3', to: '4' },
  ],
};

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runInProcess(args, { cwd: project, env });

describe('actiongraph run', () => {
  it('runs a workflow with answers: progress lines, printed output, exit 0', async () => {
    write('graphs/note.json', note);
    const result = await cli(['run', 'graphs/note.json', '--answer', '1=milk', '--answer', '3=Note: oat milk']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ 1 input\.text \d+ms$/mu);
    expect(result.stdout).toMatch(/^✓ 4 output\.console \d+ms$/mu);
    expect(result.stdout).toContain('Note: oat milk\n');
    expect(result.stderr).toMatch(/run \S+ succeeded in [\d.]+s: 4 succeeded/u);
    // The final result comes last, one line per node without successors.
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('= 4 {"text":"Note: oat milk"}');
  });

  it('asks before a write action runs: waits without an answer, --answer <id>=yes approves, config "none" trusts', async () => {
    write('graphs/save.json', {
      nodes: { a: { action: 'input.text', data: 'hello' }, b: { action: 'output.file', data: { path: 'out/x.txt' } } },
      edges: [{ from: 'a', to: 'b' }],
    });
    const waiting = await cli(['run', 'graphs/save.json']);
    expect(waiting.code).toBe(2);
    expect(waiting.stderr).toContain('node "b" is waiting for input (confirm): Run node "b" (output.file, writes) with data {"path":"out/x.txt"} and input {"text":"hello"}?');
    expect(waiting.stderr).toMatch(/answer with: actiongraph resume \S+ --answer b=yes$/mu);
    expect(fs.existsSync(path.join(project, 'out'))).toBe(false);

    const refused = await cli(['run', 'graphs/save.json', '--answer', 'b=no']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^✗ b output\.file NOT_APPROVED: /mu);
    expect(fs.existsSync(path.join(project, 'out'))).toBe(false);

    expect((await cli(['run', 'graphs/save.json', '--answer', 'b=yes'])).code).toBe(0);
    expect(fs.readFileSync(path.join(project, 'out/x.txt'), 'utf8')).toBe('hello');

    write('actiongraph.config.json', { approval: 'none' });
    fs.rmSync(path.join(project, 'out'), { recursive: true });
    expect((await cli(['run', 'graphs/save.json'])).code).toBe(0);
    expect(fs.readFileSync(path.join(project, 'out/x.txt'), 'utf8')).toBe('hello');
  });

  it('--json prints one event per line and the final outputs last', async () => {
    write('graphs/note.json', note);
    const result = await cli(['run', 'graphs/note.json', '--json', '--yes', '--answer', '1=tea']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(lines[0]!.type).toBe('run.started');
    expect(lines.at(-2)!.type).toBe('run.finished');
    expect(lines.at(-1)).toEqual({ type: 'result', runId: expect.any(String), status: 'succeeded', outputs: { '4': { text: 'Note: tea' } } });
    expect(lines.filter((line) => line.type === 'input.answered')).toHaveLength(2);
  });

  it('stops waiting for input (exit 2), says how to answer, and resume finishes it', async () => {
    write('graphs/note.json', note);
    const first = await cli(['run', 'graphs/note.json', '--answer', '1=bread']);
    expect(first.code).toBe(2);
    const runId = /actiongraph resume (\S+) --answer 3=/u.exec(first.stderr)?.[1];
    expect(runId).toBeDefined();
    expect(first.stderr).toContain('node "3" is waiting for input (edit): Keep it?');
    expect(first.stderr).toContain('node "3" takes the edited text as its answer; an empty answer (--answer 3=) rejects it');
    expect(first.stdout).toContain('? 3 confirm.edit waiting for input');

    const listed = await cli(['runs', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ runId, status: 'waiting', file: 'graphs/note.json' })]);

    // The file changing after the run started does not matter: resume uses the run's own copy.
    write('graphs/note.json', '{ broken');
    const second = await cli(['resume', runId!, '--yes']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Note: bread');
    // Nodes that succeeded in the first process are not run again.
    expect(second.stdout).not.toContain('✓ 1 ');
    expect(second.stdout).toMatch(/^✓ 3 confirm\.edit/mu);
    expect(second.stderr).toContain('resumed, 2 nodes already done');

    const table = await cli(['runs']);
    expect(table.stdout).toMatch(new RegExp(`^${runId}\\s+succeeded\\s+.*4/4\\s+graphs/note.json$`, 'mu'));
  });

  it('a rejected review fails the run: exit 1 with the node and code', async () => {
    write('graphs/note.json', note);
    const result = await cli(['run', 'graphs/note.json', '--answer', '1=x', '--answer', '3=']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ 3 confirm\.edit REJECTED: /mu);
    expect(result.stderr).toContain('node "3" failed');
  });

  it('--dry-run does not touch the world: output.file writes nothing', async () => {
    write('graphs/save.json', {
      nodes: { a: { action: 'input.text', data: 'hello' }, b: { action: 'output.file', data: { path: 'out/x.txt' } } },
      edges: [{ from: 'a', to: 'b' }],
    });
    const result = await cli(['run', 'graphs/save.json', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ b output\.file \d+ms \(dry run: sample output\)/u);
    expect(fs.existsSync(path.join(project, 'out'))).toBe(false);
  });

  it('exit 2 for an invalid workflow, an unknown --answer node, a bad --concurrency, a missing secret', async () => {
    write('graphs/bad.json', { nodes: { a: { action: 'input.txet', data: 'x' } }, edges: [] });
    const bad = await cli(['run', 'graphs/bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown action "input.txet" (did you mean "input.text"?)');

    write('graphs/note.json', note);
    const unknown = await cli(['run', 'graphs/note.json', '--answer', '9=x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--answer 9=x: the workflow has no node "9"');
    const concurrency = await cli(['run', 'graphs/note.json', '--concurrency', '0']);
    expect(concurrency.code).toBe(2);

    // A plugin that declares a secret (a hand-written definition: the project has no zod of its own).
    write(
      'actions/vault.mjs',
      `const any = { safeParse: (value) => ({ success: true, data: value }) };
export default { kind: 'actiongraph.action', name: 'vault.read', description: 'reads a vault', data: any, input: any, output: any,
  secrets: ['VAULT_TOKEN'], effects: 'read', examples: [], run: ({ secrets }) => ({ length: secrets.VAULT_TOKEN.length }) };`,
    );
    write('graphs/vault.json', { nodes: { v: { action: 'vault.read' } }, edges: [] });
    const missing = await cli(['run', 'graphs/vault.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('node "v": action "vault.read" needs the secret VAULT_TOKEN');
    expect(fs.existsSync(runDir(project, 'x'))).toBe(false);
    const present = await cli(['run', 'graphs/vault.json', '--json'], { VAULT_TOKEN: 'hunter2-hunter2' });
    expect(present.code).toBe(0);
    expect(present.stdout).toContain('"outputs":{"v":{"length":15}}');
    // Dry run: a read action is not called, so its secret is not needed.
    expect((await cli(['run', 'graphs/vault.json', '--dry-run'])).code).toBe(0);

    // Several missing secrets: one line each, so all can be set at once.
    write(
      'actions/pair.mjs',
      `const any = { safeParse: (value) => ({ success: true, data: value }) };
export default { kind: 'actiongraph.action', name: 'pair.read', description: 'needs two keys', data: any, input: any, output: any,
  secrets: ['KEY_ONE', 'KEY_TWO'], effects: 'read', examples: [], run: () => ({}) };`,
    );
    write('graphs/pair.json', { nodes: { p: { action: 'pair.read' } }, edges: [] });
    const both = await cli(['run', 'graphs/pair.json']);
    expect(both.code).toBe(2);
    expect(both.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^actiongraph: node "p": action "pair.read" needs the secret KEY_ONE/u),
      expect.stringMatching(/^actiongraph: node "p": action "pair.read" needs the secret KEY_TWO/u),
      'actiongraph: or try it without effects, which needs no secrets: actiongraph run graphs/pair.json --dry-run',
    ]);
  });

  it('an invalid workflow is reported as validate reports it: file:line:column, one line per error', async () => {
    write('graphs/bad.json', '{\n  "nodes": {\n    "a": { "action": "input.txet" }\n  },\n  "edges": [{ "from": "a", "to": "zz" }]\n}\n');
    const run = await cli(['run', 'graphs/bad.json']);
    const validate = await cli(['validate', 'graphs/bad.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('graphs/bad.json:3:12: node "a": unknown action "input.txet"');
    expect(run.stderr.trim().split('\n')).toHaveLength(2);
    expect(run.stderr).toBe(validate.stderr);
  });

  it('runs with no runs yet says so', async () => {
    const result = await cli(['runs']);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('no runs yet') });
  });
});

describe('Ctrl-C', () => {
  it('SIGINT cancels the run cleanly: exit 130 and a journal that says cancelled', async () => {
    write('graphs/slow.json', { nodes: { a: { action: 'control.delay', data: { ms: 60_000 } }, b: { action: 'output.console', data: 'never' } }, edges: [{ from: 'a', to: 'b' }] });
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/actiongraph.js'), 'run', 'graphs/slow.json'], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The run has started (its id is printed): interrupt it.
      if (/^run \S+/mu.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    expect(await exit).toBe(130);
    expect(stderr).toContain('interrupted');
    const runId = fs.readdirSync(path.join(project, '.actiongraph/runs'))[0]!;
    const events = readJournal(path.join(runDir(project, runId), 'journal.jsonl')).events;
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'cancelled', reason: 'interrupted' });
    expect(events.some((event) => event.type === 'node.cancelled' && event.nodeId === 'a')).toBe(true);
    expect(fs.existsSync(path.join(runDir(project, runId), 'lock'))).toBe(false);
  });
});
