import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../src/actions/loader.js';
import { runAction } from '../../../src/actions/testing.js';
import { runInProcess } from '../../helpers/cli.js';
import { tempDir } from '../context.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('actiongraph new action', () => {
  it('writes a plugin and its test into actions/, named with dashes', async () => {
    const cwd = await tempDir('actiongraph-new-');
    const { code, stdout, stderr } = await runInProcess(['new', 'action', 'weather.get_forecast'], { cwd });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('created actions/weather-get-forecast.ts');
    expect(stdout).toContain('created actions/weather-get-forecast.test.ts');
    expect((await readdir(path.join(cwd, 'actions'))).sort()).toEqual(['weather-get-forecast.test.ts', 'weather-get-forecast.ts']);
    const plugin = await readFile(path.join(cwd, 'actions/weather-get-forecast.ts'), 'utf8');
    expect(plugin).toContain("import { ActionError, defineAction, inputText, z } from 'actiongraph';");
    expect(plugin).toContain("name: 'weather.get_forecast',");
    const test = await readFile(path.join(cwd, 'actions/weather-get-forecast.test.ts'), 'utf8');
    expect(test).toContain("import action from './weather-get-forecast.js';");
    expect(test).toContain("from 'vitest'");
  });

  it('writes a plugin that loads and behaves as its generated test expects', async () => {
    const cwd = await tempDir('actiongraph-new-');
    // Resolve 'actiongraph' to this repository's sources, as the repository's own tsconfig does.
    await writeFile(
      path.join(cwd, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', paths: { actiongraph: [path.join(repoRoot, 'src/index.ts')] } } }),
    );
    await writeFile(path.join(cwd, 'package.json'), JSON.stringify({ type: 'module' }));
    expect((await runInProcess(['new', 'action', 'text.shout'], { cwd })).code).toBe(0);
    const { definitions, problems } = await loadPlugins({ projectDir: cwd });
    expect(problems).toEqual([]);
    const action = definitions.find((d) => d.definition.name === 'text.shout')?.definition;
    expect(action).toBeDefined();
    if (!action) return;
    await expect(runAction(action, { input: 'hello' })).resolves.toEqual({ text: 'HELLO' });
    await expect(runAction(action, { data: { text: 'from data' }, input: 'ignored' })).resolves.toEqual({ text: 'FROM DATA' });
    await expect(runAction(action, { input: '' })).rejects.toMatchObject({ code: 'TEXT_EMPTY', retryable: false });
  });

  it('refuses to overwrite (exit 2) and leaves the existing file as it was', async () => {
    const cwd = await tempDir('actiongraph-new-');
    expect((await runInProcess(['new', 'action', 'demo.one'], { cwd })).code).toBe(0);
    await writeFile(path.join(cwd, 'actions/demo-one.ts'), '// edited by hand\n');
    const again = await runInProcess(['new', 'action', 'demo.one'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe('actiongraph: actions/demo-one.ts exists already: not overwriting it');
    expect(await readFile(path.join(cwd, 'actions/demo-one.ts'), 'utf8')).toBe('// edited by hand\n');
  });

  it('writes nothing when only the test file exists', async () => {
    const cwd = await tempDir('actiongraph-new-');
    expect((await runInProcess(['new', 'action', 'demo.two'], { cwd })).code).toBe(0);
    const { rm } = await import('node:fs/promises');
    await rm(path.join(cwd, 'actions/demo-two.ts'));
    expect((await runInProcess(['new', 'action', 'demo.two'], { cwd })).code).toBe(2);
    expect(await readdir(path.join(cwd, 'actions'))).toEqual(['demo-two.test.ts']);
  });

  it('validates the name', async () => {
    const cwd = await tempDir('actiongraph-new-');
    for (const bad of ['noNamespace', 'has space.x', '../evil.x', 'a.', '.b']) {
      const result = await runInProcess(['new', 'action', bad], { cwd });
      expect(result.code, bad).toBe(2);
      expect(result.stderr, bad).toContain('is not an action name');
    }
    const builtin = await runInProcess(['new', 'action', 'input.text'], { cwd });
    expect(builtin.code).toBe(2);
    expect(builtin.stderr).toContain('built-in');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('writes into --dir', async () => {
    const cwd = await tempDir('actiongraph-new-');
    expect((await runInProcess(['new', 'action', 'MyTools.DoThing', '--dir', 'plugins'], { cwd })).code).toBe(0);
    expect((await readdir(path.join(cwd, 'plugins'))).sort()).toEqual(['my-tools-do-thing.test.ts', 'my-tools-do-thing.ts']);
  });
});
