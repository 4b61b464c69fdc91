import { describe, expect, it } from 'vitest';
import { locatePath, locatePaths } from '../../src/graph/locate.js';

const text = `{
  // comment with "nodes": { "3": ... } inside
  "nodes": {
    "1": { "action": "input.text", "data": "a { b } [ c ]" },
    "3": {
      action: 'confirm.edit',
      "data": { "list": [10, 20, { "deep": true }] },
    },
  },
  "edges": [
    { "from": "1", "to": "3" },
    { "from": "3", "to": "9" },
  ],
}`;

describe('locatePath', () => {
  it('finds object members at their key and array elements at their start', () => {
    expect(locatePath(text, [])).toEqual({ line: 1, column: 1 });
    expect(locatePath(text, ['nodes'])).toEqual({ line: 3, column: 3 });
    expect(locatePath(text, ['nodes', '3'])).toEqual({ line: 5, column: 5 });
    expect(locatePath(text, ['nodes', '3', 'action'])).toEqual({ line: 6, column: 7 });
    expect(locatePath(text, ['nodes', '3', 'data', 'list', 2, 'deep'])).toEqual({ line: 7, column: 36 });
    expect(locatePath(text, ['edges', 1])).toEqual({ line: 12, column: 5 });
    expect(locatePath(text, ['edges', 1, 'to'])).toEqual({ line: 12, column: 20 });
  });

  it('falls back to the deepest part of the path that exists', () => {
    expect(locatePath(text, ['nodes', '3', 'label'])).toEqual({ line: 5, column: 5 });
    expect(locatePath(text, ['nodes', '7', 'action'])).toEqual({ line: 3, column: 3 });
    expect(locatePath(text, ['edges', 5])).toEqual({ line: 10, column: 3 });
  });

  it('locates many paths in one pass, sharing prefixes', () => {
    const paths = [['nodes', '1', 'data'], ['edges', 0, 'from'], ['nodes', '1'], ['missing']];
    expect(locatePaths(text, paths)).toEqual([
      { line: 4, column: 36 },
      { line: 11, column: 7 },
      { line: 4, column: 5 },
      { line: 1, column: 1 },
    ]);
  });

  it('uses the last of repeated keys, as parsing does', () => {
    expect(locatePath('{"a": 1,\n "a": 2}', ['a'])).toEqual({ line: 2, column: 2 });
  });

  it('keeps what it found before a syntax error and gives up on empty text', () => {
    expect(locatePath('{\n "a": {\n  "b": 1,,', ['a', 'b'])).toEqual({ line: 3, column: 3 });
    expect(locatePath('   ', ['a'])).toBeUndefined();
  });

  it('treats odd keys as plain keys', () => {
    const odd = '{"__proto__": {"constructor": {"toString": 1}}}';
    expect(locatePath(odd, ['__proto__', 'constructor', 'toString'])).toEqual({ line: 1, column: 32 });
  });
});
