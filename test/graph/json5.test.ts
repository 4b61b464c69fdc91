import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { Json5SyntaxError, LineIndex, MAX_DEPTH, orderedKeys, parseJson5, positionOf } from '../../src/graph/json5.js';

function syntaxError(text: string): Json5SyntaxError {
  try {
    parseJson5(text);
  } catch (error) {
    if (error instanceof Json5SyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
}

describe('parseJson5', () => {
  it('reads the JSON5 extensions', () => {
    const text = `// a comment
    {
      unquoted: 'single \\'quoted\\'',
      $dollar_1: 0x1F, /* block
      comment */ neg: -0xA,
      plus: +1.5, lead: .5, trail: 5., exp: 1e3,
      inf: Infinity, ninf: -Infinity,
      "esc": "\\x41\\u0042\\t\\v\\0\\/\\q",
      "cont": "a\\
b",
      list: [1, 2, 3,],
    }`;
    const { value } = parseJson5(text);
    expect(value).toEqual({
      unquoted: "single 'quoted'",
      $dollar_1: 31,
      neg: -10,
      plus: 1.5,
      lead: 0.5,
      trail: 5,
      exp: 1000,
      inf: Infinity,
      ninf: -Infinity,
      esc: 'AB\t\v\0/q',
      cont: 'ab',
      list: [1, 2, 3],
    });
    expect(Number.isNaN((parseJson5('{a: NaN}').value as { a: number }).a)).toBe(true);
  });

  it('accepts unicode identifiers, escapes in keys, BOM and unicode spaces', () => {
    const { value } = parseJson5('\ufeff{\u00a0ünïcødé: 1, \\u0061b: 2,\u2003}');
    expect(value).toEqual({ ünïcødé: 1, ab: 2 });
  });

  it('keeps the file order of integer-like keys', () => {
    const doc = parseJson5('{"10": 1, "2": 2, "b": 3, "1": 4, "01": 5}');
    const object = doc.value as object;
    expect(Object.keys(object)).toEqual(['1', '2', '10', 'b', '01']);
    expect(orderedKeys(doc, object)).toEqual(['10', '2', 'b', '1', '01']);
  });

  it('records no order for objects JS already keeps in order', () => {
    const doc = parseJson5('{"b": 1, "a": {"z": 1, "y": 2}}');
    expect(doc.keyOrder.has(doc.value as object)).toBe(false);
    expect(orderedKeys(doc, doc.value as object)).toEqual(['b', 'a']);
  });

  it('stores __proto__ as an own key, never as the prototype', () => {
    const { value } = parseJson5('{"__proto__": {"polluted": true}, "constructor": 1}');
    const object = value as Record<string, unknown>;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.hasOwn(object, '__proto__')).toBe(true);
    expect(object.constructor).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(object)).toEqual(['__proto__', 'constructor']);
  });

  it('reports duplicate keys with their path, last value winning', () => {
    const doc = parseJson5('{"nodes": {"1": {"a": 1}, "2": {}, "1": {"a": 2}}, "x": [{"k": 1, "k": 2}]}');
    expect(doc.duplicateKeys.map((d) => d.path)).toEqual([['nodes', '1'], ['x', 0, 'k']]);
    expect((doc.value as { nodes: Record<string, unknown> }).nodes['1']).toEqual({ a: 2 });
    expect(orderedKeys(doc, (doc.value as { nodes: object }).nodes)).toEqual(['1', '2']);
  });

  it.each([
    ['', 1, 1],
    ['{', 1, 2],
    ['{"a" 1}', 1, 6],
    ['{"a": 1,, }', 1, 9],
    ['[1 2]', 1, 4],
    ['{\n  "a": tru\n}', 2, 8],
    ['{\n  "a": "unterminated\n}', 2, 8],
    ['{"a": 01}', 1, 7],
    ['{"a": 1} x', 1, 10],
    ['/* never closed', 1, 1],
    ['{"a": "\\1"}', 1, 8],
    ['{"a": 0x}', 1, 9],
    ['{"a": 12abc}', 1, 9],
    ['{"a": 1e}', 1, 9],
    ['{-a: 1}', 1, 2],
  ])('reports the position of a syntax error in %j', (text, line, column) => {
    const error = syntaxError(text);
    expect(positionOf(text, error.offset)).toEqual({ line, column });
  });

  it('refuses nesting deeper than MAX_DEPTH without overflowing the stack', () => {
    const deep = '['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1);
    expect(syntaxError(deep).message).toMatch(/nesting/u);
    const ok = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH);
    expect(() => parseJson5(ok)).not.toThrow();
    expect(() => parseJson5('['.repeat(200_000))).toThrow(Json5SyntaxError);
  });

  it('parses any JSON text exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(parseJson5(text).value).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the json5 package on JSON5 text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON5.stringify(value, null, 2);
        expect(parseJson5(text).value).toStrictEqual(JSON5.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('positions', () => {
  it('counts \\n, \\r\\n, \\r and U+2028 as line breaks', () => {
    const text = 'a\nb\r\nc\rd\u2028e';
    const index = new LineIndex(text);
    for (const [char, line] of [['a', 1], ['b', 2], ['c', 3], ['d', 4], ['e', 5]] as const) {
      const offset = text.indexOf(char);
      expect(index.position(offset)).toEqual({ line, column: 1 });
      expect(positionOf(text, offset)).toEqual({ line, column: 1 });
    }
  });
});
