// Redaction for a run: secret values never leave it in an event, an error message or a journal line. The actions
// module knows every form a secret takes (plain, URL-encoded, JSON-escaped); this adds the "nothing to do" fast path
// the hot loop needs, so a run without secrets never walks an event.
import { redactValue, redactor } from '../actions/secrets.js';

export { REDACTED } from '../actions/secrets.js';

export interface Redactor {
  /** False when there is nothing to redact. */
  readonly active: boolean;
  text(value: string): string;
  /** A copy of `value` with every secret replaced inside strings and keys. */
  value<T>(value: T): T;
}

/**
 * Values shorter than this are not redacted: replacing every "t" or "abc" in every output would wreck the run's
 * data, and a secret that short protects nothing anyway.
 */
export const MIN_REDACTED_LENGTH = 4;

export function createRedactor(secretValues: Iterable<string>): Redactor {
  const values = [...secretValues].filter((value) => value.length >= MIN_REDACTED_LENGTH);
  if (values.length === 0) return { active: false, text: (value) => value, value: (value) => value };
  const text = redactor(values);
  return { active: true, text, value: (value) => redactValue(value, text) };
}
