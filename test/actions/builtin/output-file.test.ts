import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputFileAction } from '../../../src/actions/builtin/output-file.js';
import { runWith, tempDir } from '../context.js';

describe('output.file', () => {
  it('writes the incoming text inside the project folder, creating folders', async () => {
    const projectDir = await tempDir();
    const { output } = await runWith(outputFileAction, { projectDir, data: { path: 'out/note.md' }, input: { text: 'hello\n' } });
    expect(output).toEqual({ path: 'out/note.md', bytes: 6 });
    expect(await readFile(path.join(projectDir, 'out/note.md'), 'utf8')).toBe('hello\n');
    // Atomic: no temp file is left behind.
    expect(await readdir(path.join(projectDir, 'out'))).toEqual(['note.md']);
  });

  it('writes data.content, or the input as JSON with format "json"', async () => {
    const projectDir = await tempDir();
    await runWith(outputFileAction, { projectDir, data: { path: 'a.txt', content: 'fixed' }, input: 'ignored' });
    expect(await readFile(path.join(projectDir, 'a.txt'), 'utf8')).toBe('fixed');
    await runWith(outputFileAction, { projectDir, data: { path: 'b.json', format: 'json' }, input: { n: 1 } });
    expect(JSON.parse(await readFile(path.join(projectDir, 'b.json'), 'utf8'))).toEqual({ n: 1 });
  });

  it('replaces an existing file, or refuses with FILE_EXISTS when overwrite is false', async () => {
    const projectDir = await tempDir();
    await writeFile(path.join(projectDir, 'x.txt'), 'old');
    await runWith(outputFileAction, { projectDir, data: { path: 'x.txt' }, input: 'new' });
    expect(await readFile(path.join(projectDir, 'x.txt'), 'utf8')).toBe('new');
    await expect(
      runWith(outputFileAction, { projectDir, data: { path: 'x.txt', overwrite: false }, input: 'newer' }),
    ).rejects.toMatchObject({ code: 'FILE_EXISTS', retryable: false });
    expect(await readFile(path.join(projectDir, 'x.txt'), 'utf8')).toBe('new');
    expect(await readdir(projectDir)).toEqual(['x.txt']);
  });

  it('reports other write failures as FILE_WRITE_FAILED, which a retry may fix', async () => {
    const projectDir = await tempDir();
    await mkdir(path.join(projectDir, 'taken'));
    await expect(runWith(outputFileAction, { projectDir, data: { path: 'taken' }, input: 'x' })).rejects.toMatchObject({
      code: 'FILE_WRITE_FAILED',
      retryable: true,
    });
    expect(await readdir(projectDir)).toEqual(['taken']);
  });

  it('refuses absolute paths and .. escapes when the graph loads', () => {
    for (const bad of ['/etc/passwd', '../outside.txt', 'a/../../outside.txt', 'C:\\x.txt', '']) {
      expect(outputFileAction.data.safeParse({ path: bad }).success, bad).toBe(false);
    }
    expect(outputFileAction.data.safeParse({ path: 'a/../b.txt' }).success).toBe(true);
    expect(outputFileAction.data.safeParse({ path: 'x', mode: 'append' }).success).toBe(false);
  });

  it('refuses the same escapes at run time too (data that skipped validation)', async () => {
    const projectDir = await tempDir();
    const { context } = await runWith(outputFileAction, { projectDir, data: { path: 'ok.txt' }, input: 'x' });
    await expect(outputFileAction.run({ ...context, data: { ...context.data as object, path: '../escape.txt' } as never })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_PROJECT',
    });
  });

  it('refuses a symlinked folder that leads out of the project', async () => {
    const projectDir = await tempDir();
    const outside = await tempDir();
    await symlink(outside, path.join(projectDir, 'link'));
    await expect(runWith(outputFileAction, { projectDir, data: { path: 'link/stolen.txt' }, input: 'x' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_PROJECT',
      retryable: false,
    });
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a symlinked file that points out of the project, and a dangling one', async () => {
    const projectDir = await tempDir();
    const outside = await tempDir();
    await writeFile(path.join(outside, 'target.txt'), 'keep');
    await symlink(path.join(outside, 'target.txt'), path.join(projectDir, 'file.txt'));
    await symlink(path.join(outside, 'nothing.txt'), path.join(projectDir, 'dangling.txt'));
    await expect(runWith(outputFileAction, { projectDir, data: { path: 'file.txt' }, input: 'x' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_PROJECT',
    });
    await expect(runWith(outputFileAction, { projectDir, data: { path: 'dangling.txt' }, input: 'x' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_PROJECT',
    });
    expect(await readFile(path.join(outside, 'target.txt'), 'utf8')).toBe('keep');
    expect(await readdir(outside)).toEqual(['target.txt']);
  });

  it('follows a symlink that stays inside the project', async () => {
    const projectDir = await tempDir();
    await mkdir(path.join(projectDir, 'real'));
    await symlink(path.join(projectDir, 'real'), path.join(projectDir, 'alias'));
    await runWith(outputFileAction, { projectDir, data: { path: 'alias/in.txt' }, input: 'x' });
    expect(await readFile(path.join(projectDir, 'real/in.txt'), 'utf8')).toBe('x');
  });
});
