// Redaction for a run: secret values never leave it in an event, an error message or a journal line. The actions
// module knows the forms a secret takes in text (plain, URL-encoded, JSON-escaped); this adds its base64 forms and
// the "nothing to do" fast path the hot loop needs, so a run without secrets never walks an event.
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
  const text = redactor(values.flatMap((value) => [value, ...base64Forms(value)]));
  return { active: true, text, value: (value) => redactValue(value, text) };
}

/** Shorter base64 forms are not redacted: a few characters of base64 turn up by chance in any binary-ish text. */
export const MIN_BASE64_FORM_LENGTH = 8;

/**
 * The base64 text (standard and URL-safe) that a secret becomes inside a longer base64 string, such as the
 * `Basic` credentials `base64("user:" + secret)` that an action sends and a server may echo back in an error. The
 * secret can start at any of three byte offsets of a 3-byte group; for each, the characters that also encode its
 * neighbours are left out, so the form matches wherever the secret sits (the technique CI systems use for masks).
 */
export function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/u, '');
    // Characters mixing the unknown bytes before the secret: none, 2 or 3. After it, a partial group of r bytes
    // leaves r whole characters (r = 1: 1, r = 2: 2) before the one that mixes in the next unknown byte.
    const skip = [0, 2, 3][offset]!;
    const length = offset + bytes.length;
    const keep = Math.floor(length / 3) * 4 + (length % 3);
    const form = encoded.slice(skip, keep);
    if (form.length < MIN_BASE64_FORM_LENGTH) continue;
    forms.add(form);
    forms.add(form.replace(/\+/gu, '-').replace(/\//gu, '_'));
  }
  return [...forms];
}
