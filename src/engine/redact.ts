// Redaction: secret values never leave the run in an event, an error message or a journal line.
// Redacting the value before serialising (not the serialised line) also catches secrets that JSON would escape.

export const REDACTED = '[redacted]';

export interface Redactor {
  /** False when there is nothing to redact, so the hot path can skip the walk entirely. */
  readonly active: boolean;
  text(value: string): string;
  /** A copy of `value` with every secret replaced inside strings and keys; unchanged parts are shared. */
  value<T>(value: T): T;
}

export function createRedactor(secretValues: Iterable<string>): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...new Set([...secretValues].filter((value) => value.length > 0))].sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return { active: false, text: (value) => value, value: (value) => value };

  const text = (value: string): string => {
    let out = value;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };

  const walk = (value: unknown, seen: WeakMap<object, unknown>): unknown => {
    if (typeof value === 'string') return text(value);
    if (value === null || typeof value !== 'object') return value;
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      let changed = false;
      for (const item of value) {
        const next = walk(item, seen);
        changed ||= next !== item;
        copy.push(next);
      }
      return changed ? copy : value;
    }
    if (value instanceof Error) {
      const copy = new Error(text(value.message));
      copy.name = value.name;
      return copy;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value; // Dates, Maps, class instances: left alone.
    const copy: Record<string, unknown> = Object.create(proto) as Record<string, unknown>;
    seen.set(value, copy);
    let changed = false;
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      const next = walk(item, seen);
      const nextKey = text(key);
      changed ||= next !== item || nextKey !== key;
      Object.defineProperty(copy, nextKey, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return changed ? copy : value;
  };

  return { active: true, text, value: <T>(value: T): T => walk(value, new WeakMap()) as T };
}
