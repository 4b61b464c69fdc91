import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { controlDelayAction } from '../../../src/actions/builtin/control-delay.js';
import { makeContext } from '../context.js';

describe('control.delay', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits data.ms, then passes its input on', async () => {
    const { context } = await makeContext(controlDelayAction, { data: { ms: 60_000 }, input: { text: 'hi' } });
    let settled = false;
    const running = Promise.resolve(controlDelayAction.run(context)).then((value) => {
      settled = true;
      return value;
    });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(running).resolves.toEqual({ text: 'hi' });
  });

  it('stops waiting when the run is aborted, with the abort reason', async () => {
    const { context, controller } = await makeContext(controlDelayAction, { data: { ms: 60_000 } });
    const running = controlDelayAction.run(context);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
  });

  it('refuses negative, fractional and oversized delays when the graph loads', () => {
    expect(controlDelayAction.data.safeParse({ ms: -1 }).success).toBe(false);
    expect(controlDelayAction.data.safeParse({ ms: 1.5 }).success).toBe(false);
    expect(controlDelayAction.data.safeParse({ ms: 2 ** 31 }).success).toBe(false);
    expect(controlDelayAction.data.safeParse({ seconds: 1 }).success).toBe(false);
  });
});
