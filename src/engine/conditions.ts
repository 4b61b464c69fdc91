// `when` conditions on edges: a small JSON language evaluated against the source node's output. Data, never code:
// `matches` patterns are compiled by the graph module's compileConditionPattern (so what validation accepts is what
// runs: bounded length, no backreferences, bounded estimated backtracking) and only ever see a bounded prefix of the
// text, the length that estimate assumes.
import type { Problem } from '../errors.js';
import { compileConditionPattern, MAX_MATCH_TEXT } from '../graph/conditions.js';
import type { Condition, Json } from '../graph/schema.js';
import { deepEqual, readPath, splitPath } from './value-path.js';

export type CompiledCondition = (output: unknown) => boolean;

const hasOwn = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);

/**
 * Compiles a condition. Problems (a bad regex, an unknown shape) are added at `where` and the result is a
 * condition that never holds, so a caller that ignores problems still cannot run a broken branch.
 */
export function compileCondition(condition: Condition, where: (string | number)[], problems: Problem[], label: string): CompiledCondition {
  const fail = (message: string, path: (string | number)[] = where, code = 'CONDITION_INVALID'): CompiledCondition => {
    problems.push({ code, path, message: `${label}: ${message}`, severity: 'error' });
    return () => false;
  };
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return fail('a condition is an object');
  if (hasOwn(condition, 'all') || hasOwn(condition, 'any')) {
    const key = hasOwn(condition, 'all') ? 'all' : 'any';
    const list = (condition as Record<string, unknown>)[key];
    if (!Array.isArray(list) || list.length === 0) return fail(`"${key}" needs a non-empty list of conditions`);
    const parts = (list as Condition[]).map((part, i) => compileCondition(part, [...where, key, i], problems, label));
    return key === 'all' ? (output) => parts.every((part) => part(output)) : (output) => parts.some((part) => part(output));
  }
  if (hasOwn(condition, 'not')) {
    const inner = compileCondition((condition as { not: Condition }).not, [...where, 'not'], problems, label);
    return (output) => !inner(output);
  }
  return compileLeaf(condition as Extract<Condition, { path?: string }>, where, fail);
}

function compileLeaf(
  leaf: Extract<Condition, { path?: string }>,
  where: (string | number)[],
  fail: (message: string, path?: (string | number)[], code?: string) => CompiledCondition,
): CompiledCondition {
  const path = splitPath(leaf.path);
  const tests: ((value: unknown) => boolean)[] = [];
  if (hasOwn(leaf, 'equals')) {
    const expected = leaf.equals as Json;
    tests.push((value) => deepEqual(value, expected));
  }
  if (hasOwn(leaf, 'notEquals')) {
    const unexpected = leaf.notEquals as Json;
    tests.push((value) => !deepEqual(value, unexpected));
  }
  if (leaf.in !== undefined) {
    if (!Array.isArray(leaf.in)) return fail('"in" needs a list', [...where, 'in']);
    const options = leaf.in;
    tests.push((value) => options.some((option) => deepEqual(value, option)));
  }
  if (leaf.exists !== undefined) {
    const wanted = leaf.exists;
    tests.push((value) => (value !== undefined) === wanted);
  }
  if (leaf.matches !== undefined) {
    const pattern = compileConditionPattern(leaf.matches);
    if (typeof pattern === 'string') return fail(`"matches": ${pattern}`, [...where, 'matches'], 'CONDITION_REGEX_INVALID');
    tests.push((value) => {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
      return pattern.test(String(value).slice(0, MAX_MATCH_TEXT));
    });
  }
  const comparisons = [
    ['gt', (a: number, b: number) => a > b],
    ['gte', (a: number, b: number) => a >= b],
    ['lt', (a: number, b: number) => a < b],
    ['lte', (a: number, b: number) => a <= b],
  ] as const;
  for (const [key, compare] of comparisons) {
    const bound = leaf[key];
    if (bound === undefined) continue;
    if (typeof bound !== 'number') return fail(`"${key}" needs a number`, [...where, key]);
    tests.push((value) => typeof value === 'number' && compare(value, bound));
  }
  // A leaf with only a path asks whether the value is there.
  if (tests.length === 0) tests.push((value) => value !== undefined);
  if (tests.length === 1) {
    const only = tests[0]!;
    return (output) => only(readPath(output, path));
  }
  return (output) => {
    const value = readPath(output, path);
    return tests.every((test) => test(value));
  };
}
