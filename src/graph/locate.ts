// Finds where a path such as ['nodes', '3', 'action'] is written in a JSON5 text, for `file:line:column` messages.
// Many paths are located in one pass over the text, so reporting a thousand problems stays linear.
import { Json5Reader, Json5SyntaxError, LineIndex } from './json5.js';

export type Path = readonly (string | number)[];
export interface TextPosition {
  line: number;
  column: number;
}

interface Target {
  children: Map<string, Target>;
  /** Where the member's key (or the array element, or the root value) starts. */
  offset?: number;
}

/**
 * The line and column where `path` is written: the key of an object member, the start of an array element, or the
 * root value for `[]`. When the path goes deeper than the text (a missing field), the deepest part that exists.
 * Undefined when the text does not parse.
 */
export function locatePath(text: string, path: Path): TextPosition | undefined {
  return locatePaths(text, [path])[0];
}

/** `locatePath` for many paths at once: one pass over the text. */
export function locatePaths(text: string, paths: readonly Path[]): (TextPosition | undefined)[] {
  const root: Target = { children: new Map() };
  for (const path of paths) {
    let target = root;
    for (const segment of path) {
      const key = String(segment);
      let child = target.children.get(key);
      if (!child) {
        child = { children: new Map() };
        target.children.set(key, child);
      }
      target = child;
    }
  }
  const reader = new Json5Reader(text);
  try {
    reader.skipSpace();
    if (reader.pos >= text.length) return paths.map(() => undefined);
    root.offset = reader.pos;
    walk(reader, root, 0);
  } catch (error) {
    if (!(error instanceof Json5SyntaxError)) throw error;
    // Whatever was found before the syntax error is still right.
  }
  const lines = new LineIndex(text);
  return paths.map((path) => {
    let target = root;
    let offset = root.offset;
    for (const segment of path) {
      const child = target.children.get(String(segment));
      if (child?.offset === undefined) break;
      target = child;
      offset = child.offset;
    }
    return offset === undefined ? undefined : lines.position(offset);
  });
}

/** Walks the value at the cursor, descending only into members and elements that some path wants. */
function walk(reader: Json5Reader, target: Target, depth: number): void {
  if (target.children.size === 0) {
    reader.skipValue(depth);
    return;
  }
  const code = reader.text.charCodeAt(reader.pos);
  if (code === 123 /* { */) {
    reader.enter(depth + 1);
    reader.readMembers((key, keyOffset) => {
      const child = target.children.get(key);
      if (child) {
        // A repeated key: the last one wins, as in the parsed value.
        child.offset = keyOffset;
        walk(reader, child, depth + 1);
      } else {
        reader.skipValue(depth + 1);
      }
    });
  } else if (code === 91 /* [ */) {
    reader.enter(depth + 1);
    reader.readElements((index) => {
      const child = target.children.get(String(index));
      if (child) {
        child.offset = reader.pos;
        walk(reader, child, depth + 1);
      } else {
        reader.skipValue(depth + 1);
      }
    });
  } else {
    reader.skipValue(depth);
  }
}
