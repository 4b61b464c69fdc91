// Security: `when` conditions are graph data. `matches` patterns that backtrack for ever (or for hours) on hostile
// text are refused when the graph loads, and `path` never reaches a prototype.
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/errors.js';
import { compileCondition } from '../../src/engine/conditions.js';
import { compileConditionPattern, MAX_MATCH_TEXT, patternCostProblem } from '../../src/graph/conditions.js';
import { checkWorkflowText } from '../../src/graph/check-file.js';

function holds(condition: unknown, output: unknown): boolean {
  const problems: Problem[] = [];
  const compiled = compileCondition(condition as never, ['edges', 0, 'when'], problems, 'edge 0');
  expect(problems).toEqual([]);
  return compiled(output);
}

describe('matches: patterns that backtrack catastrophically are refused', () => {
  it.each([
    // Alternatives that overlap, repeated: exponential with no nested quantifier in sight.
    ['(a|a)*b', 'more than one way'],
    ['(a|aa)+$', 'more than one way'],
    ['(?:x|xy)*z', 'more than one way'],
    // An optional part inside a repeated group.
    ['(a?)+$', 'more than one way'],
    ['(?:ab?)*c', 'more than one way'],
    // Backreferences make matching NP-hard.
    ['^(a*)\\1*b', 'backreferences'],
    ['(?<x>a+)\\k<x>', 'backreferences'],
    // Polynomial, but with an exponent high enough to hang on MAX_MATCH_TEXT characters.
    ['.*.*x', 'too long'],
    ['a*a*$', 'too long'],
    ['.*error.*failed', 'too long'],
    ['(.*?,){11}P', 'too long'],
    ['.{0,5000}.{0,5000}x', 'too long'],
    // A repeat followed by a literal it cannot match backtracks cheaply, but is still scanned once per way before it.
    ['.*?\\s*?a', 'too long'],
    // A lookaround is scanned each time it is tried.
    ['a*(?=.*) {1,3}b', 'too long'],
    // Bounded repeats of an ambiguous group multiply too.
    ['(a+){3}x', 'too long'],
    ['(a|b|ab){40}', 'too long'],
    // Optional characters stacked up: exponential in the pattern's own length.
    [`${'a?'.repeat(30)}${'a'.repeat(30)}`, 'too long'],
  ])('%s', (pattern, reason) => {
    const compiled = compileConditionPattern(pattern);
    expect(typeof compiled).toBe('string');
    expect(compiled).toContain(reason);
  });

  it('refuses them when the graph loads, with CONDITION_REGEX_INVALID at the pattern', () => {
    const text = JSON.stringify({
      nodes: { a: { action: 'x.y' }, b: { action: 'x.y' }, c: { action: 'x.y' } },
      edges: [
        { from: 'a', to: 'b', when: { path: 'text', matches: '(a|aa)+$' } },
        { from: 'a', to: 'c', when: { any: [{ path: 'text', matches: '^ok$' }, { path: 'text', matches: '.*.*x' }] } },
      ],
    });
    const report = checkWorkflowText(text, 'hostile.json');
    expect(report.valid).toBe(false);
    const problems = report.problems.filter((problem) => problem.code === 'CONDITION_REGEX_INVALID');
    expect(problems.map((problem) => problem.path)).toEqual([
      ['edges', 0, 'when', 'matches'],
      ['edges', 1, 'when', 'any', 1, 'matches'],
    ]);
  });

  it('and the engine refuses what validation refuses: the branch never runs', () => {
    const problems: Problem[] = [];
    const compiled = compileCondition({ path: 's', matches: '(a|a)*b' }, ['edges', 0, 'when'], problems, 'edge 0');
    expect(problems.map((problem) => problem.code)).toEqual(['CONDITION_REGEX_INVALID']);
    expect(compiled({ s: 'aab' })).toBe(false);
  });

  it.each([
    '^ok$',
    'error|fail',
    '^\\s*yes\\s*$',
    '^\\s*(yes|y)\\s*$',
    '\\s*yes\\s*',
    '.*error.*',
    '^\\w+@\\w+\\.\\w+$',
    '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
    '^-?\\d+(\\.\\d+)?$',
    '^https?://\\S+$',
    'https?://\\S+\\.com',
    '(?:^|\\s)approved(?:\\s|$)',
    '(\\d{1,3}\\.){3}\\d{1,3}',
    '^[A-Z]{3}-\\d{4}$',
    '^.{0,280}$',
    '(ab)+',
    '\\bapproved\\b',
    '^\\p{Lu}+$',
  ])('accepts the everyday pattern %s', (pattern) => {
    expect(patternCostProblem(pattern)).toBeUndefined();
    expect(compileConditionPattern(pattern)).toBeInstanceOf(RegExp);
  });

  it('tests a bounded prefix of huge text (the length the estimate assumes)', () => {
    expect(MAX_MATCH_TEXT).toBe(10_000);
    expect(holds({ path: 's', matches: 'END$' }, { s: `${'a'.repeat(5_000_000)}END` })).toBe(false);
    expect(holds({ path: 's', matches: '^a+$' }, { s: 'a'.repeat(5_000_000) })).toBe(true);
  });
});

describe('condition paths never reach a prototype', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'constructor.name', '__proto__.constructor', 'valueOf'])(
    'path %s finds nothing on plain data',
    (path) => {
      expect(holds({ path, exists: true }, { a: 1 })).toBe(false);
      expect(holds({ path, exists: false }, { a: 1 })).toBe(true);
      expect(holds({ path, exists: true }, [1, 2])).toBe(false);
    },
  );

  it('finds a key that really is in the data, even one named __proto__ (JSON.parse makes it an own key)', () => {
    const output = JSON.parse('{"__proto__": {"admin": true}, "constructor": "yes"}') as unknown;
    expect(holds({ path: '__proto__.admin', equals: true }, output)).toBe(true);
    expect(holds({ path: 'constructor', equals: 'yes' }, output)).toBe(true);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('strings have no properties to a path (length, or a character by index)', () => {
    expect(holds({ path: 'length', exists: true }, 'abc')).toBe(false);
    expect(holds({ path: '0', exists: true }, 'abc')).toBe(false);
  });
});
