import { describe, expect, it } from 'vitest';
import { adoptError, withAdoptedErrors } from '../../src/actions/adopt-errors.js';
import { defineAction } from '../../src/actions/define.js';
import { ActionError, ActionInputError } from '../../src/errors.js';
import { isRetryable } from '../../src/engine/retry.js';

/** What another copy of actiongraph's ActionError looks like from here: same shape, other class. */
class ForeignActionError extends Error {
  override name = 'ActionError';
  readonly exitCode = 1;
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

describe('adoptError', () => {
  it('rebuilds another copy\'s ActionError as ours, keeping code, message, retryable, details and stack', () => {
    const foreign = new ForeignActionError('TWEET_DUPLICATE', 'duplicate', false, { status: 403 });
    const adopted = adoptError(foreign);
    expect(adopted).toBeInstanceOf(ActionError);
    expect(adopted).toMatchObject({ code: 'TWEET_DUPLICATE', message: 'duplicate', retryable: false, details: { status: 403 } });
    expect((adopted as Error).cause).toBe(foreign);
    expect((adopted as Error).stack).toBe(foreign.stack);
    // The engine's retry decision now sees what the plugin said.
    expect(isRetryable(foreign)).toBe(true);
    expect(isRetryable(adopted)).toBe(false);
  });

  it('rebuilds a foreign ActionInputError as ours', () => {
    const foreign = Object.assign(new Error('bad data'), { name: 'ActionInputError', code: 'DATA_INVALID', exitCode: 1, problems: [] });
    expect(adoptError(foreign)).toBeInstanceOf(ActionInputError);
  });

  it('leaves our own errors, plain errors, system errors and abort reasons alone', () => {
    const ours = new ActionError('X', 'x');
    const system = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const abort = new DOMException('aborted', 'AbortError');
    for (const error of [ours, system, abort, 'a string']) expect(adoptError(error)).toBe(error);
  });
});

describe('withAdoptedErrors', () => {
  it('wraps run() and keeps everything else of the definition', async () => {
    const definition = defineAction({
      name: 'foreign.fails',
      description: 'throws like a plugin built against another copy',
      effects: 'write',
      run: () => {
        throw new ForeignActionError('NOPE', 'nope', false);
      },
    });
    const wrapped = withAdoptedErrors(definition);
    expect(wrapped).toMatchObject({ name: 'foreign.fails', effects: 'write', kind: 'actiongraph.action' });
    await expect(wrapped.run({} as never)).rejects.toBeInstanceOf(ActionError);
    await expect(wrapped.run({} as never)).rejects.toMatchObject({ code: 'NOPE', retryable: false });
  });
});
