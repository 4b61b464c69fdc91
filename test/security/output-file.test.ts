// Security: output.file writes where graph data says, so the path is checked twice: as written (when the graph
// loads) and where it really lands (after symlinks). Outside the project and the places the engine and its tools
// trust (.git, .actiongraph, node_modules, actions/, the config, .env, package.json) are refused.
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputFileAction } from '../../src/actions/builtin/output-file.js';
import { relativePathProblem } from '../../src/actions/fs-safe.js';
import { runWith, tempDir } from '../actions/context.js';

function write(projectDir: string, relative: string, input: unknown = 'pwned') {
  return runWith(outputFileAction, { projectDir, data: { path: relative }, input });
}

describe('output.file paths as written', () => {
  it.each([
    ['/etc/passwd', 'absolute'],
    ['C:\\Windows\\x.txt', 'absolute'],
    ['C:x.txt', 'absolute'],
    ['\\\\server\\share\\x.txt', 'absolute'],
    ['\\\\?\\C:\\x.txt', 'absolute'],
    ['..\\..\\outside.txt', 'leaves'],
    ['a/../../outside.txt', 'leaves'],
    ['out/\0.txt', 'NUL'],
    ['', 'empty'],
  ])('%j is refused (%s)', (bad, reason) => {
    expect(relativePathProblem(bad)).toContain(reason);
    expect(outputFileAction.data.safeParse({ path: bad }).success).toBe(false);
  });

  it.each([
    '.git/hooks/pre-commit',
    '.git/config',
    '.GIT/hooks/post-checkout',
    '.git./hooks/pre-commit',
    '.git::$INDEX_ALLOCATION/hooks/pre-commit',
    'vendor/lib/.git',
    'sub/.git/hooks/pre-commit',
    'node_modules/left-pad/index.js',
    'packages/a/node_modules/x/index.js',
    '.actiongraph/runs/r1/journal.jsonl',
    '.actiongraph/cache/plugins/x.mjs',
    'out/../.actiongraph/runs/r1/workflow.json',
    './actions/evil.ts',
    'Actions/evil.ts',
    'actiongraph.config.json',
    'ActionGraph.Config.JSON',
    '.env',
    '.env.local',
    'package.json',
    '.npmrc',
  ])('%j is protected', (relative) => {
    expect(relativePathProblem(relative)).toContain('is not allowed');
    expect(outputFileAction.data.safeParse({ path: relative }).success).toBe(false);
  });

  it.each(['out/note.md', 'out/actions/list.md', 'docs/.gitignore', 'out/package.json', 'env.txt', 'out/.env.example', 'my.git/x'])(
    '%j is an ordinary output file',
    (relative) => {
      expect(relativePathProblem(relative)).toBeUndefined();
    },
  );

  it('is refused by the handler too (data that skipped validation), with PATH_PROTECTED, before anything is written', async () => {
    const projectDir = await tempDir();
    await mkdir(path.join(projectDir, '.git', 'hooks'), { recursive: true });
    const { context } = await write(projectDir, 'ok.txt');
    const run = (relative: string) => outputFileAction.run({ ...context, data: { ...context.data, path: relative } });
    await expect(run('.git/hooks/pre-commit')).rejects.toMatchObject({ code: 'PATH_PROTECTED', retryable: false });
    await expect(run('actiongraph.config.json')).rejects.toMatchObject({ code: 'PATH_PROTECTED' });
    await expect(run('../escape.txt')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_PROJECT' });
    expect(await readdir(path.join(projectDir, '.git', 'hooks'))).toEqual([]);
    expect((await readdir(projectDir)).sort()).toEqual(['.git', 'ok.txt']);
  });
});

describe('output.file paths where they land', () => {
  it('refuses a symlinked folder inside the project that points into .git', async () => {
    const projectDir = await tempDir();
    await mkdir(path.join(projectDir, '.git', 'hooks'), { recursive: true });
    await symlink(path.join(projectDir, '.git'), path.join(projectDir, 'out'));
    await expect(write(projectDir, 'out/hooks/pre-commit')).rejects.toMatchObject({ code: 'PATH_PROTECTED', retryable: false });
    expect(await readdir(path.join(projectDir, '.git', 'hooks'))).toEqual([]);
  });

  it('refuses a relative symlink into .actiongraph, even when the folder under it does not exist yet', async () => {
    const projectDir = await tempDir();
    await mkdir(path.join(projectDir, '.actiongraph'));
    await symlink('.actiongraph', path.join(projectDir, 'state'));
    await expect(write(projectDir, 'state/runs/r1/journal.jsonl')).rejects.toMatchObject({ code: 'PATH_PROTECTED' });
    expect(await readdir(path.join(projectDir, '.actiongraph'))).toEqual([]);
  });

  it('refuses a chain of symlinks that ends outside the project', async () => {
    const projectDir = await tempDir();
    const outside = await tempDir();
    await symlink(outside, path.join(projectDir, 'hop2'));
    await symlink(path.join(projectDir, 'hop2'), path.join(projectDir, 'hop1'));
    await expect(write(projectDir, 'hop1/x/stolen.txt')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_PROJECT' });
    expect(await readdir(outside)).toEqual([]);
  });

  it('replaces a symlinked file that points inside the project instead of writing through it', async () => {
    const projectDir = await tempDir();
    await mkdir(path.join(projectDir, 'data'));
    await writeFile(path.join(projectDir, 'data', 'keep.txt'), 'original');
    await symlink(path.join(projectDir, 'data', 'keep.txt'), path.join(projectDir, 'note.txt'));
    await write(projectDir, 'note.txt', 'new text');
    expect(await readFile(path.join(projectDir, 'note.txt'), 'utf8')).toBe('new text');
    expect(await readFile(path.join(projectDir, 'data', 'keep.txt'), 'utf8')).toBe('original');
  });
});
