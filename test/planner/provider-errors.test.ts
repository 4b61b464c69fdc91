// Reading retry-after and keeping secrets out of messages.
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, redact } from '../../src/planner/provider-errors.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/planner/retry.js';
import { EndpointError } from '../../src/planner/provider-errors.js';

describe('parseRetryAfter', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '1500' }))).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 01 Jan 2024 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('redact', () => {
  it('removes the key and anything shaped like one', () => {
    expect(redact('bad key: my-local-key-999 given', 'my-local-key-999')).toBe('bad key: *** given');
    expect(redact('Incorrect API key provided: sk-proj-abcDEF123456')).toBe('Incorrect API key provided: sk-***');
  });
});

describe('retryDelay', () => {
  const error = (code: string, retryable: boolean, retryAfterMs?: number) =>
    new EndpointError(code, 'x', { retryable, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  it('retries what can succeed, with doubling waits, up to the attempts', () => {
    expect(retryDelay(error('PROVIDER_SERVER', true), 1, DEFAULT_RETRY_POLICY)).toBe(500);
    expect(retryDelay(error('PROVIDER_SERVER', true), 2, DEFAULT_RETRY_POLICY)).toBe(1000);
    expect(retryDelay(error('PROVIDER_SERVER', true), 3, DEFAULT_RETRY_POLICY)).toBeUndefined();
    expect(retryDelay(error('PROVIDER_AUTH', false), 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
    expect(retryDelay(new Error('other'), 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
  });
  it('honours retry-after up to the cap', () => {
    expect(retryDelay(error('PROVIDER_RATE_LIMITED', true, 7000), 1, DEFAULT_RETRY_POLICY)).toBe(7000);
    expect(retryDelay(error('PROVIDER_RATE_LIMITED', true, 120_000), 1, DEFAULT_RETRY_POLICY)).toBeUndefined();
  });
});
