// The .ts plugin compile cache, through the loader: a miss compiles and writes the cache, a hit imports it without
// compiling, any edit to a bundled file recompiles, and plugins the cache cannot take still load through tsx.
import { mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadPlugins } from '../../src/actions/loader.js';
import { type PluginCompiler, PLUGIN_CACHE_DIR, createPluginCache, esbuildCompiler } from '../../src/actions/plugin-cache.js';
import { tempDir } from './context.js';

/** A definition written by hand (no package imports: a temp project has no node_modules); run() returns `result`. */
const definition = (name: string, result: string): string => `
const anything = { safeParse: (value: unknown) => ({ success: true, data: value }) };
export default { kind: 'actiongraph.action', name: '${name}', description: 'd', data: anything, input: anything,
  output: anything, secrets: [], effects: 'none', examples: [], run: () => ${result} };
`;

const ESM_PACKAGE = JSON.stringify({ name: 'cache-demo', type: 'module' });

async function projectWith(files: Record<string, string>): Promise<string> {
  const projectDir = await realpath(await tempDir('actiongraph-plugin-cache-'));
  await writeFiles(projectDir, files);
  return projectDir;
}

async function writeFiles(projectDir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(projectDir, name)), { recursive: true });
    await writeFile(path.join(projectDir, name), text);
  }
}

/** esbuild, counting the plugins it compiles. */
function countingCompiler(): PluginCompiler & { compiled: string[] } {
  const esbuild = esbuildCompiler();
  const compiled: string[] = [];
  return {
    compiled,
    id: () => esbuild.id(),
    compile: (request) => {
      compiled.push(path.basename(request.file));
      return esbuild.compile(request);
    },
  };
}

async function load(projectDir: string, compiler: PluginCompiler) {
  const { definitions, problems } = await loadPlugins({ projectDir, tsCompiler: compiler });
  const results = await Promise.all(definitions.map(async ({ definition }) => [definition.name, await definition.run({} as never)]));
  return { results, problems, definitions };
}

async function cacheFiles(projectDir: string): Promise<string[]> {
  return (await readdir(path.join(projectDir, PLUGIN_CACHE_DIR))).sort();
}

describe('the .ts plugin compile cache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('compiles on a miss into the project cache folder, then loads the cached module without compiling', async () => {
    const projectDir = await projectWith({
      'package.json': ESM_PACKAGE,
      'actions/greet.ts': `import { greeting } from './lib/greeting.js';\n${definition('cache.greet', 'greeting("Ann")')}`,
      'actions/lib/greeting.ts': 'export const greeting = (name: string): string => `Hello, ${name}!`;\n',
    });
    const compiler = countingCompiler();

    const first = await load(projectDir, compiler);
    expect(first.problems).toEqual([]);
    expect(first.results).toEqual([['cache.greet', 'Hello, Ann!']]);
    expect(compiler.compiled).toEqual(['greet.ts']);
    const files = await cacheFiles(projectDir);
    expect(files.filter((file) => file.endsWith('.mjs'))).toHaveLength(1);
    expect(files.filter((file) => file.endsWith('.json'))).toHaveLength(1);
    const manifestFile = files.find((file) => file.endsWith('.json')) ?? '';
    const manifest = JSON.parse(await readFile(path.join(projectDir, PLUGIN_CACHE_DIR, manifestFile), 'utf8')) as {
      inputs: { path: string }[];
    };
    // The helper is bundled in, so it is an input; the tsconfig and package.json shape the output, so they are too.
    expect(manifest.inputs.map((input) => path.relative(projectDir, input.path))).toEqual([
      'actions/greet.ts',
      'actions/lib/greeting.ts',
      'package.json',
      'tsconfig.json',
    ]);

    const second = await load(projectDir, compiler);
    expect(second.problems).toEqual([]);
    expect(second.results).toEqual([['cache.greet', 'Hello, Ann!']]);
    expect(compiler.compiled).toEqual(['greet.ts']);
    expect(second.definitions[0]?.source).toBe('actions/greet.ts');
  });

  it('recompiles when a bundled helper changes, loads the new behaviour and drops the old module', async () => {
    const projectDir = await projectWith({
      'package.json': ESM_PACKAGE,
      'actions/greet.ts': `import { greeting } from './lib/greeting.js';\n${definition('cache.greet', 'greeting("Ann")')}`,
      'actions/lib/greeting.ts': 'export const greeting = (name: string): string => `Hello, ${name}!`;\n',
    });
    const compiler = countingCompiler();
    await load(projectDir, compiler);
    const before = await cacheFiles(projectDir);

    // Same content written again (a new mtime): still a hit.
    await writeFiles(projectDir, { 'actions/lib/greeting.ts': 'export const greeting = (name: string): string => `Hello, ${name}!`;\n' });
    expect((await load(projectDir, compiler)).results).toEqual([['cache.greet', 'Hello, Ann!']]);
    expect(compiler.compiled).toEqual(['greet.ts']);

    // Same size, other content: a miss.
    await writeFiles(projectDir, { 'actions/lib/greeting.ts': 'export const greeting = (name: string): string => `Howdy, ${name}!`;\n' });
    const edited = await load(projectDir, compiler);
    expect(edited.problems).toEqual([]);
    expect(edited.results).toEqual([['cache.greet', 'Howdy, Ann!']]);
    expect(compiler.compiled).toEqual(['greet.ts', 'greet.ts']);
    const after = await cacheFiles(projectDir);
    expect(after).toHaveLength(2);
    expect(after.find((file) => file.endsWith('.mjs'))).not.toBe(before.find((file) => file.endsWith('.mjs')));

    // The tsconfig is an input too.
    await writeFiles(projectDir, { 'tsconfig.json': '{ "compilerOptions": {} }' });
    await load(projectDir, compiler);
    expect(compiler.compiled).toHaveLength(3);

    // A manifest whose module is gone is a miss, not a failure.
    for (const file of await cacheFiles(projectDir)) if (file.endsWith('.mjs')) await rm(path.join(projectDir, PLUGIN_CACHE_DIR, file));
    expect((await load(projectDir, compiler)).results).toEqual([['cache.greet', 'Howdy, Ann!']]);
    expect(compiler.compiled).toHaveLength(4);
  });

  it('loads through tsx, without compiling, when the cache folder cannot be written', async () => {
    const projectDir = await projectWith({
      'package.json': ESM_PACKAGE,
      'actions/greet.ts': `import { greeting } from './lib/greeting.js';\n${definition('cache.greet', 'greeting("Ann")')}`,
      'actions/lib/greeting.ts': 'export const greeting = (name: string): string => `Hello, ${name}!`;\n',
      // A file where the cache folder would go: mkdir fails even for root, which ignores permission bits.
      '.actiongraph/cache': 'not a folder',
    });
    const compiler = countingCompiler();
    const { results, problems } = await load(projectDir, compiler);
    expect(problems).toEqual([]);
    expect(results).toEqual([['cache.greet', 'Hello, Ann!']]);
    expect(compiler.compiled).toEqual([]);
  });

  it('leaves to tsx the plugins it cannot load the same way: CommonJS packages, folders outside the project', async () => {
    const commonjs = await projectWith({
      'package.json': JSON.stringify({ name: 'cjs-demo' }),
      'actions/dirname.ts': definition('cache.cjs', 'typeof __dirname'),
    });
    const outside = await projectWith({ 'package.json': ESM_PACKAGE, 'actions/far.ts': definition('cache.far', '"far"') });
    const compiler = countingCompiler();
    expect((await load(commonjs, compiler)).results).toEqual([['cache.cjs', 'string']]);
    const project = await projectWith({ 'package.json': ESM_PACKAGE });
    const { definitions, problems } = await loadPlugins({ projectDir: project, dirs: [path.join(outside, 'actions')], tsCompiler: compiler });
    expect(problems).toEqual([]);
    expect(definitions.map((d) => d.definition.name)).toEqual(['cache.far']);
    expect(compiler.compiled).toEqual([]);
  });

  it('gives each bundled file its own import.meta, as if it had not moved', async () => {
    const projectDir = await projectWith({
      'package.json': ESM_PACKAGE,
      'actions/where.ts': `import { helperMeta } from './lib/meta.js';\n${definition(
        'cache.where',
        '[import.meta.url, import.meta.dirname, import.meta.filename, import.meta.resolve("./x.js"), helperMeta]',
      )}`,
      'actions/lib/meta.ts': 'export const helperMeta = import.meta.url;\n',
    });
    const compiler = countingCompiler();
    const { results, problems } = await load(projectDir, compiler);
    expect(problems).toEqual([]);
    expect(compiler.compiled).toEqual(['where.ts']);
    const actions = path.join(projectDir, 'actions');
    expect(results).toEqual([
      [
        'cache.where',
        [
          pathToFileURL(path.join(actions, 'where.ts')).href,
          actions,
          path.join(actions, 'where.ts'),
          pathToFileURL(path.join(actions, 'x.js')).href,
          pathToFileURL(path.join(actions, 'lib/meta.ts')).href,
        ],
      ],
    ]);
  });

  it('keeps an installed package (here the project itself) a bare import even when tsconfig paths map it', async () => {
    const projectDir = await projectWith({
      'package.json': JSON.stringify({ name: 'cache-self', type: 'module', exports: './index.js' }),
      'index.js': 'export const copy = "package";\n',
      'alias.ts': 'export const copy = "sources";\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { 'cache-self': ['./alias.ts'] } } }),
      'actions/self.ts': `import { copy } from 'cache-self';\n${definition('cache.self', 'copy')}`,
    });
    const compiler = countingCompiler();
    const { results, problems } = await load(projectDir, compiler);
    expect(problems).toEqual([]);
    expect(compiler.compiled).toEqual(['self.ts']);
    expect(results).toEqual([['cache.self', 'package']]);
  });

  it('reports a syntax error as PLUGIN_LOAD_FAILED on one line naming the file, in the plugin or in a helper', async () => {
    const projectDir = await projectWith({
      'package.json': ESM_PACKAGE,
      'actions/a-broken.ts': 'export const fine = 1;\nexport default {{{ nope',
      'actions/b-uses-broken.ts': `import { x } from './lib/bad.js';\n${definition('cache.bad', 'x')}`,
      'actions/c-good.ts': definition('cache.good', '"good"'),
      'actions/lib/bad.ts': 'export const ok = 1;\nexport const x = (;\n',
    });
    const compiler = countingCompiler();
    const { results, problems } = await load(projectDir, compiler);
    expect(results).toEqual([['cache.good', 'good']]);
    expect(problems.map((p) => [p.code, p.source])).toEqual([
      ['PLUGIN_LOAD_FAILED', 'actions/a-broken.ts'],
      ['PLUGIN_LOAD_FAILED', 'actions/b-uses-broken.ts'],
    ]);
    for (const problem of problems) {
      expect(problem.message.startsWith(`${problem.source}: cannot load: `)).toBe(true);
      expect(problem.message).not.toContain('\n');
    }
    // Where: line:column in the plugin itself, the helper's path when the error is there.
    expect(problems[0]?.message).toMatch(/: line 2:\d+: /u);
    expect(problems[1]?.message).toMatch(/: actions\/lib\/bad\.ts:2:\d+: /u);
  });

  it('still reports a cached plugin that never finishes loading as PLUGIN_TIMEOUT', async () => {
    const projectDir = await projectWith({ 'package.json': ESM_PACKAGE, 'actions/hang.ts': 'await new Promise(() => {});\nexport default 1;' });
    const compiler = countingCompiler();
    // Compile first with real timers, so the timed load below is a hit whose import never finishes.
    const url = await createPluginCache({ projectDir, compiler }).moduleUrl(path.join(projectDir, 'actions/hang.ts'));
    expect(url).toMatch(/\/\.actiongraph\/cache\/plugins\/[0-9a-f]{64}\.mjs$/u);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    const pending = loadPlugins({ projectDir, tsCompiler: compiler, timeoutMs: 5_000 }).finally(() => {
      settled = true;
    });
    // Checking the cache is real I/O: step fake time while letting it run.
    while (!settled) {
      await vi.advanceTimersByTimeAsync(1_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { problems } = await pending;
    expect(compiler.compiled).toEqual(['hang.ts']);
    expect(problems.map((p) => [p.code, p.source])).toEqual([['PLUGIN_TIMEOUT', 'actions/hang.ts']]);
  });
});
