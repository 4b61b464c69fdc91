// The run's semantics: data flow, concurrency, conditions and dead-path elimination, failures, cancellation.
import { describe, expect, it } from 'vitest';
import { defineAction } from '../../src/actions/define.js';
import { ActionError, GraphValidationError } from '../../src/errors.js';
import { startRun, type RunEvent } from '../../src/engine/index.js';
import { echo, flaky, gated, recorder, stuck, typed } from './actions.js';
import { chain, flush, ofType, record, registryOf, workflow } from './helpers.js';

const base = { journal: false, env: {} } as const;

describe('data flow', () => {
  it('hands a root undefined, a single successor its predecessor output, a join an object keyed by id', async () => {
    const { action, calls } = recorder();
    const wf = workflow(
      { a: { action: 't.record', data: { v: 'A' } }, b: { action: 't.record', data: { v: 'B' } }, j: { action: 't.record' }, s: { action: 't.record' } },
      [
        { from: 'a', to: 'j' },
        { from: 'b', to: 'j' },
        { from: 'a', to: 's' },
      ],
    );
    const result = await startRun({ ...base, workflow: wf, registry: registryOf(action) }).done;
    expect(result.status).toBe('succeeded');
    const byId = new Map(calls.map((call) => [call.nodeId, call]));
    expect(byId.get('a')!.input).toBeUndefined();
    expect(byId.get('s')!.input).toEqual({ v: 'A' });
    const join = byId.get('j')!.input as Record<string, unknown>;
    expect(Object.getPrototypeOf(join)).toBeNull();
    expect({ ...join }).toEqual({ a: { v: 'A' }, b: { v: 'B' } });
    expect(result.outputs.get('j')).toEqual({ from: 'j' });
    expect([...result.finalOutputs.keys()].sort()).toEqual(['j', 's']);
  });

  it('renders templates from the input and upstream outputs before the handler runs', async () => {
    const { action, calls } = recorder();
    const wf = workflow(
      {
        '1': { action: 't.echo', data: { summary: 'sunny', n: 21 } },
        '2': { action: 't.echo', data: { text: 'hello' } },
        '3': { action: 't.record', data: { line: '{{nodes.1.output.summary}} at {{nodes.1.output.n}}C', raw: '{{input}}', t: '{{input.text}}' } },
      },
      [
        { from: '1', to: '2' },
        { from: '2', to: '3' },
      ],
    );
    await startRun({ ...base, workflow: wf, registry: registryOf(echo, action) }).done;
    expect(calls[0]!.data).toEqual({ line: 'sunny at 21C', raw: { text: 'hello' }, t: 'hello' });
  });

  it('gives handlers an idempotency key runId:nodeId, their outgoing edges and the attempt number', async () => {
    const { action, calls } = recorder();
    const wf = workflow({ x: { action: 't.record' }, y: { action: 't.record' } }, [{ from: 'x', to: 'y', label: 'next', when: { exists: true } }]);
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(action), runId: 'run-fixed' });
    await handle.done;
    expect(calls[0]).toMatchObject({ nodeId: 'x', key: 'run-fixed:x', attempt: 1, outgoing: [{ to: 'y', label: 'next', when: { exists: true } }] });
  });

  it('node ids like __proto__ and constructor are ordinary ids everywhere', async () => {
    const { action, calls } = recorder();
    const wf = workflow(
      [
        ['__proto__', { action: 't.record', data: 'P' }],
        ['constructor', { action: 't.record', data: 'C' }],
        ['toString', { action: 't.record', data: '{{nodes.__proto__.output}}-{{nodes.constructor.output}}' }],
      ],
      [
        { from: '__proto__', to: 'toString' },
        { from: 'constructor', to: 'toString' },
      ],
    );
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(action) });
    const result = await handle.done;
    expect(result.status).toBe('succeeded');
    const last = calls.find((call) => call.nodeId === 'toString')!;
    expect(last.data).toBe('P-C');
    expect(Object.keys(last.input as object).sort()).toEqual(['__proto__', 'constructor']);
    expect(handle.nodeStatus('__proto__')).toBe('succeeded');
    expect(result.outputs.get('__proto__')).toBe('P');
    expect(({} as Record<string, unknown>).P).toBeUndefined();
  });
});

describe('scheduling', () => {
  it('runs independent branches concurrently, bounded by concurrency', async () => {
    const gate = gated();
    const nodes = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`n${i}`, { action: 't.gate' }]));
    const handle = startRun({ ...base, workflow: workflow(nodes), registry: registryOf(gate.action), concurrency: 3 });
    await flush();
    expect(gate.started).toHaveLength(3);
    for (let i = 0; i < 8; i++) {
      gate.open(`n${i}`);
      await flush();
    }
    expect((await handle.done).status).toBe('succeeded');
    expect(gate.maxRunning).toBe(3);
  });

  it('starts a node only when all its predecessors have settled', async () => {
    const gate = gated();
    const wf = workflow({ a: { action: 't.gate' }, b: { action: 't.gate' }, c: { action: 't.gate' } }, [
      { from: 'a', to: 'c' },
      { from: 'b', to: 'c' },
    ]);
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(gate.action) });
    await flush();
    expect(gate.started).toEqual(['a', 'b']);
    gate.open('a');
    await flush();
    expect(gate.started).toEqual(['a', 'b']);
    expect(handle.nodeStatus('c')).toBe('pending');
    gate.open('b');
    await flush();
    expect(gate.started).toEqual(['a', 'b', 'c']);
    gate.open('c');
    await handle.done;
  });

  it('runs a 20,000-node chain and skips one without overflowing the stack', async () => {
    const done = await startRun({ ...base, workflow: chain(20_000, 't.echo'), registry: registryOf(echo) }).done;
    expect(done.counts.succeeded).toBe(20_000);
    const wf = chain(20_000, 't.echo');
    wf.edges[0]!.when = { path: 'go', equals: true };
    const skipped = await startRun({ ...base, workflow: wf, registry: registryOf(echo) }).done;
    expect(skipped.status).toBe('succeeded');
    expect(skipped.counts).toMatchObject({ succeeded: 1, skipped: 19_999 });
  });

  it('reports per-node statuses in the snapshot and a consistent event stream', async () => {
    const gate = gated();
    const wf = workflow({ a: { action: 't.gate' }, b: { action: 't.echo' } }, [{ from: 'a', to: 'b' }]);
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(gate.action, echo) });
    const events = record(handle);
    await flush();
    expect(handle.snapshot()).toMatchObject({ status: 'running', nodes: new Map([['a', 'running'], ['b', 'pending']]) });
    gate.open('a');
    const result = await handle.done;
    expect(handle.snapshot().status).toBe('succeeded');
    expect(result.counts).toMatchObject({ succeeded: 2 });
    expect(events[0]!.type).toBe('run.started');
    expect(events.at(-1)!.type).toBe('run.finished');
    expect(events.map((e) => (e.type.startsWith('node.') ? `${e.type}:${(e as { nodeId: string }).nodeId}` : e.type))).toEqual([
      'run.started',
      'node.started:a',
      'node.succeeded:a',
      'node.started:b',
      'node.succeeded:b',
      'run.finished',
    ]);
  });

  it('a throwing listener does not break the run', async () => {
    const handle = startRun({ ...base, workflow: chain(3, 't.echo'), registry: registryOf(echo) });
    handle.subscribe(() => {
      throw new Error('bad view');
    });
    expect((await handle.done).status).toBe('succeeded');
  });
});

describe('conditions and dead-path elimination', () => {
  const route = (approved: boolean) =>
    workflow(
      {
        review: { action: 't.echo', data: { approved } },
        publish: { action: 't.echo', data: 'published' },
        discard: { action: 't.echo', data: 'discarded' },
        archive: { action: 't.echo', data: 'archived' },
        report: { action: 't.echo' },
      },
      [
        { from: 'review', to: 'publish', when: { path: 'approved', equals: true } },
        { from: 'review', to: 'discard', when: { path: 'approved', equals: false } },
        { from: 'discard', to: 'archive' },
        { from: 'publish', to: 'report' },
        { from: 'archive', to: 'report' },
      ],
    );

  it('takes the branch whose condition holds, skips the other and everything only it leads to', async () => {
    const handle = startRun({ ...base, workflow: route(true), registry: registryOf(echo) });
    const events = record(handle);
    const result = await handle.done;
    expect(result.status).toBe('succeeded');
    expect(Object.fromEntries(handle.snapshot().nodes)).toEqual({
      review: 'succeeded',
      publish: 'succeeded',
      discard: 'skipped',
      archive: 'skipped',
      report: 'succeeded',
    });
    expect(ofType(events, 'node.skipped').map((e) => [e.nodeId, e.reason])).toEqual([
      ['discard', 'inactive'],
      ['archive', 'inactive'],
    ]);
    // The join runs with the branch that ran; the skipped predecessor is absent from its input.
    expect({ ...(result.outputs.get('report') as object) }).toEqual({ publish: 'published' });
  });

  it('the other way round', async () => {
    const result = await startRun({ ...base, workflow: route(false), registry: registryOf(echo) }).done;
    expect([...result.outputs.keys()].sort()).toEqual(['archive', 'discard', 'report', 'review']);
  });
});

describe('failures', () => {
  it('onError "fail" (the default) stops the run: running handlers are aborted, pending nodes end cancelled', async () => {
    const gate = gated();
    const wf = workflow(
      { bad: { action: 't.flaky', data: { code: 'NOPE', retryable: false } }, slow: { action: 't.gate' }, after: { action: 't.echo' }, next: { action: 't.echo' } },
      [
        { from: 'slow', to: 'after' },
        { from: 'bad', to: 'next' },
      ],
    );
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky, gate.action, echo) });
    const events = record(handle);
    const result = await handle.done;
    expect(result.status).toBe('failed');
    expect(result.failures).toEqual([{ nodeId: 'bad', error: expect.objectContaining({ code: 'NOPE', retryable: false }) }]);
    expect(gate.aborted).toEqual(['slow']);
    expect(Object.fromEntries(handle.snapshot().nodes)).toEqual({ bad: 'failed', slow: 'cancelled', after: 'cancelled', next: 'cancelled' });
    expect(ofType(events, 'node.cancelled').map((e) => e.nodeId)).toEqual(['slow']);
    expect(ofType(events, 'run.finished')[0]).toMatchObject({ status: 'failed', counts: { failed: 1, cancelled: 3 } });
  });

  it('tells aborted handlers which node stopped the run', async () => {
    let reason: unknown;
    const waits = defineAction({
      name: 't.waits',
      description: 'waits for its signal',
      run: ({ signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason);
          }),
        ),
    });
    const wf = workflow({ w: { action: 't.waits' }, bad: { action: 't.flaky', data: { retryable: false } } });
    await startRun({ ...base, workflow: wf, registry: registryOf(waits, flaky) }).done;
    expect(reason).toMatchObject({ code: 'RUN_CANCELLED', message: expect.stringContaining('node "bad" failed') });
  });

  it('onError "continue" lets independent branches finish; the failed node\'s successors are skipped; the run fails', async () => {
    const gate = gated();
    const wf = workflow(
      {
        bad: { action: 't.flaky', data: { retryable: false }, onError: 'continue' },
        child: { action: 't.echo' },
        grandchild: { action: 't.echo' },
        slow: { action: 't.gate' },
        after: { action: 't.echo' },
      },
      [
        { from: 'bad', to: 'child' },
        { from: 'child', to: 'grandchild' },
        { from: 'slow', to: 'after' },
      ],
    );
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky, gate.action, echo) });
    const events = record(handle);
    await flush();
    expect(handle.nodeStatus('bad')).toBe('failed');
    expect(handle.snapshot().status).toBe('running');
    gate.open('slow');
    const result = await handle.done;
    expect(result.status).toBe('failed');
    expect(Object.fromEntries(handle.snapshot().nodes)).toEqual({
      bad: 'failed',
      child: 'skipped',
      grandchild: 'skipped',
      slow: 'succeeded',
      after: 'succeeded',
    });
    expect(ofType(events, 'node.skipped').map((e) => e.reason)).toEqual(['upstream-failed', 'upstream-failed']);
  });

  it('a join with a failed predecessor is skipped even when another predecessor succeeded', async () => {
    const wf = workflow(
      { ok: { action: 't.echo', data: 1 }, bad: { action: 't.flaky', data: { retryable: false }, onError: 'continue' }, join: { action: 't.echo' } },
      [
        { from: 'ok', to: 'join' },
        { from: 'bad', to: 'join' },
      ],
    );
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky, echo) });
    await handle.done;
    expect(handle.nodeStatus('join')).toBe('skipped');
  });

  it('validates data (after templates), input and output with the action schemas, naming node and field', async () => {
    const cases: [Record<string, unknown>, string, (string | number)[]][] = [
      [{ n: 'not a number' }, 'DATA_INVALID', ['data', 'n']],
      [{ n: 1, out: { result: 'x' } }, 'OUTPUT_INVALID', ['output', 'result']],
    ];
    for (const [data, code, path] of cases) {
      const wf = workflow({ v: { action: 't.typed', data, retry: { attempts: 5, backoffMs: 0 } } });
      const handle = startRun({ ...base, workflow: wf, registry: registryOf(typed) });
      const events = record(handle);
      const result = await handle.done;
      expect(result.failures[0]).toMatchObject({ nodeId: 'v', error: { code, path, retryable: false } });
      expect(result.failures[0]!.error.message).toContain('node "v"');
      expect(ofType(events, 'node.retrying')).toHaveLength(0);
    }
    const wf = workflow({ src: { action: 't.echo', data: { ok: 'yes' } }, v: { action: 't.typed', data: { n: 1 } } }, [{ from: 'src', to: 'v' }]);
    const result = await startRun({ ...base, workflow: wf, registry: registryOf(typed, echo) }).done;
    expect(result.failures[0]).toMatchObject({ nodeId: 'v', error: { code: 'INPUT_INVALID', path: ['input', 'ok'] } });
  });

  it('a handler returning a value JSON cannot journal is fine without a journal', async () => {
    const big = defineAction({ name: 't.big', description: 'bigint', run: () => 10n });
    const result = await startRun({ ...base, workflow: workflow({ b: { action: 't.big' } }), registry: registryOf(big) }).done;
    expect(result.outputs.get('b')).toBe(10n);
  });
});

describe('cancellation', () => {
  it('handle.cancel() aborts running handlers; the run ends cancelled with the reason', async () => {
    const gate = gated();
    const wf = workflow({ a: { action: 't.gate' }, b: { action: 't.gate' }, c: { action: 't.echo' } }, [{ from: 'a', to: 'c' }]);
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(gate.action, echo) });
    const events = record(handle);
    await flush();
    handle.cancel('interrupted');
    const result = await handle.done;
    expect(result).toMatchObject({ status: 'cancelled', reason: 'interrupted' });
    expect(gate.aborted.sort()).toEqual(['a', 'b']);
    expect(Object.fromEntries(handle.snapshot().nodes)).toEqual({ a: 'cancelled', b: 'cancelled', c: 'cancelled' });
    expect(ofType(events, 'run.finished')[0]).toMatchObject({ status: 'cancelled', reason: 'interrupted' });
  });

  it('actor.stop() cancels too, even for a handler that ignores its signal', async () => {
    const handle = startRun({ ...base, workflow: workflow({ s: { action: 't.stuck' } }), registry: registryOf(stuck) });
    await flush();
    expect(handle.nodeStatus('s')).toBe('running');
    handle.actor.stop();
    const result = await handle.done;
    expect(result.status).toBe('cancelled');
    expect(handle.nodeStatus('s')).toBe('cancelled');
  });

  it('cancel before the run began still finishes cleanly', async () => {
    const { action, calls } = recorder();
    const handle = startRun({ ...base, workflow: chain(3, 't.record'), registry: registryOf(action) });
    handle.cancel();
    expect((await handle.done).status).toBe('cancelled');
    expect(calls).toHaveLength(0);
  });

  it('a late result of a cancelled handler changes nothing', async () => {
    const gate = gated();
    const ignoring = defineAction({
      name: 't.late',
      description: 'finishes after being cancelled',
      run: () => gate.started.length >= 0 && new Promise((resolve) => setTimeout(() => resolve('late'), 5)),
    });
    const handle = startRun({ ...base, workflow: workflow({ l: { action: 't.late' } }), registry: registryOf(ignoring) });
    const events = record(handle);
    await flush();
    handle.cancel();
    await handle.done;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handle.nodeStatus('l')).toBe('cancelled');
    expect(ofType(events, 'node.succeeded')).toHaveLength(0);
  });
});

describe('workflow checks before anything runs', () => {
  it('reports unknown actions, dangling edges, cycles, bad templates and patterns at once', () => {
    const wf = workflow(
      {
        a: { action: 't.ecoh' },
        b: { action: 't.echo', data: '{{nodes.c.output}}' },
        c: { action: 't.echo' },
        d: { action: 't.echo' },
      },
      [
        { from: 'a', to: 'zz' },
        { from: 'c', to: 'd', when: { path: 'x', matches: '(a+)+' } },
      ],
    );
    let error: unknown;
    try {
      startRun({ ...base, workflow: wf, registry: registryOf(echo) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GraphValidationError);
    const problems = (error as GraphValidationError).problems.map((p) => [p.code, p.path]);
    expect(problems).toEqual([
      ['ACTION_UNKNOWN', ['nodes', 'a', 'action']],
      ['EDGE_DANGLING', ['edges', 0, 'to']],
      ['CONDITION_REGEX_INVALID', ['edges', 1, 'when', 'matches']],
    ]);
    expect((error as GraphValidationError).problems[0]!.message).toContain('did you mean "t.echo"');

    const upstream = workflow({ b: { action: 't.echo', data: '{{nodes.c.output}}' }, c: { action: 't.echo' } });
    expect(() => startRun({ ...base, workflow: upstream, registry: registryOf(echo) })).toThrow(
      expect.objectContaining({ problems: [expect.objectContaining({ code: 'TEMPLATE_NOT_UPSTREAM', path: ['nodes', 'b', 'data'] })] }),
    );
    const cyclic = workflow({ x: { action: 't.echo' }, y: { action: 't.echo' }, z: { action: 't.echo' } }, [
      { from: 'x', to: 'y' },
      { from: 'y', to: 'z' },
      { from: 'z', to: 'y' },
    ]);
    expect(() => startRun({ ...base, workflow: cyclic, registry: registryOf(echo) })).toThrow(/cycle: "y" -> "z" -> "y"/);
  });

  it('an empty workflow succeeds at once', async () => {
    const result = await startRun({ ...base, workflow: workflow({}), registry: registryOf(echo) }).done;
    expect(result.status).toBe('succeeded');
  });
});

describe('errors thrown by handlers', () => {
  it('keeps the code of a plain error and marks it retryable', async () => {
    const thrower = defineAction({
      name: 't.throw',
      description: 'throws',
      run: () => {
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
    });
    const result = await startRun({ ...base, workflow: workflow({ t: { action: 't.throw' } }), registry: registryOf(thrower) }).done;
    expect(result.failures[0]!.error).toEqual({ code: 'ECONNRESET', message: 'socket hang up', retryable: true });
  });

  it('a synchronous throw from an executor becomes a node failure', async () => {
    const handle = startRun({
      ...base,
      workflow: workflow({ t: { action: 't.echo' } }),
      registry: registryOf(echo),
      executor: {
        execute() {
          throw new ActionError('EXECUTOR_DOWN', 'no worker', { retryable: false });
        },
      },
    });
    const events: RunEvent[] = record(handle);
    const result = await handle.done;
    expect(result.failures[0]!.error.code).toBe('EXECUTOR_DOWN');
    expect(ofType(events, 'node.failed')).toHaveLength(1);
  });
});
