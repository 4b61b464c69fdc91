import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PathSyntaxError, formatSegments, getPath, parsePath } from '../../../src/actions/builtin/json-path.js';

describe('parsePath', () => {
  it('parses names, indexes and quoted keys', () => {
    expect(parsePath('a.b[0].c')).toEqual(['a', 'b', 0, 'c']);
    expect(parsePath('[1]["x.y"][\'z\']')).toEqual([1, 'x.y', 'z']);
    expect(parsePath('["a]b"].c')).toEqual(['a]b', 'c']);
    expect(parsePath('["tab\\there"]')).toEqual(['tab\there']);
    expect(parsePath('items[-1]')).toEqual(['items', -1]);
    expect(parsePath('')).toEqual([]);
  });

  it('reports where the syntax breaks', () => {
    for (const bad of ['a.', '.a', 'a..b', 'a[', 'a[x]', 'a]b', 'a["x"', 'a[0]b']) {
      expect(() => parsePath(bad), bad).toThrow(PathSyntaxError);
    }
  });

  it('round-trips through formatSegments', () => {
    const segment = fc.oneof(fc.string({ minLength: 1, unit: 'binary' }), fc.nat(1000));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        // A numeric name and an index read the same value, so compare as strings.
        expect(parsePath(formatSegments(segments)).map(String)).toEqual(segments.map(String));
      }),
    );
  });
});

describe('getPath', () => {
  it('reads own properties and array items only', () => {
    expect(getPath({ a: [1, 2] }, ['a', 1])).toEqual({ found: true, value: 2 });
    expect(getPath({ a: [1, 2] }, ['a', 5])).toEqual({ found: false });
    expect(getPath({}, ['toString'])).toEqual({ found: false });
    expect(getPath({}, ['__proto__'])).toEqual({ found: false });
    expect(getPath(JSON.parse('{"__proto__": {"x": 1}}'), ['__proto__', 'x'])).toEqual({ found: true, value: 1 });
    expect(getPath('text', ['length'])).toEqual({ found: false });
  });
});
