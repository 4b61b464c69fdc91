// The approval gate: a node whose action writes to the outside world runs only after a yes (its question 0).
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { IOPort } from '../../src/actions/define.js';
import { defineAction } from '../../src/actions/define.js';
import { ActionError } from '../../src/errors.js';
import { resumeRun, startRun } from '../../src/engine/index.js';
import { echo } from './actions.js';
import { deferred, ofType, record, registryOf, removeDir, tempDir, workflow } from './helpers.js';

/** A write action that counts its calls, can fail its first attempts, and can ask a question of its own. */
function poster(options: { failFirst?: number; ask?: boolean; hold?: Promise<void> } = {}) {
  let calls = 0;
  const action = defineAction({
    name: 't.post',
    description: 'posts somewhere',
    effects: 'write',
    data: z.object({ text: z.string() }),
    run: async ({ data, io }) => {
      calls++;
      if (calls <= (options.failFirst ?? 0)) throw new ActionError('BUSY', 'try again');
      if (options.hold) await options.hold;
      const note = options.ask ? await io.ask({ kind: 'text', message: 'a note?' }) : undefined;
      return { posted: data.text, note };
    },
  });
  return {
    action,
    get calls() {
      return calls;
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('approval of write actions', () => {
  it('a headless run without an answer waits on the write node, naming it and what it would do; the rest runs', async () => {
    const p = poster();
    const wf = workflow({ a: { action: 't.echo', data: 'hello' }, post: { action: 't.post', data: { text: '{{input}}' } }, other: { action: 't.echo' } }, [
      { from: 'a', to: 'post' },
    ]);
    const handle = startRun({ workflow: wf, registry: registryOf(echo, p.action), journal: false });
    const events = record(handle);
    const result = await handle.done;
    expect(result.status).toBe('waiting');
    expect(p.calls).toBe(0);
    expect(result.outputs.has('other')).toBe(true);
    expect(result.waiting).toHaveLength(1);
    const [question] = result.waiting;
    expect(question).toMatchObject({ nodeId: 'post', index: 0, request: { kind: 'confirm', default: false } });
    expect(question!.request.message).toContain('t.post');
    expect(question!.request.message).toContain('"text":"hello"');
    expect(ofType(events, 'node.waiting').map((e) => e.nodeId)).toEqual(['post']);
  });

  it('yes runs the node; no fails it with NOT_APPROVED and is not retried', async () => {
    const yes = poster();
    const approved = await startRun({
      workflow: workflow({ post: { action: 't.post', data: { text: 'x' } } }),
      registry: registryOf(yes.action),
      journal: false,
      answers: { post: ['yes'] },
    }).done;
    expect(approved.status).toBe('succeeded');
    expect(yes.calls).toBe(1);

    const no = poster();
    const handle = startRun({
      workflow: workflow({ post: { action: 't.post', data: { text: 'x' }, retry: { attempts: 3, backoffMs: 1 } } }),
      registry: registryOf(no.action),
      journal: false,
      answers: { post: ['no'] },
    });
    const events = record(handle);
    const refused = await handle.done;
    expect(refused.status).toBe('failed');
    expect(refused.failures[0]).toMatchObject({ nodeId: 'post', error: { code: 'NOT_APPROVED' } });
    expect(ofType(events, 'node.retrying')).toHaveLength(0);
    expect(no.calls).toBe(0);
  });

  it('is asked once per node: retries reuse the approval, and the handler\'s own questions come after it', async () => {
    const p = poster({ failFirst: 2, ask: true });
    const handle = startRun({
      workflow: workflow({ post: { action: 't.post', data: { text: 'x' }, retry: { attempts: 3, backoffMs: 1 } } }),
      registry: registryOf(p.action),
      journal: false,
      answers: { post: ['yes', 'my note'] },
    });
    const events = record(handle);
    const result = await handle.done;
    expect(result.status).toBe('succeeded');
    expect(p.calls).toBe(3);
    expect(result.outputs.get('post')).toEqual({ posted: 'x', note: 'my note' });
    expect(ofType(events, 'input.answered').map((e) => [e.index, e.answer])).toEqual([
      [0, true],
      [1, 'my note'],
    ]);
  });

  it('approval "none" and dry runs never ask', async () => {
    const p = poster();
    const wf = workflow({ post: { action: 't.post', data: { text: 'x' } } });
    const trusted = startRun({ workflow: wf, registry: registryOf(p.action), journal: false, approval: 'none' });
    const trustedEvents = record(trusted);
    expect((await trusted.done).status).toBe('succeeded');
    expect(p.calls).toBe(1);
    const dry = startRun({ workflow: wf, registry: registryOf(p.action), journal: false, dryRun: true });
    const dryEvents = record(dry);
    expect((await dry.done).status).toBe('succeeded');
    expect(p.calls).toBe(1);
    expect(ofType([...trustedEvents, ...dryEvents], 'input.asked')).toHaveLength(0);
  });

  it('the node\'s timeout starts after the approval, not while a person thinks', async () => {
    const p = poster();
    const slowPerson: IOPort = { ask: () => new Promise((resolve) => setTimeout(() => resolve(true), 80)) };
    const result = await startRun({
      workflow: workflow({ post: { action: 't.post', data: { text: 'x' }, timeoutMs: 30 } }),
      registry: registryOf(p.action),
      journal: false,
      io: slowPerson,
    }).done;
    expect(result.status).toBe('succeeded');
  });

  it('resume: a refused node asks again and takes a new answer; an approved node is not asked again', async () => {
    const projectDir = tempDir();
    dirs.push(projectDir);
    const p = poster();
    const wf = workflow({ post: { action: 't.post', data: { text: 'x' } } });
    const registry = registryOf(p.action);
    const refused = await startRun({ workflow: wf, registry, projectDir, fsync: false, answers: { post: ['no'] } }).done;
    expect(refused.status).toBe('failed');
    expect((await resumeRun(refused.runId, { registry, projectDir, fsync: false }).done).status).toBe('waiting');
    const approved = await resumeRun(refused.runId, { registry, projectDir, fsync: false, answers: { post: ['yes'] } }).done;
    expect(approved.status).toBe('succeeded');
    expect(p.calls).toBe(1);

    // Approved, then cancelled while the handler ran: the journaled yes still stands on resume.
    const gate = deferred();
    const held = poster({ hold: gate.promise });
    const heldRegistry = registryOf(held.action);
    const handle = startRun({ workflow: wf, registry: heldRegistry, projectDir, fsync: false, answers: { post: ['yes'] } });
    handle.subscribe((event) => {
      if (event.type === 'node.started') queueMicrotask(() => handle.cancel('test'));
    });
    expect((await handle.done).status).toBe('cancelled');
    gate.resolve();
    const resumed = resumeRun(handle.runId, { registry: heldRegistry, projectDir, fsync: false });
    const events = record(resumed);
    expect((await resumed.done).status).toBe('succeeded');
    expect(ofType(events, 'input.asked')).toHaveLength(0);
  });
});
