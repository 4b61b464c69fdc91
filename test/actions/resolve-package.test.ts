import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PackageResolutionError, resolveExports, resolvePackageEntry } from '../../src/actions/resolve-package.js';
import { tempDir } from './context.js';

describe('resolveExports', () => {
  it('follows strings, conditions in their order, arrays and subpath patterns', () => {
    expect(resolveExports('./main.js', '.')).toBe('./main.js');
    expect(resolveExports({ require: './x.cjs', import: './x.mjs' }, '.')).toBe('./x.mjs');
    expect(resolveExports({ node: { import: './n.mjs' }, default: './d.js' }, '.')).toBe('./n.mjs');
    expect(resolveExports({ '.': [{ browser: './b.js' }, './fallback.js'] }, '.')).toBe('./fallback.js');
    expect(resolveExports({ './actions/*': './dist/actions/*.js', './actions/special/*': './special/*.js' }, './actions/special/x')).toBe(
      './special/x.js',
    );
    expect(resolveExports({ './actions/*': './dist/actions/*.js' }, './actions/a')).toBe('./dist/actions/a.js');
    expect(resolveExports({ '.': './i.js' }, './other')).toBeUndefined();
    expect(resolveExports({ '.': '../escape.js' }, '.')).toBeUndefined();
  });
});

describe('resolvePackageEntry', () => {
  it('finds the package in node_modules of the project or a parent folder', async () => {
    const root = await tempDir();
    const project = path.join(root, 'apps', 'one');
    await mkdir(project, { recursive: true });
    await mkdir(path.join(root, 'node_modules', 'shared', 'lib'), { recursive: true });
    await writeFile(path.join(root, 'node_modules', 'shared', 'package.json'), JSON.stringify({ name: 'shared' }));
    await writeFile(path.join(root, 'node_modules', 'shared', 'index.js'), 'export default 1;');
    await writeFile(path.join(root, 'node_modules', 'shared', 'lib', 'sub.js'), 'export default 2;');
    expect(await resolvePackageEntry('shared', project)).toBe(path.join(root, 'node_modules', 'shared', 'index.js'));
    expect(await resolvePackageEntry('shared/lib/sub', project)).toBe(path.join(root, 'node_modules', 'shared', 'lib', 'sub.js'));
  });

  it('refuses names that are not package names, and packages that are not there', async () => {
    const project = await tempDir();
    for (const bad of ['../evil', '/abs', 'pkg/../x', '@scope', '']) {
      await expect(resolvePackageEntry(bad, project), bad).rejects.toBeInstanceOf(PackageResolutionError);
    }
    await expect(resolvePackageEntry('absent-package', project)).rejects.toThrow(/not installed/u);
  });
});
