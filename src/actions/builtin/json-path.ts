// A small path syntax into JSON values, shared by data.json and data.template: `a.b[0].c`, `items[-1]`,
// `["odd key"].x`. Data, never code: lookups read own properties only, so `__proto__` or `constructor` in a
// path finds nothing instead of reaching a prototype.

export type PathSegment = string | number;

export class PathSyntaxError extends Error {
  constructor(
    readonly path: string,
    readonly position: number,
    reason: string,
  ) {
    super(`path ${JSON.stringify(path)}: ${reason} at character ${position + 1}`);
    this.name = 'PathSyntaxError';
  }
}

/** Parses `a.b[0]["c d"]` into ['a', 'b', 0, 'c d']. The empty path is [] (the whole value). */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const text = path.trim();
  if (text === '') return segments;
  let expectName = true;
  while (i < text.length) {
    const char = text[i];
    if (char === '[') {
      const close = text.indexOf(']', i);
      if (close === -1) throw new PathSyntaxError(path, i, 'unclosed "["');
      const inner = text.slice(i + 1, close).trim();
      if (/^-?\d+$/u.test(inner)) {
        segments.push(Number(inner));
        i = close + 1;
      } else if (inner.startsWith('"') || inner.startsWith("'")) {
        const [key, end] = readQuoted(text, text.indexOf(inner[0] as string, i + 1), path);
        const after = text.slice(end).trimStart();
        if (!after.startsWith(']')) throw new PathSyntaxError(path, end, 'expected "]" after a quoted key');
        segments.push(key);
        i = text.length - after.length + 1;
      } else {
        throw new PathSyntaxError(path, i, 'expected a number or a quoted key inside "[...]"');
      }
      expectName = false;
    } else if (char === '.') {
      if (expectName) throw new PathSyntaxError(path, i, 'unexpected "."');
      expectName = true;
      i++;
    } else {
      if (!expectName) throw new PathSyntaxError(path, i, 'expected "." or "["');
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '[' && text[end] !== ']') end++;
      const name = text.slice(i, end).trim();
      if (name === '') throw new PathSyntaxError(path, i, 'empty name');
      segments.push(name);
      i = end;
      expectName = false;
    }
  }
  if (expectName) throw new PathSyntaxError(path, text.length - 1, 'the path ends with "."');
  return segments;
}

/**
 * Reads a quoted key starting at `start`: double quotes follow JSON's escapes, single quotes allow \' and \\.
 * Returns the key and the index after the closing quote.
 */
function readQuoted(text: string, start: number, path: string): [string, number] {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] !== quote) continue;
    const raw = text.slice(start + 1, i);
    if (quote === "'") return [raw.replace(/\\(['\\])/gu, '$1'), i + 1];
    try {
      return [JSON.parse(`"${raw}"`) as string, i + 1];
    } catch {
      throw new PathSyntaxError(path, start, 'bad escape in a quoted key');
    }
  }
  throw new PathSyntaxError(path, start, 'unclosed quote');
}

export type Lookup = { found: true; value: unknown } | { found: false };

/** The value at `segments`, reading own properties and array indexes only (negative indexes count from the end). */
export function getPath(value: unknown, segments: readonly PathSegment[]): Lookup {
  let current = value;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/u.test(segment) ? Number(segment) : NaN;
      const at = index < 0 ? current.length + index : index;
      if (!Number.isInteger(at) || at < 0 || at >= current.length) return { found: false };
      current = current[at];
    } else if (typeof current === 'object' && current !== null) {
      const key = String(segment);
      if (!Object.hasOwn(current, key)) return { found: false };
      current = (current as Record<string, unknown>)[key];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/** Renders segments back as a path, for messages. */
export function formatSegments(segments: readonly PathSegment[]): string {
  return segments
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[\w$-]+$/u.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}
