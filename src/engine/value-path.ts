// Reading a dot path out of run data (templates, `when` conditions). Graph data is untrusted, so a path only ever
// walks own properties: `constructor`, `__proto__` or `toString` find nothing unless the data really has them.

const hasOwn = Object.prototype.hasOwnProperty;

/** Splits `a.b.0` into segments; the empty path is the value itself. */
export function splitPath(path: string | undefined): string[] {
  if (path === undefined || path === '') return [];
  return path.split('.');
}

/** The value at `segments` inside `value`, or undefined when any step is missing or not an own property. */
export function readPath(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!hasOwn.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** JSON-style deep equality (own enumerable keys, arrays by position); what `equals` and `in` mean. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    // NaN never comes from JSON; treat it like JSON would (not equal).
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], other[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) {
    if (!hasOwn.call(right, key) || !deepEqual(left[key], right[key])) return false;
  }
  return true;
}
