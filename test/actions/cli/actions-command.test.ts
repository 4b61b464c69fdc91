import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';
import { tempDir } from '../context.js';

/** A plugin written by hand, with no imports, so it loads from any temp folder. */
const plugin = (name: string, extra = ''): string => `
const anything = { safeParse: (value) => ({ success: true, data: value }) };
export default { kind: 'actiongraph.action', name: '${name}', description: 'Plugin ${name}. More words.', data: anything,
  input: anything, output: anything, secrets: [], effects: 'write', examples: ['use ${name}'], run: () => null ${extra} };
`;

async function project(files: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir('actiongraph-cli-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('actiongraph actions', () => {
  it('lists every action with its effects, source and description', async () => {
    const cwd = await project({ 'actions/mine.js': plugin('my.plugin') });
    const { code, stdout, stderr } = await runInProcess(['actions'], { cwd });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+EFFECTS\s+SOURCE\s+DESCRIPTION$/u);
    expect(lines.find((line) => line.startsWith('output.file '))).toMatch(/output\.file\s+write\s+builtin\s+Write text/u);
    expect(lines.find((line) => line.startsWith('my.plugin '))).toMatch(/my\.plugin\s+write\s+actions\/mine\.js\s+Plugin my\.plugin\.$/u);
    expect(stdout).toContain('12 actions (11 built-in, 1 from plugins)');
  });

  it('lists as JSON with --json', async () => {
    const cwd = await project();
    const { code, stdout } = await runInProcess(['actions', '--json'], { cwd });
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as { name: string; source: string; effects: string; secrets: string[] }[];
    expect(list.map((a) => a.name)).toContain('llm.choose');
    expect(list.find((a) => a.name === 'http.request')).toMatchObject({ source: 'builtin', effects: 'write', secrets: [] });
  });

  it('shows one action: schemas, secrets (set or not, never the value), examples and a node snippet', async () => {
    const cwd = await project({
      'actions/keyed.js': plugin('keyed.action').replace("secrets: []", "secrets: ['KEYED_TOKEN', 'KEYED_OTHER']"),
      '.env': 'KEYED_OTHER=from-dotenv-secret\n',
    });
    const { code, stdout } = await runInProcess(['actions', 'keyed.action'], { cwd, env: { KEYED_TOKEN: 'super-secret-value' } });
    expect(code).toBe(0);
    expect(stdout).toContain('keyed.action  (actions/keyed.js)');
    expect(stdout).toContain('secrets:  KEYED_TOKEN (set), KEYED_OTHER (set)');
    expect(stdout).not.toContain('super-secret-value');
    expect(stdout).not.toContain('from-dotenv-secret');
    const missing = await runInProcess(['actions', 'keyed.action'], { cwd: await copyWithoutEnv(cwd) });
    expect(missing.stdout).toContain('KEYED_TOKEN (not set)');
  });

  it('shows a built-in with its JSON Schemas and a ready node snippet, also as JSON', async () => {
    const cwd = await project();
    const text = await runInProcess(['actions', 'output.file'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('data (JSON Schema):');
    expect(text.stdout).toContain('"additionalProperties": false');
    expect(text.stdout).toContain('output (JSON Schema):');
    const json = await runInProcess(['actions', 'output.file', '--json'], { cwd });
    const detail = JSON.parse(json.stdout) as { node: unknown; data: { required: string[] }; missingSecrets: string[] };
    expect(detail.node).toEqual({ action: 'output.file', data: { path: 'sample' } });
    expect(detail.data.required).toEqual(['path']);
    expect(detail.missingSecrets).toEqual([]);
  });

  it('exits 2 with a did-you-mean for an unknown action', async () => {
    const cwd = await project();
    const { code, stderr, stdout } = await runInProcess(['actions', 'output.fiel'], { cwd });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('actiongraph: unknown action "output.fiel" (did you mean "output.file"?)');
  });

  it('warns about a broken plugin and still lists the rest; --strict makes it an error', async () => {
    const cwd = await project({ 'extra/broken.js': 'throw new Error("boom")', 'extra/fine.js': plugin('fine.one') });
    const loose = await runInProcess(['actions', '--actions', 'extra'], { cwd });
    expect(loose.code).toBe(0);
    expect(loose.stderr.trim()).toBe('actiongraph: warning: extra/broken.js: cannot load: boom [PLUGIN_LOAD_FAILED]');
    expect(loose.stdout).toContain('fine.one');
    const strict = await runInProcess(['actions', '--actions', 'extra', '--strict'], { cwd });
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr.trim()).toBe('actiongraph: extra/broken.js: cannot load: boom (--strict)');
  });

  it('takes --actions more than once, and reads actionsDirs and plugins from the config', async () => {
    const cwd = await project({
      'a/one.js': plugin('dir.one'),
      'b/two.js': plugin('dir.two'),
      'c/three.js': plugin('dir.three'),
      'actiongraph.config.json': JSON.stringify({ actionsDirs: ['c'], plugins: ['ag-demo'] }),
      'node_modules/ag-demo/package.json': JSON.stringify({ name: 'ag-demo', type: 'module', main: 'index.js' }),
      'node_modules/ag-demo/index.js': plugin('pkg.demo'),
    });
    const { code, stdout, stderr } = await runInProcess(['actions', '--json', '--actions', 'a', '--actions', 'b'], { cwd });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const sources = Object.fromEntries((JSON.parse(stdout) as { name: string; source: string }[]).map((a) => [a.name, a.source]));
    expect(sources).toMatchObject({ 'dir.one': 'a/one.js', 'dir.two': 'b/two.js', 'dir.three': 'c/three.js', 'pkg.demo': 'ag-demo' });
  });

  it('refuses two actions with one name even without --strict, naming both sources', async () => {
    const cwd = await project({ 'actions/one.js': plugin('same.name'), 'actions/two.js': plugin('same.name') });
    const { code, stderr } = await runInProcess(['actions'], { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain('actions/one.js');
    expect(stderr).toContain('actions/two.js');
  });

  it('exits 2 for an --actions folder that does not exist', async () => {
    const cwd = await project();
    const { code, stderr } = await runInProcess(['actions', '--actions', 'nope'], { cwd });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('actiongraph: --actions nope: no such folder');
  });
});

/** The same project without its .env and environment, to see "not set". */
async function copyWithoutEnv(dir: string): Promise<string> {
  const { cp, rm } = await import('node:fs/promises');
  const copy = await tempDir('actiongraph-cli-copy-');
  await cp(dir, copy, { recursive: true });
  await rm(path.join(copy, '.env'));
  return copy;
}
