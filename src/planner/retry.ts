// Retrying endpoint calls where that helps: 429 (honouring retry-after, up to a cap), 5xx and dropped connections.
// The sleep is injectable so tests never wait.
import { EndpointError } from './provider-errors.js';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** Wait before the second attempt when the server named none; doubles after each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A retry-after longer than this is not waited for: the error is reported instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RetryHooks {
  sleep: Sleep;
  signal?: AbortSignal | undefined;
  onRetry?: ((error: EndpointError, attempt: number, delayMs: number) => void) | undefined;
}

/** The wait before the next attempt, or undefined when this error should not be retried. */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number | undefined {
  if (!(error instanceof EndpointError) || !error.retryable) return undefined;
  if (attempt >= policy.attempts) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export async function withRetry<T>(
  run: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      const delay = retryDelay(error, attempt, policy);
      if (delay === undefined) throw error;
      hooks.onRetry?.(error as EndpointError, attempt, delay);
      await hooks.sleep(delay, hooks.signal);
    }
  }
}
