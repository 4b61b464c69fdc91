// The journal and resume, in process: what a run folder holds, torn lines, group commit, resuming runs that
// waited, were cancelled or failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineAction } from '../../src/actions/define.js';
import { JournalWriter, readJournal } from '../../src/engine/journal.js';
import { listRuns, readJournal as publicReadJournal, resumeRun, runDir, startRun, type RunEvent } from '../../src/engine/index.js';
import { asker, echo, gated, leaky, recorder } from './actions.js';
import { hashOf } from '../../src/engine/run-store.js';
import { parseWorkflow, serializeWorkflow } from '../../src/graph/parse.js';
import type { WorkflowNode } from '../../src/graph/schema.js';
import { chain, flush, registryOf, removeDir, tempDir, workflow } from './helpers.js';

let project: string;
beforeEach(() => {
  project = tempDir();
});
afterEach(() => {
  removeDir(project);
});

function journalOf(runId: string): RunEvent[] {
  return readJournal(path.join(runDir(project, runId), 'journal.jsonl')).events;
}

describe('the run folder', () => {
  it('holds the journal, a copy of the workflow and run.json; the lock is gone when the run ends', async () => {
    const handle = startRun({ workflow: chain(3, 't.echo'), registry: registryOf(echo), projectDir: project, file: 'graphs/c.json', env: {} });
    const result = await handle.done;
    const dir = runDir(project, handle.runId);
    expect(fs.readdirSync(dir).sort()).toEqual(['journal.jsonl', 'run.json', 'workflow.json']);
    const events = journalOf(handle.runId);
    expect(events[0]).toMatchObject({ type: 'run.started', runId: handle.runId, nodes: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    expect(events.filter((e) => e.type === 'node.succeeded')).toHaveLength(3);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'workflow.json'), 'utf8'))).toMatchObject({ nodes: { '1': { action: 't.echo' } } });
    expect(listRuns(project)).toEqual([expect.objectContaining({ runId: handle.runId, status: 'succeeded', file: 'graphs/c.json', nodes: 3 })]);
    expect(result.status).toBe('succeeded');
    expect(handle.journalStats!.syncs).toBeGreaterThanOrEqual(1);
  });

  it('refuses to start a run under the id of an existing one', async () => {
    await startRun({ workflow: chain(1, 't.echo'), registry: registryOf(echo), projectDir: project, env: {}, runId: 'mine' }).done;
    expect(() => startRun({ workflow: chain(1, 't.echo'), registry: registryOf(echo), projectDir: project, env: {}, runId: 'mine' })).toThrow(
      expect.objectContaining({ code: 'RUN_EXISTS', exitCode: 2 }),
    );
    expect(listRuns(project)).toHaveLength(1);
  });

  it('run ids sort by start time', async () => {
    const first = startRun({ workflow: chain(1, 't.echo'), registry: registryOf(echo), projectDir: project, env: {} });
    await first.done;
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = startRun({ workflow: chain(1, 't.echo'), registry: registryOf(echo), projectDir: project, env: {} });
    await second.done;
    expect(first.runId < second.runId).toBe(true);
    expect(listRuns(project).map((run) => run.runId)).toEqual([first.runId, second.runId]);
  });

  it('writes a node\'s journal lines to the OS before its successors start', async () => {
    let seenByB = '';
    const reader = defineAction({
      name: 't.reader',
      description: 'reads the journal',
      run: ({ run }) => {
        seenByB = fs.readFileSync(path.join(runDir(project, run.id), 'journal.jsonl'), 'utf8');
        return 'b';
      },
    });
    const wf = workflow({ a: { action: 't.echo', data: 'A' }, b: { action: 't.reader' } }, [{ from: 'a', to: 'b' }]);
    await startRun({ workflow: wf, registry: registryOf(echo, reader), projectDir: project, env: {} }).done;
    expect(seenByB).toContain('"type":"node.succeeded","t":');
    expect(seenByB).toMatch(/"nodeId":"a".*"output":"A"/u);
  });

  it('batches completions: far fewer write calls than lines on a wide graph', async () => {
    const nodes = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`n${i}`, { action: 't.echo', data: i }]));
    const handle = startRun({ workflow: workflow(nodes), registry: registryOf(echo), projectDir: project, env: {} });
    await handle.done;
    const stats = handle.journalStats!;
    expect(stats.lines).toBe(1002);
    expect(stats.writes).toBeLessThan(100);
  });

  it('redacts secrets in the journal', async () => {
    const handle = startRun({ workflow: workflow({ l: { action: 't.leaky' } }), registry: registryOf(leaky), projectDir: project, env: { LEAKY_TOKEN: 'tok-12345' } });
    await handle.done;
    const text = fs.readFileSync(path.join(runDir(project, handle.runId), 'journal.jsonl'), 'utf8');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('tok-12345');
  });

  it('an output the journal cannot hold fails the node (OUTPUT_NOT_JSON), for good', async () => {
    const big = defineAction({ name: 't.big', description: 'bigint', run: () => ({ n: 10n }) });
    const wf = workflow({ b: { action: 't.big', retry: { attempts: 3, backoffMs: 0 } } });
    const result = await startRun({ workflow: wf, registry: registryOf(big), projectDir: project, env: {} }).done;
    expect(result.failures[0]).toMatchObject({ nodeId: 'b', error: { code: 'OUTPUT_NOT_JSON', retryable: false } });
  });

  it('log fields JSON cannot hold are journaled as text instead of failing the handler', async () => {
    const logs = defineAction({
      name: 't.logs',
      description: 'logs odd values',
      run: ({ log }) => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        log.info('odd', { big: 1n, cyclic });
        return 'ok';
      },
    });
    const handle = startRun({ workflow: workflow({ l: { action: 't.logs' } }), registry: registryOf(logs), projectDir: project, env: {} });
    expect((await handle.done).status).toBe('succeeded');
    expect(journalOf(handle.runId).find((e) => e.type === 'node.log')).toMatchObject({ fields: { big: '1', cyclic: { self: '[circular]' } } });
  });
});

describe('reading journals', () => {
  it('tolerates a torn last line and refuses a corrupt one in the middle', () => {
    const file = path.join(project, 'j.jsonl');
    fs.writeFileSync(file, '{"type":"run.started","t":1}\n{"type":"node.started","t":2}\n{"type":"node.succ');
    const contents = readJournal(file);
    expect(contents.events.map((e) => e.type)).toEqual(['run.started', 'node.started']);
    expect(contents.tornBytes).toBe('{"type":"node.succ'.length);
    fs.writeFileSync(file, '{"type":"run.started","t":1}\nnot json\n{"type":"node.started","t":2}\n');
    expect(() => publicReadJournal(file)).toThrow(expect.objectContaining({ code: 'JOURNAL_CORRUPT', message: expect.stringContaining('j.jsonl:2') }));
  });

  it('the hand-built lines of node events are exactly JSON.stringify of the event, odd ids, names and numbers included', async () => {
    const file = path.join(project, 'prop.jsonl');
    const text = fc.string({ unit: 'binary', maxLength: 12 }); // lone surrogates, control characters, quotes, astral
    const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e21, -0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53 + 2));
    const output = fc.oneof(fc.constant(undefined), fc.jsonValue(), text, fc.constant(() => 1), fc.dictionary(text, fc.jsonValue(), { maxKeys: 3 }));
    const writer = new JournalWriter(file, { sync: false });
    fc.assert(
      fc.property(text, text, output, fc.boolean(), number, number, number, (nodeId, action, value, sampled, t, attempt, ms) => {
        const before = fs.statSync(file).size;
        const started: RunEvent = { type: 'node.started', t, nodeId, action, attempt };
        const succeeded: RunEvent = { type: 'node.succeeded', t, nodeId, action, attempt, ms, output: value, ...(sampled ? { sampled: true as const } : {}) };
        writer.append(started);
        writer.append(succeeded);
        writer.commit();
        const written = fs.readFileSync(file).subarray(before).toString('utf8');
        expect(written).toBe(`${JSON.stringify(started)}\n${JSON.stringify(succeeded)}\n`);
        expect(written.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
          JSON.parse(JSON.stringify(started)),
          JSON.parse(JSON.stringify(succeeded)),
        ]);
      }),
      { numRuns: 300 },
    );
    await writer.close();
  });

  it('writes big multi-byte batches whole (encoded in parts as they grow past 16M characters)', async () => {
    const file = path.join(project, 'big.jsonl');
    const writer = new JournalWriter(file, { sync: false });
    const output = '😀é\u2028"'.repeat(1_500_000);
    for (let n = 0; n < 3; n++) writer.append({ type: 'node.succeeded', t: n, nodeId: `n${n}`, action: 'a.b', attempt: 1, ms: 0, output });
    writer.commit();
    writer.append({ type: 'node.started', t: 9, nodeId: 'last', action: 'a.b', attempt: 1 });
    await writer.close();
    const { events, tornBytes } = readJournal(file);
    expect(tornBytes).toBe(0);
    expect(events.map((e) => (e.type === 'node.succeeded' ? e.output : e.type))).toEqual([output, output, output, 'node.started']);
    expect(writer.stats).toMatchObject({ lines: 4, writes: 2, bytes: fs.statSync(file).size });
  });
});

describe('background syncs', () => {
  it('starts another fdatasync after every few MB even when the event loop never turns, so close() has little left', async () => {
    const writer = new JournalWriter(path.join(project, 'sync.jsonl'));
    const output = 'x'.repeat(1 << 20);
    // Ten 1 MB commits in one synchronous stretch: no sync can report back in between.
    for (let n = 0; n < 10; n++) {
      writer.append({ type: 'node.succeeded', t: n, nodeId: String(n), action: 'a.b', attempt: 1, ms: 0, output });
      writer.commit();
    }
    // The first commit's sync, then one per 4 MB written while it is (as far as we can tell) in flight.
    expect(writer.stats.syncs).toBe(3);
    await writer.close();
    expect(writer.stats.syncs).toBe(4);
    expect(readJournal(writer.file).events).toHaveLength(10);
  });
});

describe('resume', () => {
  it('continues a run that stopped for input; earlier nodes keep their outputs and do not run again', async () => {
    const { action, calls } = recorder();
    const wf = workflow({ a: { action: 't.record', data: 'A' }, q: { action: 't.ask', data: { message: 'ok?' } }, z: { action: 't.record' } }, [
      { from: 'a', to: 'q' },
      { from: 'q', to: 'z' },
    ]);
    const registry = registryOf(action, asker);
    const first = startRun({ workflow: wf, registry, projectDir: project, env: {} });
    expect((await first.done).status).toBe('waiting');
    expect(listRuns(project)[0]!.status).toBe('waiting');
    expect(calls.map((c) => c.nodeId)).toEqual(['a']);

    const second = resumeRun(first.runId, { registry, projectDir: project, env: {}, answers: { q: 'yes please' } });
    const result = await second.done;
    expect(result.status).toBe('succeeded');
    expect(calls.map((c) => c.nodeId)).toEqual(['a', 'z']);
    expect(result.outputs.get('a')).toBe('A');
    expect(calls[1]!.input).toEqual({ answer: 'yes please' });
    expect(calls[1]!.key).toBe(`${first.runId}:z`);
    const events = journalOf(first.runId);
    expect(events.filter((e) => e.type === 'run.started').map((e) => (e as { resumes: number }).resumes)).toEqual([0, 1]);
    expect(listRuns(project)[0]).toMatchObject({ status: 'succeeded', resumes: 1 });
  });

  it('does not ask again for an answer the journal already has', async () => {
    const ask2 = workflow({ q: { action: 't.ask', data: { twice: true } } });
    const registry = registryOf(asker);
    const first = startRun({ workflow: ask2, registry, projectDir: project, env: {}, answers: { q: 'one' } });
    expect((await first.done).waiting).toMatchObject([{ nodeId: 'q', index: 1 }]);
    const result = await resumeRun(first.runId, { registry, projectDir: project, env: {}, answers: { q: 'two' } }).done;
    expect(result.outputs.get('q')).toEqual({ answer: 'one', second: 'two' });
  });

  it('continues a cancelled run: the node that was running runs again, succeeded ones do not', async () => {
    const gate = gated();
    const { action, calls } = recorder();
    const wf = workflow({ a: { action: 't.record', data: 'A' }, g: { action: 't.gate' }, z: { action: 't.record' } }, [
      { from: 'a', to: 'g' },
      { from: 'g', to: 'z' },
    ]);
    const registry = registryOf(action, gate.action);
    const first = startRun({ workflow: wf, registry, projectDir: project, env: {} });
    await flush();
    await flush();
    expect(gate.started).toEqual(['g']);
    first.cancel('interrupted');
    expect((await first.done).status).toBe('cancelled');
    expect(listRuns(project)[0]!.status).toBe('cancelled');

    const second = resumeRun(first.runId, { registry, projectDir: project, env: {} });
    await flush();
    await flush();
    expect(gate.started).toEqual(['g', 'g']);
    gate.open('g', 'G');
    const result = await second.done;
    expect(result.status).toBe('succeeded');
    expect(calls.map((c) => c.nodeId)).toEqual(['a', 'z']);
    expect(result.outputs.get('z')).toEqual({ from: 'z' });
    expect(calls[1]!.input).toBe('G');
  });

  it('continues a failed run from the failed node', async () => {
    let healthy = false;
    const sometimes = defineAction({
      name: 't.sometimes',
      description: 'fails until healthy',
      run: () => {
        if (!healthy) throw new Error('down');
        return 'up';
      },
    });
    const { action, calls } = recorder();
    const wf = workflow({ a: { action: 't.record', data: 'A' }, s: { action: 't.sometimes' } }, [{ from: 'a', to: 's' }]);
    const registry = registryOf(action, sometimes);
    const first = startRun({ workflow: wf, registry, projectDir: project, env: {} });
    expect((await first.done).status).toBe('failed');
    healthy = true;
    const result = await resumeRun(first.runId, { registry, projectDir: project, env: {} }).done;
    expect(result.status).toBe('succeeded');
    expect(calls).toHaveLength(1);
  });

  it('refuses: a succeeded run, an unknown run, a run another live process holds, a changed workflow copy', async () => {
    const registry = registryOf(echo);
    const done = startRun({ workflow: chain(2, 't.echo'), registry, projectDir: project, env: {} });
    await done.done;
    expect(() => resumeRun(done.runId, { registry, projectDir: project })).toThrow(expect.objectContaining({ code: 'RUN_FINISHED', exitCode: 2 }));
    expect(() => resumeRun(`${done.runId}x`, { registry, projectDir: project })).toThrow(
      expect.objectContaining({ code: 'RUN_NOT_FOUND', message: expect.stringContaining(`did you mean "${done.runId}"`) }),
    );
    expect(() => resumeRun('../../etc', { registry, projectDir: project })).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));

    const gate = gated();
    const live = startRun({ workflow: workflow({ g: { action: 't.gate' } }), registry: registryOf(gate.action), projectDir: project, env: {} });
    await flush();
    expect(() => resumeRun(live.runId, { registry: registryOf(gate.action), projectDir: project })).toThrow(expect.objectContaining({ code: 'RUN_LOCKED' }));
    live.cancel();
    await live.done;

    const copy = path.join(runDir(project, live.runId), 'workflow.json');
    fs.appendFileSync(copy, ' ');
    expect(() => resumeRun(live.runId, { registry: registryOf(gate.action), projectDir: project })).toThrow(
      expect.objectContaining({ code: 'WORKFLOW_CHANGED' }),
    );
    // A refused resume leaves no lock behind.
    expect(fs.existsSync(path.join(runDir(project, live.runId), 'lock'))).toBe(false);
  });

  it('keeps the file text it was given as the copy, verbatim (JSON5 too), and resumes from it in file order', async () => {
    const gate = gated();
    const { action, calls } = recorder();
    const text = [
      '// a comment, trailing commas, and ids an object would reorder',
      '{',
      '  nodes: {',
      '    "10": { action: "t.record", data: "ten" },',
      '    "2": { action: "t.record", data: "two" },',
      '    "__proto__": { action: "t.gate" },',
      '  },',
      '  edges: [{ from: "10", to: "__proto__" }, { from: "2", to: "__proto__" },],',
      '}',
      '',
    ].join('\n');
    const registry = registryOf(action, gate.action);
    const first = startRun({ workflow: parseWorkflow(text), workflowText: text, registry, projectDir: project, env: {} });
    await flush();
    first.cancel('interrupted');
    await first.done;
    expect(fs.readFileSync(path.join(runDir(project, first.runId), 'workflow.json'), 'utf8')).toBe(text);

    const second = resumeRun(first.runId, { registry, projectDir: project, env: {} });
    await flush();
    gate.open('__proto__', 'done');
    const result = await second.done;
    expect(result.status).toBe('succeeded');
    expect([...result.outputs.keys()]).toEqual(['10', '2', '__proto__']);
    expect(calls.map((c) => c.nodeId)).toEqual(['10', '2']);
    expect(gate.started).toEqual(['__proto__', '__proto__']);
  });

  it('serializes a big workflow built in code compactly, and resumes it in its own node order', async () => {
    const { action, calls } = recorder();
    const gate = gated();
    // Ids in an order a plain object would not keep, and more nodes than the indented copy allows.
    const ids = Array.from({ length: 600 }, (_, i) => String(600 - i));
    const wf = workflow(
      [...ids.map((id): [string, WorkflowNode] => [id, { action: 't.record' }]), ['end', { action: 't.gate' }]],
      [{ from: '1', to: 'end' }],
    );
    const registry = registryOf(action, gate.action);
    const first = startRun({ workflow: wf, registry, projectDir: project, env: {} });
    await flush();
    first.cancel('interrupted');
    await first.done;
    const copy = fs.readFileSync(path.join(runDir(project, first.runId), 'workflow.json'), 'utf8');
    expect(copy.trimEnd()).not.toContain('\n');
    expect(copy).toBe(serializeWorkflow(wf, { compact: true }));

    const second = resumeRun(first.runId, { registry, projectDir: project, env: {} });
    await flush();
    gate.open('end');
    const result = await second.done;
    expect([...result.outputs.keys()]).toEqual([...ids, 'end']);
    expect(calls).toHaveLength(600);
  });

  it('refuses a copy that is not a workflow (RUN_CORRUPT, saying where)', async () => {
    const gate = gated();
    const run = startRun({ workflow: workflow({ g: { action: 't.gate' } }), registry: registryOf(gate.action), projectDir: project, env: {} });
    await flush();
    run.cancel();
    await run.done;
    const dir = runDir(project, run.runId);
    const broken = '{ "nodes": { "g": { "action": "t.gate" } }, "edges": [ }\n';
    fs.writeFileSync(path.join(dir, 'workflow.json'), broken);
    // Only the hash is updated: the copy passes the edit check and fails as a workflow.
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ ...meta, workflowHash: hashOf(Buffer.from(broken)) }));
    expect(() => resumeRun(run.runId, { registry: registryOf(gate.action), projectDir: project })).toThrow(
      expect.objectContaining({ code: 'RUN_CORRUPT', exitCode: 2, message: expect.stringContaining('workflow.json:1:') }),
    );
  });

  it('a lock left by a dead process is taken over, and the run shows as interrupted until then', async () => {
    const gate = gated();
    const registry = registryOf(gate.action);
    const run = startRun({ workflow: workflow({ g: { action: 't.gate' } }), registry, projectDir: project, env: {} });
    await flush();
    run.cancel();
    await run.done;
    // Simulate a crash: run.json says running and a lock names a process that is gone.
    const dir = runDir(project, run.runId);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ ...meta, status: 'running' }));
    fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname() }));
    expect(listRuns(project)[0]!.status).toBe('interrupted');
    const resumed = resumeRun(run.runId, { registry, projectDir: project });
    await flush();
    gate.open('g');
    expect((await resumed.done).status).toBe('succeeded');
  });

  it('a dry run resumes as a dry run', async () => {
    const wf = workflow({ q: { action: 't.ask' }, l: { action: 't.leaky' } }, [{ from: 'q', to: 'l' }]);
    const registry = registryOf(asker, leaky);
    const first = startRun({ workflow: wf, registry, projectDir: project, env: {}, dryRun: true });
    expect((await first.done).status).toBe('waiting');
    const result = await resumeRun(first.runId, { registry, projectDir: project, env: {}, answers: { q: 'x' } }).done;
    expect(result.status).toBe('succeeded');
    expect(result.outputs.get('l')).toEqual({ echoed: 'sample' });
  });
});
