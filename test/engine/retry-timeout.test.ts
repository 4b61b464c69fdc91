// Retries and timeouts, on fake timers: no test here sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineAction } from '../../src/actions/define.js';
import { startRun } from '../../src/engine/index.js';
import { flaky, stuck } from './actions.js';
import { flush, ofType, record, registryOf, workflow } from './helpers.js';

const base = { journal: false, env: {} } as const;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('retries', () => {
  it('retries a failing node with exponential backoff until it succeeds', async () => {
    const wf = workflow({ f: { action: 't.flaky', data: { succeedOn: 3 }, retry: { attempts: 3, backoffMs: 1000, factor: 2 } } });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky) });
    const events = record(handle);
    await flush();
    expect(handle.nodeStatus('f')).toBe('retrying');
    expect(ofType(events, 'node.retrying').map((e) => [e.attempt, e.delayMs, e.error.code])).toEqual([[1, 1000, 'BOOM']]);
    await vi.advanceTimersByTimeAsync(999);
    expect(ofType(events, 'node.started')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ofType(events, 'node.started')).toHaveLength(2);
    await flush();
    expect(ofType(events, 'node.retrying').map((e) => e.delayMs)).toEqual([1000, 2000]);
    await vi.advanceTimersByTimeAsync(2000);
    const result = await handle.done;
    expect(result.status).toBe('succeeded');
    expect(result.outputs.get('f')).toEqual({ attempt: 3 });
    expect(ofType(events, 'node.started').map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it('gives up after the last attempt', async () => {
    const wf = workflow({ f: { action: 't.flaky', data: {}, retry: { attempts: 2, backoffMs: 10 } } });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky) });
    await flush();
    await vi.advanceTimersByTimeAsync(10);
    const result = await handle.done;
    expect(result.failures[0]!.error).toMatchObject({ code: 'BOOM', message: 'failed on attempt 2' });
  });

  it('does not retry a non-retryable error', async () => {
    const wf = workflow({ f: { action: 't.flaky', data: { retryable: false }, retry: { attempts: 5 } } });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky) });
    const events = record(handle);
    const result = await handle.done;
    expect(result.status).toBe('failed');
    expect(ofType(events, 'node.retrying')).toHaveLength(0);
  });

  it('jitter draws the wait from the random source', async () => {
    const wf = workflow({ f: { action: 't.flaky', data: { succeedOn: 2 }, retry: { attempts: 2, backoffMs: 1000, jitter: true } } });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky), random: () => 0 });
    const events = record(handle);
    await flush();
    expect(ofType(events, 'node.retrying')[0]!.delayMs).toBe(500);
    await vi.advanceTimersByTimeAsync(500);
    expect((await handle.done).status).toBe('succeeded');
  });

  it('a node waiting to retry frees its slot for others', async () => {
    const wf = workflow({ f: { action: 't.flaky', data: { succeedOn: 2 }, retry: { attempts: 2, backoffMs: 5000 } }, g: { action: 't.flaky', data: { succeedOn: 1 } } });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky), concurrency: 1 });
    await flush();
    expect(handle.nodeStatus('g')).toBe('succeeded');
    await vi.advanceTimersByTimeAsync(5000);
    expect((await handle.done).status).toBe('succeeded');
  });

  it('cancelling during a backoff ends the run without another attempt', async () => {
    const wf = workflow({ f: { action: 't.flaky', data: { succeedOn: 2 }, retry: { attempts: 2, backoffMs: 5000 } } });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(flaky) });
    const events = record(handle);
    await flush();
    handle.cancel();
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await handle.done).status).toBe('cancelled');
    expect(ofType(events, 'node.started')).toHaveLength(1);
    expect(handle.nodeStatus('f')).toBe('cancelled');
  });
});

describe('timeouts', () => {
  it('aborts the handler signal with TIMEOUT and fails the node', async () => {
    let reason: unknown;
    const slow = defineAction({
      name: 't.slow',
      description: 'waits for its signal',
      run: ({ signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason);
          });
        }),
    });
    const handle = startRun({ ...base, workflow: workflow({ s: { action: 't.slow', timeoutMs: 250 } }), registry: registryOf(slow) });
    await flush();
    await vi.advanceTimersByTimeAsync(249);
    expect(handle.nodeStatus('s')).toBe('running');
    await vi.advanceTimersByTimeAsync(1);
    const result = await handle.done;
    expect(result.failures[0]!.error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(result.failures[0]!.error.message).toContain('node "s"');
    expect(reason).toMatchObject({ code: 'TIMEOUT' });
  });

  it('fails on time even when the handler ignores its signal, and retries a timeout', async () => {
    const handle = startRun({
      ...base,
      workflow: workflow({ s: { action: 't.stuck', timeoutMs: 100, retry: { attempts: 2, backoffMs: 50 } } }),
      registry: registryOf(stuck),
    });
    const events = record(handle);
    await flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(ofType(events, 'node.retrying')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(150);
    const result = await handle.done;
    expect(result.status).toBe('failed');
    expect(ofType(events, 'node.started')).toHaveLength(2);
  });

  it('a timeout does not outlive a node that finished in time', async () => {
    const quick = defineAction({ name: 't.quick', description: 'quick', run: () => 'ok' });
    const handle = startRun({ ...base, workflow: workflow({ q: { action: 't.quick', timeoutMs: 100 } }), registry: registryOf(quick) });
    const result = await handle.done;
    expect(result.status).toBe('succeeded');
    expect(vi.getTimerCount()).toBe(0);
  });
});
