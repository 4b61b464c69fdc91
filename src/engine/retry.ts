// Retry policy: how many attempts, how long to wait between them, and which failures are worth another try.
import { ActionError, ActionGraphError, ActionInputError } from '../errors.js';
import type { RetryPolicy } from '../graph/schema.js';
import type { ErrorInfo } from './events.js';

/** Defaults for the fields a node's `retry` leaves out. No retry at all unless a node asks for attempts > 1. */
export const RETRY_DEFAULTS = { backoffMs: 500, factor: 2, maxBackoffMs: 30_000, jitter: false } as const;

/**
 * The wait before attempt `failedAttempt + 1`: backoffMs * factor^(failedAttempt-1), capped at maxBackoffMs;
 * with jitter, a uniform draw between half and all of it (so simultaneous failures do not retry in lockstep).
 */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const base = policy.backoffMs ?? RETRY_DEFAULTS.backoffMs;
  const factor = policy.factor ?? RETRY_DEFAULTS.factor;
  const cap = policy.maxBackoffMs ?? RETRY_DEFAULTS.maxBackoffMs;
  const delay = Math.min(cap, base * factor ** Math.max(0, failedAttempt - 1));
  if (!(policy.jitter ?? RETRY_DEFAULTS.jitter)) return Math.round(delay);
  return Math.round(delay / 2 + random() * (delay / 2));
}

/**
 * Whether trying again can help. Schema failures never change on a retry; an ActionError says for itself;
 * anything else (a thrown TypeError, a network error) is assumed transient.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ActionInputError) return false;
  if (error instanceof ActionError) return error.retryable;
  if (error instanceof ActionGraphError) return false;
  return true;
}

/** An error as data for events and the journal: code, message and (for schema failures) the field. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ActionGraphError) {
    const info: ErrorInfo = { code: error.code, message: error.message, retryable: isRetryable(error) };
    if (error instanceof ActionInputError && error.problems[0]) info.path = error.problems[0].path;
    return info;
  }
  if (error instanceof Error) {
    const raw = (error as Error & { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : 'HANDLER_ERROR';
    return { code, message: error.message, retryable: true };
  }
  return { code: 'HANDLER_ERROR', message: `threw a non-error value: ${String(error)}`, retryable: true };
}
