import { describe, expect, it } from 'vitest';
import { ActionError, ActionInputError, RunError } from '../../src/errors.js';
import { backoffDelay, isRetryable, toErrorInfo } from '../../src/engine/retry.js';

describe('retry policy', () => {
  it('backs off exponentially up to the cap', () => {
    const policy = { attempts: 10, backoffMs: 100, factor: 3, maxBackoffMs: 1000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(policy, attempt))).toEqual([100, 300, 900, 1000, 1000]);
  });

  it('uses defaults for what the node leaves out', () => {
    expect([1, 2, 3].map((attempt) => backoffDelay({ attempts: 3 }, attempt))).toEqual([500, 1000, 2000]);
  });

  it('jitter draws between half and all of the wait', () => {
    const policy = { attempts: 3, backoffMs: 1000, jitter: true };
    expect(backoffDelay(policy, 1, () => 0)).toBe(500);
    expect(backoffDelay(policy, 1, () => 0.999999)).toBe(1000);
    expect(backoffDelay(policy, 2, () => 0.5)).toBe(1500);
  });

  it('schema failures and non-retryable ActionErrors are final; other errors are transient', () => {
    expect(isRetryable(new ActionInputError('INPUT_INVALID', 'x'))).toBe(false);
    expect(isRetryable(new ActionError('HTTP_400', 'x', { retryable: false }))).toBe(false);
    expect(isRetryable(new ActionError('HTTP_503', 'x'))).toBe(true);
    expect(isRetryable(new RunError('RUN_CANCELLED', 'x'))).toBe(false);
    expect(isRetryable(new TypeError('fetch failed'))).toBe(true);
  });

  it('turns errors into data with a code', () => {
    expect(toErrorInfo(new ActionError('TIMEOUT', 'late'))).toEqual({ code: 'TIMEOUT', message: 'late', retryable: true });
    expect(toErrorInfo(Object.assign(new Error('boom'), { code: 'ECONNRESET' }))).toMatchObject({ code: 'ECONNRESET' });
    expect(toErrorInfo(new Error('plain'))).toMatchObject({ code: 'HANDLER_ERROR', message: 'plain' });
    expect(toErrorInfo('a string')).toMatchObject({ code: 'HANDLER_ERROR' });
    const input = new ActionInputError('DATA_INVALID', 'bad', { problems: [{ code: 'DATA_INVALID', path: ['data', 'q'], message: 'm', severity: 'error' }] });
    expect(toErrorInfo(input)).toMatchObject({ code: 'DATA_INVALID', path: ['data', 'q'], retryable: false });
  });
});
