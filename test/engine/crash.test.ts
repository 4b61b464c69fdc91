// Crash safety: a child process runs a workflow and is SIGKILLed at several points; resuming (here or in another
// child) must never run a journaled node again, and must end with every output right.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import { listRuns, resumeRun, runDir } from '../../src/engine/index.js';
import { crashRegistry, expectedOutputs, LAYERS, WIDTH } from '../fixtures/engine/crash-child.js';
import { repoRoot } from '../helpers/cli.js';
import { removeDir, tempDir } from './helpers.js';

const FIXTURE = path.join(repoRoot, 'test/fixtures/engine/crash-child.ts');
const TOTAL = LAYERS * WIDTH;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function child(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

function markerLines(marker: string): string[] {
  return fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').split('\n').filter(Boolean) : [];
}

/** Polls the marker file until `count` nodes are done (or the child ends first, which fails the test). */
function killAfter(proc: ChildProcess, marker: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = setInterval(() => {
      if (markerLines(marker).filter((line) => line.startsWith('done ')).length >= count) {
        clearInterval(poll);
        proc.kill('SIGKILL');
      }
    }, 1);
    proc.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the child ended before it was killed (code ${code}): ${stderr}`));
    });
  });
}

function finish(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('exit', (code) => (code === 0 ? resolve(stdout.trim()) : reject(new Error(`resume child failed (${code}): ${stderr}`))));
  });
}

async function crashAndResume(killAt: number, resumeIn: 'process' | 'child', start: 'start' | 'start-text' = 'start') {
  const project = tempDir('actiongraph-crash-');
  dirs.push(project);
  const marker = path.join(project, 'marker.txt');
  const runId = `crash-${killAt}`;
  await killAfter(child([project, marker, start, runId]), marker, killAt);

  const journal = path.join(runDir(project, runId), 'journal.jsonl');
  const before = readJournal(journal).events;
  const journaledDone = new Set(before.filter((e) => e.type === 'node.succeeded').map((e) => (e as { nodeId: string }).nodeId));
  const doneBeforeResume = new Set(markerLines(marker).filter((l) => l.startsWith('done ')).map((l) => l.slice(5)));
  expect(listRuns(project)[0]!.status).toBe('interrupted');

  let outputs: Map<string, unknown>;
  if (resumeIn === 'process') {
    const result = await resumeRun(runId, { registry: crashRegistry(marker), projectDir: project, env: {} }).done;
    expect(result.status).toBe('succeeded');
    outputs = result.outputs;
  } else {
    expect(await finish(child([project, marker, 'resume', runId]))).toBe('succeeded');
    outputs = new Map();
    for (const event of readJournal(journal).events) if (event.type === 'node.succeeded') outputs.set(event.nodeId, event.output);
  }

  const starts = new Map<string, number>();
  for (const line of markerLines(marker)) if (line.startsWith('start ')) starts.set(line.slice(6), (starts.get(line.slice(6)) ?? 0) + 1);
  // No journaled node runs twice.
  for (const id of journaledDone) expect(starts.get(id), `node ${id} ran again after being journaled`).toBe(1);
  // Every node ran, and nothing reported done before the kill is lost: all outputs are there and right.
  expect(new Map([...outputs].map(([id, value]) => [id, value]))).toEqual(expectedOutputs());
  return { journaled: journaledDone.size, doneBeforeResume: doneBeforeResume.size };
}

describe('SIGKILL in the middle of a run, then resume', () => {
  it('loses nothing and repeats no journaled node, at several kill points', async () => {
    // The middle one starts as `actiongraph run` does, from a file's text (a JSON5 comment included), kept as the copy.
    const results = await Promise.all([crashAndResume(1, 'process'), crashAndResume(13, 'child', 'start-text'), crashAndResume(27, 'process')]);
    for (const { journaled, doneBeforeResume } of results) {
      // The journal never claims more than the handlers did; a handler may finish just before the kill, unjournaled.
      expect(journaled).toBeLessThanOrEqual(doneBeforeResume);
      expect(journaled).toBeLessThan(TOTAL);
    }
    expect(results[1]!.journaled).toBeGreaterThan(0);
  });
});
