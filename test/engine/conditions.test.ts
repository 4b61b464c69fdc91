import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/errors.js';
import type { Condition } from '../../src/graph/schema.js';
import { compileCondition } from '../../src/engine/conditions.js';
import { MAX_MATCH_TEXT } from '../../src/graph/conditions.js';
import { deepEqual } from '../../src/engine/value-path.js';

function holds(condition: Condition, output: unknown): boolean {
  const problems: Problem[] = [];
  const compiled = compileCondition(condition, ['edges', 0, 'when'], problems, 'edge 0');
  expect(problems).toEqual([]);
  return compiled(output);
}

describe('when conditions', () => {
  it('equals / notEquals compare deeply', () => {
    expect(holds({ path: 'a', equals: { b: [1, 2] } }, { a: { b: [1, 2] } })).toBe(true);
    expect(holds({ path: 'a', equals: { b: [1, 2] } }, { a: { b: [2, 1] } })).toBe(false);
    expect(holds({ path: 'a', notEquals: 1 }, { a: 2 })).toBe(true);
    expect(holds({ equals: 'yes' }, 'yes')).toBe(true); // no path: the whole output
  });

  it('in, exists and a bare path', () => {
    expect(holds({ path: 'k', in: ['a', 'b'] }, { k: 'b' })).toBe(true);
    expect(holds({ path: 'k', in: ['a', 'b'] }, { k: 'c' })).toBe(false);
    expect(holds({ path: 'k', exists: true }, { k: null })).toBe(true);
    expect(holds({ path: 'k', exists: false }, {})).toBe(true);
    expect(holds({ path: 'k' }, { k: 0 })).toBe(true);
    expect(holds({ path: 'k' }, {})).toBe(false);
  });

  it('gt/gte/lt/lte need numbers', () => {
    expect(holds({ path: 'n', gt: 1, lte: 3 }, { n: 3 })).toBe(true);
    expect(holds({ path: 'n', gt: 1, lt: 3 }, { n: 3 })).toBe(false);
    expect(holds({ path: 'n', gte: 1 }, { n: '5' })).toBe(false);
  });

  it('matches tests the text of strings, numbers and booleans only, and a bounded prefix of it', () => {
    expect(holds({ path: 's', matches: '^ok' }, { s: 'okay' })).toBe(true);
    expect(holds({ path: 's', matches: '^4' }, { s: 42 })).toBe(true);
    expect(holds({ path: 's', matches: '.' }, { s: { a: 1 } })).toBe(false);
    const long = `${'a'.repeat(MAX_MATCH_TEXT)}END`;
    expect(holds({ path: 's', matches: 'END' }, { s: long })).toBe(false);
  });

  it('all / any / not combine', () => {
    const c: Condition = { all: [{ path: 'a', equals: 1 }, { any: [{ path: 'b', equals: 2 }, { not: { path: 'c', exists: true } }] }] };
    expect(holds(c, { a: 1, b: 3 })).toBe(true);
    expect(holds(c, { a: 1, b: 3, c: 0 })).toBe(false);
    expect(holds(c, { a: 1, b: 2, c: 0 })).toBe(true);
  });

  it('paths walk own properties only', () => {
    expect(holds({ path: 'constructor', exists: true }, {})).toBe(false);
    expect(holds({ path: 'a.length', equals: 3 }, { a: 'abc' })).toBe(false);
    expect(holds({ path: 'a.1', equals: 'y' }, { a: ['x', 'y'] })).toBe(true);
  });

  it('refuses catastrophic and invalid patterns as problems, and the edge never holds', () => {
    const problems: Problem[] = [];
    const nested = compileCondition({ path: 's', matches: '(a+)+$' }, ['edges', 3, 'when'], problems, 'edge 3');
    const invalid = compileCondition({ path: 's', matches: '(' }, ['edges', 4, 'when'], problems, 'edge 4');
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['CONDITION_REGEX_INVALID', ['edges', 3, 'when', 'matches']],
      ['CONDITION_REGEX_INVALID', ['edges', 4, 'when', 'matches']],
    ]);
    expect(nested({ s: 'aaaa' })).toBe(false);
    expect(invalid({ s: '(' })).toBe(false);
  });

  it('deepEqual agrees with comparing JSON texts of key-sorted values', () => {
    const sortKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(sortKeys)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]))
          : value;
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const same = JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
        // -0 and 0 serialise alike and are === equal: both sides agree on them too.
        expect(deepEqual(a, b)).toBe(same);
        expect(deepEqual(a, structuredClone(a))).toBe(true);
      }),
    );
  });
});
