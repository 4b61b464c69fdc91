import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRegistry, loadPlugins } from '../../src/actions/loader.js';
import { PluginError } from '../../src/errors.js';
import { tempDir } from './context.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/plugins');

/** A definition written by hand, with no imports, for plugins in temp folders. */
const structural = (name: string): string => `
const anything = { safeParse: (value) => ({ success: true, data: value }) };
export default { kind: 'actiongraph.action', name: '${name}', description: 'd', data: anything, input: anything,
  output: anything, secrets: [], effects: 'none', examples: [], run: () => '${name}' };
`;

async function projectWith(files: Record<string, string>): Promise<string> {
  const projectDir = await tempDir('actiongraph-plugins-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(projectDir, name)), { recursive: true });
    await writeFile(path.join(projectDir, name), text);
  }
  return projectDir;
}

describe('loadPlugins', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads .ts, .js and .mjs plugins: default, named (by name) and array exports, in a stable order', async () => {
    const { definitions, problems } = await loadPlugins({ projectDir: fixtures, dirs: ['basic'] });
    expect(problems).toEqual([]);
    expect(definitions.map((d) => [d.definition.name, d.source])).toEqual([
      ['fixture.greet', 'basic/greet.ts'],
      ['fixture.first', 'basic/many.ts'],
      ['fixture.second', 'basic/many.ts'],
      ['fixture.upper', 'basic/many.ts'],
      ['fixture.mjs_one', 'basic/module.mjs'],
      ['fixture.plain_js', 'basic/plain.js'],
    ]);
    const greet = definitions[0]?.definition;
    expect(await greet?.run({ data: { name: 'Ann' } } as never)).toEqual({ text: 'Hello, Ann!' });
    expect(greet?.data.safeParse({ nam: 'typo' }).success).toBe(false);
  });

  it('reads the project actions/ folder, then every extra folder, once each', async () => {
    const projectDir = await projectWith({ 'actions/a.ts': structural('proj.a'), 'more/b.js': structural('proj.b') });
    await symlink(path.join(projectDir, 'actions'), path.join(projectDir, 'alias'));
    const { definitions, problems } = await loadPlugins({
      projectDir,
      dirs: ['more', path.join(fixtures, 'extra'), 'actions', 'alias'],
    });
    expect(problems).toEqual([]);
    expect(definitions.map((d) => [d.definition.name, d.source])).toEqual([
      ['proj.a', 'actions/a.ts'],
      ['proj.b', 'more/b.js'],
      ['fixture.echo', path.join(fixtures, 'extra/echo.ts')],
    ]);
  });

  it('skips tests, declarations, dotfiles, other extensions and subfolders', async () => {
    const projectDir = await projectWith({
      'actions/real.ts': structural('proj.real'),
      'actions/real.test.ts': 'throw new Error("a test file was loaded")',
      'actions/real.spec.js': 'throw new Error("a spec file was loaded")',
      'actions/types.d.ts': 'export declare const x: number;',
      'actions/.hidden.ts': 'throw new Error("a dotfile was loaded")',
      'actions/notes.md': '# not code',
      'actions/lib/helper.ts': 'throw new Error("a subfolder was loaded")',
    });
    const { definitions, problems } = await loadPlugins({ projectDir });
    expect(problems).toEqual([]);
    expect(definitions.map((d) => d.definition.name)).toEqual(['proj.real']);
  });

  it('reports a plugin that fails to load with its file and reason, and loads the others', async () => {
    const projectDir = await projectWith({
      'actions/a-good.ts': structural('proj.good'),
      'actions/b-syntax.ts': 'export default {{{ nope',
      'actions/c-throws.js': 'throw new Error("database unreachable");',
      'actions/d-missing-import.ts': 'import { x } from "./not-there.js"; export default x;',
    });
    const { definitions, problems } = await loadPlugins({ projectDir });
    expect(definitions.map((d) => d.definition.name)).toEqual(['proj.good']);
    expect(problems.map((p) => [p.code, p.source])).toEqual([
      ['PLUGIN_LOAD_FAILED', 'actions/b-syntax.ts'],
      ['PLUGIN_LOAD_FAILED', 'actions/c-throws.js'],
      ['PLUGIN_LOAD_FAILED', 'actions/d-missing-import.ts'],
    ]);
    for (const problem of problems) {
      expect(problem).toBeInstanceOf(PluginError);
      expect(problem.message.startsWith(`${problem.source}: cannot load: `)).toBe(true);
      expect(problem.message).not.toContain('\n');
    }
    expect(problems[1]?.message).toContain('database unreachable');
  });

  it('reports files that export no definitions, and definitions that are malformed', async () => {
    const projectDir = await projectWith({
      'actions/empty.ts': 'export const helper = 1;',
      'actions/bad.js': `export default { kind: 'actiongraph.action', name: 'bad.one', run() {} };`,
      'actions/secrets.js': structural('bad.secrets').replace('secrets: []', "secrets: ['not a var']"),
    });
    const { definitions, problems } = await loadPlugins({ projectDir });
    expect(definitions).toEqual([]);
    expect(problems.map((p) => [p.code, p.source])).toEqual([
      ['PLUGIN_INVALID', 'actions/bad.js'],
      ['PLUGIN_EMPTY', 'actions/empty.ts'],
      ['PLUGIN_INVALID', 'actions/secrets.js'],
    ]);
    expect(problems[0]?.message).toContain('action "bad.one" has no description');
  });

  it('reports an extra folder that does not exist', async () => {
    const projectDir = await projectWith({});
    const { problems } = await loadPlugins({ projectDir, dirs: ['nowhere'] });
    expect(problems.map((p) => [p.code, p.source])).toEqual([['PLUGIN_DIR_NOT_FOUND', 'nowhere']]);
  });

  it('reports a plugin that never finishes loading as PLUGIN_TIMEOUT after the bounded wait (default 10 s)', async () => {
    const projectDir = await projectWith({ 'actions/hang.ts': 'await new Promise(() => {});\nexport default 1;' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    const pending = loadPlugins({ projectDir }).finally(() => {
      settled = true;
    });
    // The wait starts once the module is being imported (real I/O first), so step fake time while letting I/O run.
    while (!settled) {
      await vi.advanceTimersByTimeAsync(1_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { definitions, problems } = await pending;
    expect(definitions).toEqual([]);
    expect(problems.map((p) => [p.code, p.source])).toEqual([['PLUGIN_TIMEOUT', 'actions/hang.ts']]);
    expect(problems[0]?.message).toBe('actions/hang.ts: did not finish loading within 10000 ms');
  });

  it('loads npm packages named in the config from the project node_modules (exports or main)', async () => {
    const projectDir = await projectWith({
      'node_modules/ag-plugin-demo/package.json': JSON.stringify({
        name: 'ag-plugin-demo',
        type: 'module',
        exports: { '.': { types: './index.d.ts', import: './dist/index.js', require: './dist/index.cjs' }, './extra': './dist/extra.js' },
      }),
      'node_modules/ag-plugin-demo/dist/index.js': structural('pkg.demo'),
      'node_modules/ag-plugin-demo/dist/extra.js': structural('pkg.extra'),
      'node_modules/@scope/ag-main/package.json': JSON.stringify({ name: '@scope/ag-main', type: 'module', main: 'lib/main.js' }),
      'node_modules/@scope/ag-main/lib/main.js': structural('pkg.scoped'),
    });
    const { definitions, problems } = await loadPlugins({
      projectDir,
      packages: ['ag-plugin-demo', 'ag-plugin-demo/extra', '@scope/ag-main', 'not-installed', 'ag-plugin-demo/private'],
    });
    expect(definitions.map((d) => [d.definition.name, d.source])).toEqual([
      ['pkg.demo', 'ag-plugin-demo'],
      ['pkg.extra', 'ag-plugin-demo/extra'],
      ['pkg.scoped', '@scope/ag-main'],
    ]);
    expect(problems.map((p) => [p.code, p.source])).toEqual([
      ['PLUGIN_LOAD_FAILED', 'not-installed'],
      ['PLUGIN_LOAD_FAILED', 'ag-plugin-demo/private'],
    ]);
    expect(problems[0]?.message).toContain('not installed');
    expect(problems[1]?.message).toContain('does not export "./private"');
  });
});

describe('createRegistry', () => {
  it('registers the built-ins, then the plugins', async () => {
    const { registry, problems } = await createRegistry({ projectDir: fixtures, dirs: ['basic'] });
    expect(problems).toEqual([]);
    expect(registry.sourceOf('input.text')).toBe('builtin');
    expect(registry.sourceOf('fixture.greet')).toBe('basic/greet.ts');
    expect(registry.has('fixture.plain_js')).toBe(true);
  });

  it('reports two actions with one name as ACTION_DUPLICATE naming both sources, keeping the first', async () => {
    const projectDir = await projectWith({
      'actions/one.js': structural('dup.name'),
      'actions/two.js': structural('dup.name'),
      'actions/shadow.js': structural('input.text'),
    });
    const { registry, problems } = await createRegistry({ projectDir });
    expect(problems.map((p) => [p.code, p.source])).toEqual([
      ['ACTION_DUPLICATE', 'actions/shadow.js'],
      ['ACTION_DUPLICATE', 'actions/two.js'],
    ]);
    expect(problems[0]?.message).toContain('builtin');
    expect(problems[1]?.message).toContain('actions/one.js');
    expect(registry.sourceOf('dup.name')).toBe('actions/one.js');
    expect(registry.sourceOf('input.text')).toBe('builtin');
  });
});
