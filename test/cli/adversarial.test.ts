// The CLI against hostile input: files that are missing, folders, empty, not UTF-8 or not workflows; bad flag
// values; broken config files; output paths that cannot work; corrupted run folders; a reader that closes stdout.
// Each must end in one clear line on stderr that says where and what, exit 2, and no file written or changed.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { reportError } from '../../src/cli/main.js';
import { type CliResult, repoRoot, runInProcess, runSubprocess } from '../helpers/cli.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-adversarial-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[]): Promise<CliResult> => runInProcess(args, { cwd: dir });
const write = (name: string, content: string | Uint8Array): Promise<void> => writeFile(path.join(dir, name), content);

/** Exit 2, exactly one line on stderr, no stack trace, and the temp folder's path nowhere in it. */
function expectOneLineError(result: CliResult): string {
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /u);
  expect(result.stderr).not.toContain(dir);
  return lines[0]!;
}

const hello = JSON.stringify({ nodes: { a: { action: 'input.text', data: 'hi' }, b: { action: 'output.console' } }, edges: [{ from: 'a', to: 'b' }] }, null, 2);

describe('workflow files that cannot be used', () => {
  it('run, show and edit name a missing file or a folder as typed, not by its absolute path', async () => {
    await mkdir(path.join(dir, 'graphs'));
    for (const args of [['run', 'nope.json'], ['show', 'nope.json'], ['edit', 'nope.json', 'remove node 1', '--yes']]) {
      expect(expectOneLineError(await cli(args))).toBe('actiongraph: nope.json: no such workflow file');
    }
    for (const args of [['run', 'graphs'], ['edit', 'graphs', 'remove node 1', '--yes']]) {
      expect(expectOneLineError(await cli(args))).toBe('actiongraph: graphs: cannot read the workflow file: it is a folder');
    }
  });

  it('run reports a file that is not a workflow exactly as validate does, located, without an empty "at"', async () => {
    await write('list.json', '[1, 2]');
    await write('shape.json', '{"nodes": {"1": {}}, "edges": []}');
    for (const file of ['list.json', 'shape.json']) {
      const validate = await cli(['validate', file]);
      const run = await cli(['run', file, '--yes']);
      expect(expectOneLineError(run)).toBe(expectOneLineError(validate));
      expect(run.stderr).toMatch(new RegExp(`^${file.replace('.', '\\.')}:1:\\d+: `, 'u'));
      expect(run.stderr).not.toContain(' at ]');
    }
  });

  it('show draws nothing for a file that is not a workflow at all', async () => {
    await write('number.json', '42');
    for (const format of ['ascii', 'json']) {
      const result = await cli(['show', 'number.json', '--format', format]);
      expect(expectOneLineError(result)).toMatch(/^number\.json:1:1: a workflow file must be an object/u);
      expect(result.stdout).toBe('');
    }
  });

  it('refuses a file that is not UTF-8 at the first bad byte, everywhere, and edit leaves it as it was', async () => {
    // A genuine U+FFFD (EF BF BD) first: only the 0xFF after it is invalid.
    const bytes = Buffer.concat([
      Buffer.from('{"nodes": {"1": {"action": "input.text",\n  "data": "ok \xef\xbf\xbd then ', 'latin1'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}, "edges": []}'),
    ]);
    await write('latin.json', bytes);
    const where = 'latin.json:2:22: not UTF-8 text (byte 0xff)';
    expect(expectOneLineError(await cli(['validate', 'latin.json']))).toContain(where);
    expect(expectOneLineError(await cli(['run', 'latin.json', '--yes']))).toContain(where);
    expect(expectOneLineError(await cli(['show', 'latin.json']))).toContain(where);
    expect(expectOneLineError(await cli(['edit', 'latin.json', 'remove node 1', '--yes']))).toContain(where);
    expect(Buffer.compare(await readFile(path.join(dir, 'latin.json')), bytes)).toBe(0);
  });

  it('a file that merely contains U+FFFD is valid UTF-8', async () => {
    await write('ok.json', JSON.stringify({ nodes: { a: { action: 'input.text', data: 'x \uFFFD y' } }, edges: [] }));
    const result = await cli(['validate', 'ok.json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('flag values', () => {
  it('--concurrency and --width take plain whole numbers only', async () => {
    await write('hello.json', hello);
    for (const value of ['1e3', '0x10', ' 8', '2.0', 'abc']) {
      expect(expectOneLineError(await cli(['run', 'hello.json', '--yes', '--concurrency', value]))).toContain(
        `--concurrency ${value}: expected a whole number`,
      );
    }
    expect(expectOneLineError(await cli(['show', 'hello.json', '--width', '1e2']))).toContain('--width 1e2: expected a whole number');
    expect((await cli(['run', 'hello.json', '--yes', '--concurrency', '8'])).code).toBe(0);
  });

  it('`new` without a kind, or with an unknown one, says what to type; `help nope` is a usage error', async () => {
    expect(expectOneLineError(await cli(['new']))).toBe('actiongraph: say what to create: actiongraph new action <namespace.name>');
    expect(expectOneLineError(await cli(['new', 'widget']))).toContain('cannot create "widget", only an action');
    expect((await cli(['help', 'nope'])).code).toBe(2);
    expect((await cli(['help', 'run'])).code).toBe(0);
  });
});

describe('a broken actiongraph.config.json', () => {
  const cases: [string, string, RegExp][] = [
    ['syntax error', '{ "concurrency": ', /^actiongraph: actiongraph\.config\.json:1:18: invalid end of input$/u],
    ['empty file', '  \n', /: the file is empty: write \{\} \(or delete the file\) for the defaults$/u],
    ['a list', '[]', /^actiongraph: actiongraph\.config\.json: expected an object of settings, .* not a list$/u],
    ['null', 'null', /: expected an object of settings, .* not null$/u],
    ['a typo in a key', '{\n  "model": "x",\n  "plugin": []\n}', /^actiongraph: actiongraph\.config\.json:3:3: unknown setting "plugin" \(did you mean "plugins"\?\) \(the settings are .*concurrency/u],
    ['several wrong types', '{"concurrency": "8", "approval": "maybe"}', /^actiongraph: actiongraph\.config\.json:1:2: concurrency: .*; approval: .*"write"/u],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name}: one line that says where and what, exit 2`, async () => {
      await write('actiongraph.config.json', text);
      await write('hello.json', hello);
      expect(expectOneLineError(await cli(['validate', 'hello.json']))).toMatch(expected);
    });
  }

  it('a folder in its place', async () => {
    await mkdir(path.join(dir, 'actiongraph.config.json'));
    expect(expectOneLineError(await cli(['actions']))).toBe('actiongraph: actiongraph.config.json: cannot read: it is a folder');
  });
});

describe('output paths that cannot work are refused before anything is done', () => {
  beforeEach(async () => {
    await mkdir(path.join(dir, 'graphs'));
    await write('notes.md', 'notes');
  });

  it('schema -o: empty, a folder, a missing folder, a file used as a folder', async () => {
    const cases: [string, string][] = [
      ['', 'actiongraph: -o "": cannot write: the file name is empty'],
      ['graphs', 'actiongraph: -o graphs: cannot write: it is a folder; give a file name'],
      ['missing/s.json', 'actiongraph: -o missing/s.json: cannot write: the folder missing does not exist'],
      ['notes.md/s.json', 'actiongraph: -o notes.md/s.json: cannot write: notes.md is a file, not a folder'],
    ];
    for (const [output, message] of cases) expect(expectOneLineError(await cli(['schema', '-o', output]))).toBe(message);
    expect((await readdir(dir)).sort()).toEqual(['graphs', 'notes.md']);
  });

  it('generate -o a folder (even with --force) or under a file: exit 2, not an unexpected error', async () => {
    for (const args of [['-o', 'graphs', '--force'], ['-o', 'notes.md/g.json', '--force'], ['-o', '']]) {
      const result = await cli(['generate', 'print hello', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^actiongraph: -o .*: cannot write: /mu);
      expect(result.stderr).not.toContain('unexpected error');
    }
    expect((await readdir(dir)).sort()).toEqual(['graphs', 'notes.md']);
    expect(await readdir(path.join(dir, 'graphs'))).toEqual([]);
  });

  it('new action --dir naming a file', async () => {
    expect(expectOneLineError(await cli(['new', 'action', 'foo.bar', '--dir', 'notes.md']))).toBe(
      'actiongraph: --dir notes.md: it is a file, not a folder',
    );
  });

  it('edit prints an undo line that can be pasted, for a path with a space', async () => {
    await mkdir(path.join(dir, 'my graphs'));
    await write('my graphs/ü.json', hello);
    const result = await cli(['edit', 'my graphs/ü.json', 'remove node b', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("(undo with: actiongraph undo 'my graphs/ü.json')");
    expect((await cli(['undo', 'my graphs/ü.json'])).code).toBe(0);
    expect(await readFile(path.join(dir, 'my graphs/ü.json'), 'utf8')).toBe(hello);
  });
});

describe('corrupted run folders', () => {
  async function startedRun(): Promise<string> {
    await write('hello.json', hello);
    const result = await cli(['run', 'hello.json', '--json']);
    expect(result.code).toBe(0);
    return (JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { runId: string }).runId;
  }

  for (const [name, meta] of [
    ['null', 'null'],
    ['a list', '[]'],
    ['wrong types', '{"runId": 5, "status": {}, "createdAt": 7}'],
  ] as const) {
    it(`run.json that is ${name}: runs and resume name the file instead of crashing`, async () => {
      const good = await startedRun();
      await mkdir(path.join(dir, '.actiongraph/runs/bad-run'));
      await write('.actiongraph/runs/bad-run/run.json', meta);
      const where = '.actiongraph/runs/bad-run/run.json: not a run record';
      const runs = await cli(['runs']);
      expect(runs.stderr).toContain(where);
      expect(runs.stderr).not.toContain('unexpected error');
      // The bad one is skipped with a warning; the others are still listed.
      expect(runs).toMatchObject({ code: 0, stdout: expect.stringContaining(good) });
      expect(runs.stdout).not.toContain('bad-run');
      expect(expectOneLineError(await cli(['resume', 'bad-run', '--yes']))).toMatch(new RegExp(`^actiongraph: ${where.replaceAll('.', '\\.')} \\(.+\\)$`, 'u'));
    });
  }
});

describe('run folders that are not runs', () => {
  it('resume names a folder without run.json, and a run.json copied from another run', async () => {
    await mkdir(path.join(dir, '.actiongraph/runs/empty'), { recursive: true });
    expect(expectOneLineError(await cli(['resume', 'empty']))).toBe('actiongraph: .actiongraph/runs/empty: not a run folder (it has no run.json)');
    await write('hello.json', hello);
    const result = await cli(['run', 'hello.json', '--json']);
    const runId = (JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { runId: string }).runId;
    await writeFile(path.join(dir, '.actiongraph/runs/empty/run.json'), await readFile(path.join(dir, '.actiongraph/runs', runId, 'run.json')));
    expect(expectOneLineError(await cli(['resume', 'empty']))).toContain(`not a run record (its runId "${runId}" is not its folder's name "empty")`);
  });
});

describe('help', () => {
  it('every command explains itself with an example', async () => {
    for (const command of ['run', 'resume', 'runs', 'validate', 'show', 'schema', 'generate', 'edit', 'undo', 'actions', 'new', 'new action']) {
      const result = await cli([...command.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout, command).toMatch(/\nExamples?:\n {2}\$ actiongraph /u);
    }
  });
});

describe('errors from the file system', () => {
  it('an errno error that escapes a module is one line with the path, exit 2', () => {
    let stderr = '';
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const io: CliIO = { stdout: new PassThrough(), stderr: sink, stdin: new PassThrough(), cwd: dir, env: {}, exitCode: 0, debug: false };
    const error = Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR', path: path.join(dir, 'graphs'), syscall: 'read' });
    expect(reportError(error, io)).toBe(2);
    expect(stderr).toBe('actiongraph: graphs: it is a folder, not a file [EISDIR]\n');
  });
});

describe('a reader that closes stdout early', () => {
  it('does not cut the run short: it finishes, and the exit code is the run\'s', async () => {
    // The delay only orders events: the pipe is closed while node "b" waits, before the rest is printed.
    const slow = { nodes: { a: { action: 'input.text', data: 'hi' }, b: { action: 'control.delay', data: { ms: 300 } }, c: { action: 'output.console' } }, edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }] };
    await write('slow.json', JSON.stringify(slow));
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/actiongraph.js'), 'run', 'slow.json', '--json'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const runs = JSON.parse((await runSubprocess(['runs', '--json'], { cwd: dir })).stdout) as { status: string }[];
    expect(runs.map((run) => run.status)).toEqual(['succeeded']);
  });
});
