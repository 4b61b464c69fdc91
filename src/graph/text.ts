// Text helpers for messages and renderings: node ids and values come from untrusted files, so anything shown
// to a person is escaped (no terminal control sequences, no bidi tricks) and shortened.

/** Characters that must never reach a terminal or a one-line message raw. */
// C0/C1 controls, DEL, line/paragraph separators, bidi embeddings/overrides/isolates, zero-width marks, BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

/** Escapes control, bidi and invisible characters as `\u{..}` so a string prints on one honest line. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    switch (ch) {
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      default:
        return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
    }
  });
}

/** Cuts a string to at most `max` code points, ending with "…" when cut; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A node id for messages: always quoted, escaped and at most ~60 characters, e.g. `"3"`. */
export function quoteId(id: string, max = 60): string {
  return `"${truncate(escapeUnsafe(id.replace(/["\\]/g, (c) => `\\${c}`)), max)}"`;
}

/** A node id for compact displays: bare when it is plain (`3`, `fetch-page`), quoted otherwise. */
export function displayId(id: string, max = 60): string {
  return /^[\w.-]+$/u.test(id) && id.length <= max ? id : quoteId(id, max);
}

/** A JSON value on one line for messages and diffs, shortened. */
export function shortJson(value: unknown, max = 60): string {
  let text: string;
  try {
    text = value === undefined ? '(none)' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return truncate(escapeUnsafe(text), max);
}

// East Asian wide and fullwidth ranges, and emoji: they take two terminal columns.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
// Combining marks take no column of their own.
const ZERO_WIDTH = /[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u200b-\u200f\ufe00-\ufe0f\ufe20-\ufe2f]/u;

/** Terminal columns a string takes (approximate: wide CJK/emoji count 2, combining marks 0). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x300) width += 1;
    else if (ZERO_WIDTH.test(ch)) width += 0;
    else width += WIDE.test(ch) ? 2 : 1;
  }
  return width;
}

/** Cuts a string to at most `columns` terminal columns, ending with "…" when cut. */
export function fitWidth(text: string, columns: number): string {
  if (text.length <= columns && displayWidth(text) <= columns) return text;
  let width = 0;
  let out = '';
  for (const ch of text) {
    const w = displayWidth(ch);
    if (width + w > columns - 1) return `${out}…`;
    out += ch;
    width += w;
  }
  return out;
}

/** Where an edge is, for messages: `edges[2] (1 -> 2)`, or just `edges[2]` when its ends are not strings. */
export function edgeWhere(index: number, edge: unknown): string {
  if (typeof edge === 'object' && edge !== null) {
    const { from, to } = edge as { from?: unknown; to?: unknown };
    if (typeof from === 'string' && typeof to === 'string') return `edges[${index}] (${displayId(from, 30)} -> ${displayId(to, 30)})`;
  }
  return `edges[${index}]`;
}

/** Where a node is, for messages: `node "3"`. */
export function nodeWhere(id: string): string {
  return `node ${quoteId(id)}`;
}
