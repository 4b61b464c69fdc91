import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionGraphError, GraphParseError, GraphValidationError } from '../../src/errors.js';
import { loadWorkflowFile, writeFileAtomic, writeFileAtomicSync, writeWorkflowFile } from '../../src/graph/file.js';
import { checkWorkflowFile, checkWorkflowText, formatProblem } from '../../src/graph/check-file.js';
import { catalog } from './helpers.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/graphs');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-graph-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('loadWorkflowFile', () => {
  it('loads a JSON5 file with comments, keeping node order', async () => {
    const { workflow, text } = await loadWorkflowFile(path.join(fixtures, 'branching.json'));
    expect([...workflow.nodes.keys()]).toEqual(['10', '2', '3', '4']);
    expect(workflow.extra.get('x-editor')).toEqual({ zoom: 2 });
    expect(text).toContain('// A branching workflow');
  });

  it('says FILE_NOT_FOUND, FILE_UNREADABLE and PARSE_SYNTAX', async () => {
    const missing = await thrown(loadWorkflowFile(path.join(dir, 'nope.json')));
    expect(missing).toBeInstanceOf(GraphParseError);
    expect((missing as GraphParseError).code).toBe('FILE_NOT_FOUND');
    const folder = await thrown(loadWorkflowFile(dir));
    expect((folder as GraphParseError).code).toBe('FILE_UNREADABLE');
    const syntax = (await thrown(loadWorkflowFile(path.join(fixtures, 'syntax-error.json')))) as GraphParseError;
    expect([syntax.code, syntax.line, syntax.column]).toEqual(['PARSE_SYNTAX', 4, 5]);
  });

  it('throws GraphValidationError for shape problems, naming the file', async () => {
    const file = path.join(dir, 'shape.json');
    await writeFile(file, '{"nodes": {"a": {}}, "edges": []}');
    const error = (await thrown(loadWorkflowFile(file))) as GraphValidationError;
    expect(error).toBeInstanceOf(GraphValidationError);
    expect(error.file).toBe(file);
    expect(error.problems.map((p) => p.code)).toEqual(['NODE_ACTION_MISSING']);
  });
});

describe('writing', () => {
  it('writes a workflow that loads back equal', async () => {
    const { workflow } = await loadWorkflowFile(path.join(fixtures, 'branching.json'));
    const file = path.join(dir, 'out.json');
    await writeWorkflowFile(file, workflow);
    expect((await loadWorkflowFile(file)).workflow).toEqual(workflow);
    expect(await readdir(dir)).toEqual(['out.json']);
  });

  it('replaces a file atomically, keeping its permissions and leaving no temp files', async () => {
    const file = path.join(dir, 'g.json');
    await writeFile(file, 'old');
    await chmod(file, 0o600);
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['g.json']);
  });

  it('fails with FILE_WRITE_FAILED and cleans up when the folder is missing or the target is a folder', async () => {
    const missing = await thrown(writeFileAtomic(path.join(dir, 'no/such/dir/g.json'), 'x'));
    expect(missing).toBeInstanceOf(ActionGraphError);
    expect((missing as ActionGraphError).code).toBe('FILE_WRITE_FAILED');
    await mkdir(path.join(dir, 'taken'));
    const folder = await thrown(writeFileAtomic(path.join(dir, 'taken'), 'x'));
    expect((folder as ActionGraphError).code).toBe('FILE_WRITE_FAILED');
    expect(await readdir(dir)).toEqual(['taken']);
  });
});

describe('writeFileAtomic options, and the sync variant', () => {
  it('overwrite: false keeps an existing file and fails with FILE_EXISTS; of racing writers exactly one wins', async () => {
    const file = path.join(dir, 'once.txt');
    await writeFile(file, 'first');
    const refused = await thrown(writeFileAtomic(file, 'second', { overwrite: false }));
    expect(refused).toBeInstanceOf(ActionGraphError);
    expect((refused as ActionGraphError).code).toBe('FILE_EXISTS');
    expect(await readFile(file, 'utf8')).toBe('first');

    const raced = path.join(dir, 'raced.txt');
    const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((text) => writeFileAtomic(raced, text, { overwrite: false })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as ActionGraphError).code)).toEqual([
      'FILE_EXISTS',
      'FILE_EXISTS',
      'FILE_EXISTS',
    ]);
    expect(['a', 'b', 'c', 'd']).toContain(await readFile(raced, 'utf8'));
    expect((await readdir(dir)).sort()).toEqual(['once.txt', 'raced.txt']);
  });

  it('createFolders makes missing parents; bytes are written as given', async () => {
    const file = path.join(dir, 'deep/er/bytes.bin');
    await writeFileAtomic(file, new Uint8Array([0, 255, 10]), { createFolders: true, overwrite: false });
    expect([...(await readFile(file))]).toEqual([0, 255, 10]);
  });

  it('writeFileAtomicSync replaces a file keeping its permissions, and fails like the async one', async () => {
    const file = path.join(dir, 'meta.json');
    await writeFile(file, 'old');
    await chmod(file, 0o600);
    writeFileAtomicSync(file, 'new ü');
    expect(await readFile(file, 'utf8')).toBe('new ü');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(() => writeFileAtomicSync(path.join(dir, 'no/such/meta.json'), 'x')).toThrow(expect.objectContaining({ code: 'FILE_WRITE_FAILED' }));
    await mkdir(path.join(dir, 'taken'));
    expect(() => writeFileAtomicSync(path.join(dir, 'taken'), 'x')).toThrow(expect.objectContaining({ code: 'FILE_WRITE_FAILED' }));
    expect((await readdir(dir)).sort()).toEqual(['meta.json', 'taken']);
  });
});

describe('checkWorkflowFile', () => {
  it('reports every problem with its line and column, in file order', async () => {
    const report = await checkWorkflowFile(path.join(fixtures, 'invalid.json'), { catalog, display: 'invalid.json' });
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['ACTION_UNKNOWN', 4, 12],
      ['UNKNOWN_FIELD', 5, 40],
      ['NODE_ISOLATED', 6, 5],
      ['EDGE_DANGLING', 11, 20],
      ['GRAPH_CYCLE', 12, 5],
    ]);
    expect(formatProblem(report.file, report.problems[0]!)).toBe(
      'invalid.json:4:12: node "2": unknown action "confirm.edti" (did you mean "confirm.edit"?)',
    );
    expect(formatProblem(report.file, report.problems[2]!)).toMatch(/^invalid\.json:6:5: warning: node "lonely"/u);
  });

  it('turns read and syntax errors into one problem', async () => {
    const missing = await checkWorkflowFile(path.join(dir, 'none.json'), { display: 'none.json' });
    expect(missing.problems.map((p) => [p.code, p.line])).toEqual([['FILE_NOT_FOUND', undefined]]);
    expect(formatProblem('none.json', missing.problems[0]!)).toBe('none.json: no such workflow file');
    const syntax = checkWorkflowText('{"nodes": {,}}', 'x.json');
    expect(syntax.problems.map((p) => [p.code, p.line, p.column])).toEqual([['PARSE_SYNTAX', 1, 12]]);
    expect(syntax.workflow).toBeUndefined();
  });

  it('counts a file with warnings only as valid', () => {
    const report = checkWorkflowText('{"nodes": {"a": {"action": "x.y"}, "b": {"action": "x.y"}}, "edges": []}', 'w.json');
    expect(report.valid).toBe(true);
    expect(report.problems.map((p) => p.severity)).toEqual(['warning', 'warning']);
  });
});
