// Checks edge `when` conditions. Accepts exactly what ConditionSchema accepts, but says precisely what is wrong
// (a zod union only says "no option matched"), suggests the key that was meant, and compiles `matches` patterns.
import type { Problem } from '../errors.js';
import { closest } from './suggest.js';
import { shortJson } from './text.js';

const LEAF_KEYS = ['path', 'equals', 'notEquals', 'in', 'exists', 'matches', 'gt', 'gte', 'lt', 'lte'] as const;
const COMBINATORS = ['all', 'any', 'not'] as const;
const ALL_KEYS: readonly string[] = [...LEAF_KEYS, ...COMBINATORS];
const LEAF_KEY_SET: ReadonlySet<string> = new Set(LEAF_KEYS);
/** In-memory conditions could be cyclic objects; files cannot nest deeper than the parser allows anyway. */
const MAX_CONDITION_DEPTH = 200;

/** The longest `matches` pattern accepted. */
export const MAX_PATTERN_LENGTH = 200;

/** How much of a value a `matches` pattern sees: the engine tests this prefix, and the work estimate assumes it. */
export const MAX_MATCH_TEXT = 10_000;

/**
 * The most work (roughly, backtracking steps) a pattern may need on MAX_MATCH_TEXT characters: about a second on
 * a laptop. `.*x` or `^\s*(yes|y)\s*$` need far less; `.*.*x` (a trillion) or `(a|aa)+$` (unbounded) are refused.
 */
export const MAX_PATTERN_WORK = 1e9;

/**
 * How a `matches` pattern is compiled, or why it is refused: with the `u` flag, at most MAX_PATTERN_LENGTH
 * characters, no backreference, no unbounded repeat of a group that can match in more than one way (`(a+)+`,
 * `(a|aa)+`), and no more than MAX_PATTERN_WORK estimated work (`.*.*x`, `a?a?...a?aa...a`). A condition's pattern
 * is graph data and its text is run data, both possibly hostile, and a JavaScript regex cannot be interrupted.
 * Validation and the engine must share this, so that what validation accepts is what runs.
 */
export function compileConditionPattern(source: string): RegExp | string {
  const cached = patternCache.get(source);
  if (cached !== undefined) return cached;
  const compiled = compileUncached(source);
  // Graphs repeat the same few patterns; the bound keeps a hostile graph from growing the cache without end.
  if (patternCache.size >= 1000) patternCache.clear();
  patternCache.set(source, compiled);
  return compiled;
}

// A RegExp with neither the g nor the y flag keeps no state between uses, so sharing one is safe.
const patternCache = new Map<string, RegExp | string>();

function compileUncached(source: string): RegExp | string {
  if (source.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (hasNestedQuantifier(source)) {
    return 'the pattern repeats a repeated group (like (a+)+), which can take forever on some inputs';
  }
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, 'u');
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
  // Only a pattern the u flag accepts is analysed: its syntax is strict, so the small parser below can trust it.
  return patternCostProblem(source) ?? compiled;
}

/** A regex part as far as backtracking cost goes. Parsed from a pattern that compiled with the u flag. */
type Term =
  | { kind: 'char'; source: string; literal?: string }
  | { kind: 'assert'; anchor?: '^' }
  | { kind: 'backref' }
  | { kind: 'group'; branches: Term[][]; look: boolean }
  | { kind: 'repeat'; body: Term; min: number; max: number };

/**
 * Why `source` (valid with the u flag) can backtrack too long, or undefined. Estimates the steps on
 * MAX_MATCH_TEXT characters: every start position unless each branch starts with `^`, times the work along the
 * pattern, where each part is tried once per way the parts before it matched (a repeat of one character matches
 * one way per count, an alternation in the sum of its branches' ways). A repeat matches one way when it ends the
 * pattern or is followed by a literal it cannot match (`\w+@`): backtracking into it cannot lead anywhere new.
 * Conservative: it may refuse a few patterns that run fast.
 */
export function patternCostProblem(source: string): string | undefined {
  let branches: Term[][];
  try {
    branches = parsePattern(source);
  } catch {
    return 'the pattern could not be analysed';
  }
  let backreference = false;
  let nested = false;
  // Per part: `ways`, how many ways it can match (each a path the rest of the pattern is tried on after a
  // failure), and `work`, the steps to go through them once.
  type Cost = { ways: number; work: number };
  const alternatives = (list: Term[][], tail: boolean): Cost =>
    list.reduce(
      (sum, terms) => {
        const branch = sequence(terms, tail);
        return { ways: sum.ways + branch.ways, work: sum.work + branch.work };
      },
      { ways: 0, work: 0 },
    );
  const sequence = (terms: Term[], tail: boolean): Cost => {
    let paths = 1;
    let work = 0;
    terms.forEach((term, k) => {
      const part = cost(term, terms[k + 1], tail && k === terms.length - 1);
      work += paths * part.work;
      paths *= part.ways;
    });
    return { ways: paths, work };
  };
  const cost = (term: Term, next: Term | undefined, last: boolean): Cost => {
    switch (term.kind) {
      case 'char':
      case 'assert':
        return { ways: 1, work: 1 };
      case 'backref':
        backreference = true;
        return { ways: 1, work: 1 };
      case 'group': {
        // The end of a lookaround is not the end of the match: a repeat there is scanned each time it is tried.
        const inner = alternatives(term.branches, last && !term.look);
        // A lookaround is atomic: once it holds, nothing backtracks into it.
        return term.look ? { ways: 1, work: inner.work } : inner;
      }
      case 'repeat': {
        const body = cost(term.body, undefined, false);
        const max = Math.min(term.max, MAX_MATCH_TEXT);
        if (body.ways > 1) {
          // Each repetition may match its body in several ways: exponential in the count.
          if (term.max === Infinity) {
            nested = true;
            return { ways: 1, work: 1 };
          }
          let ways = 0;
          let work = 0;
          for (let count = 0; count <= max && work <= MAX_PATTERN_WORK; count++) {
            if (count >= term.min) ways += body.ways ** count;
            if (count < max) work += body.ways ** count * body.work;
          }
          return { ways, work };
        }
        // A repeat that ends the pattern ends the match: it is scanned once, on success.
        if (last) return { ways: 1, work: 1 };
        const work = max * body.work + 1;
        if (term.min === term.max) return { ways: 1, work };
        const literal = next?.kind === 'char' ? next.literal : undefined;
        if (literal !== undefined && term.body.kind === 'char' && !charMatches(term.body.source, literal)) return { ways: 1, work };
        return { ways: max - term.min + 1, work };
      }
    }
  };
  const anchored = branches.every((terms) => terms[0]?.kind === 'assert' && terms[0].anchor === '^');
  const work = (anchored ? 1 : MAX_MATCH_TEXT) * alternatives(branches, true).work;
  if (backreference) return 'backreferences (\\1, \\k<name>) are not allowed: matching them can take forever on some inputs';
  if (nested) {
    return (
      'the pattern repeats a group that can match in more than one way (like (a+)+ or (a|aa)+), which can take ' +
      'forever on some inputs'
    );
  }
  if (work > MAX_PATTERN_WORK) {
    return (
      `the pattern can take too long on some inputs (about ${Number.isFinite(work) ? work.toExponential(0) : 'endless'} steps ` +
      `on ${MAX_MATCH_TEXT} characters, at most ${MAX_PATTERN_WORK.toExponential(0)}): start it with ^, or use fewer ` +
      'repeats (*, +, ?, {n,m}) of overlapping characters'
    );
  }
  return undefined;
}

/** Whether the one-character matcher `source` (a class, an escape, `.` or a character) matches `char`. */
function charMatches(source: string, char: string): boolean {
  try {
    return new RegExp(`^(?:${source})$`, 'u').test(char);
  } catch {
    return true;
  }
}

/** Parses a pattern that compiled with the u flag into branches of terms (see Term). */
function parsePattern(source: string): Term[][] {
  let i = 0;
  const alternatives = (): Term[][] => {
    const list = [sequence()];
    while (source[i] === '|') {
      i++;
      list.push(sequence());
    }
    return list;
  };
  const sequence = (): Term[] => {
    const terms: Term[] = [];
    while (i < source.length && source[i] !== '|' && source[i] !== ')') terms.push(quantified(atom()));
    return terms;
  };
  const atom = (): Term => {
    const start = i;
    const char = source[i];
    if (char === '(') {
      i++;
      let look = false;
      if (source[i] === '?') {
        if (source.startsWith('?:', i)) i += 2;
        else if (source.startsWith('?=', i) || source.startsWith('?!', i)) (i += 2), (look = true);
        else if (source.startsWith('?<=', i) || source.startsWith('?<!', i)) (i += 3), (look = true);
        else i = source.indexOf('>', i) + 1; // (?<name>
      }
      const branches = alternatives();
      if (source[i] !== ')') throw new Error('unbalanced group');
      i++;
      return { kind: 'group', branches, look };
    }
    if (char === '[') {
      i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      return { kind: 'char', source: source.slice(start, i) };
    }
    if (char === '^') {
      i++;
      return { kind: 'assert', anchor: '^' };
    }
    if (char === '$') {
      i++;
      return { kind: 'assert' };
    }
    if (char === '.') {
      i++;
      return { kind: 'char', source: '.' };
    }
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'k') {
        i = source.indexOf('>', i) + 1;
        return { kind: 'backref' };
      }
      if (/[1-9]/u.test(next)) {
        i += 2;
        while (/\d/u.test(source[i] ?? '')) i++;
        return { kind: 'backref' };
      }
      if (next === 'b' || next === 'B') {
        i += 2;
        return { kind: 'assert' };
      }
      if (next === 'p' || next === 'P' || (next === 'u' && source[i + 2] === '{')) i = source.indexOf('}', i) + 1;
      else if (next === 'u') i += 6;
      else if (next === 'x') i += 4;
      else if (next === 'c') i += 3;
      else i += 2;
      const escape = source.slice(start, i);
      // With the u flag, an escaped non-word character is that character: `\.`, `\/`, `\-`.
      return /^\\\W$/u.test(escape) ? { kind: 'char', source: escape, literal: escape.slice(1) } : { kind: 'char', source: escape };
    }
    const text = String.fromCodePoint(source.codePointAt(i) ?? 0);
    i += text.length;
    return { kind: 'char', source: text, literal: text };
  };
  const quantified = (term: Term): Term => {
    let min: number;
    let max: number;
    const char = source[i];
    if (char === '*' || char === '+' || char === '?') {
      i++;
      min = char === '+' ? 1 : 0;
      max = char === '?' ? 1 : Infinity;
    } else if (char === '{') {
      const counts = /^\{(\d+)(,(\d*))?\}/u.exec(source.slice(i));
      if (!counts) throw new Error('bad repeat');
      i += counts[0].length;
      min = Number(counts[1]);
      max = counts[2] === undefined ? min : counts[3] === '' ? Infinity : Number(counts[3]);
    } else {
      return term;
    }
    // A lazy repeat (`*?`) tries the same counts in another order: the same cost.
    if (source[i] === '?') i++;
    return { kind: 'repeat', body: term, min, max };
  };
  const branches = alternatives();
  if (i !== source.length) throw new Error('unbalanced group');
  return branches;
}

/**
 * True for an unbounded quantifier (`*`, `+`, `{n,}`) applied to a group that contains a quantifier, e.g. `(a+)+`,
 * `(a*b?)*`, `(?:x|y+){2,}`. Conservative: it may refuse a few safe patterns.
 */
export function hasNestedQuantifier(source: string): boolean {
  // For each open group: does it contain a quantifier?
  const open: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '(') {
      open.push(false);
    } else if (ch === ')') {
      const quantifiedInside = open.pop() ?? false;
      const after = source.slice(i + 1, i + 24);
      if (quantifiedInside && /^(?:[*+]|\{\d+,\})/u.test(after)) return true;
      // A quantified group is itself a quantifier inside the group around it.
      if (open.length > 0 && (quantifiedInside || /^(?:[*+?]|\{\d+(?:,\d*)?\})/u.test(after))) open[open.length - 1] = true;
    } else if ((ch === '*' || ch === '+' || ch === '{') && open.length > 0) {
      open[open.length - 1] = true;
    }
  }
  return false;
}

type Path = (string | number)[];

/**
 * Appends a problem for everything wrong in `condition`. `where` prefixes messages, e.g. `edges[2] (1 -> 2)`; it
 * may be a function, so that big graphs of valid conditions build no message text.
 */
export function checkCondition(condition: unknown, path: Path, where: string | (() => string), problems: Problem[]): void {
  check(condition, path, typeof where === 'string' ? () => where : where, problems, 0);
}

type Where = () => string;

function report(problems: Problem[], code: string, path: Path, where: Where, message: string): void {
  problems.push({ code, path, message: `${where()}: ${message}`, severity: 'error' });
}

function describePath(path: Path): string {
  const inner = path.slice(path.indexOf('when') + 1);
  return `when${inner.map((seg) => (typeof seg === 'number' ? `[${seg}]` : `.${seg}`)).join('')}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Messages and paths are built only for actual problems: big graphs have many valid conditions.
function check(condition: unknown, path: Path, where: Where, problems: Problem[], depth: number): void {
  if (depth > MAX_CONDITION_DEPTH) {
    report(problems, 'CONDITION_INVALID', path, where, `${describePath(path)} is nested too deeply`);
    return;
  }
  if (!isPlainObject(condition)) {
    report(problems, 'CONDITION_INVALID', path, where, `${describePath(path)} must be an object, not ${shortJson(condition, 40)}`);
    return;
  }
  const keys = Object.keys(condition).filter((key) => condition[key] !== undefined);
  const combinator = keys.find((key) => (COMBINATORS as readonly string[]).includes(key));
  if (combinator !== undefined) {
    const others = keys.filter((key) => key !== combinator);
    if (others.length > 0) {
      report(
        problems,
        'CONDITION_INVALID',
        [...path, others[0] ?? ''],
        where,
        `${describePath(path)} mixes "${combinator}" with ${others.map((key) => `"${key}"`).join(', ')}: put each test in its own condition`,
      );
    }
    const inner = condition[combinator];
    if (combinator === 'not') {
      check(inner, [...path, 'not'], where, problems, depth + 1);
    } else if (!Array.isArray(inner) || inner.length === 0) {
      report(
        problems,
        'CONDITION_INVALID',
        [...path, combinator],
        where,
        `${describePath(path)}.${combinator} must be a non-empty list of conditions`,
      );
    } else {
      inner.forEach((item, index) => check(item, [...path, combinator, index], where, problems, depth + 1));
    }
    return;
  }
  for (const key of keys) {
    const value = condition[key];
    if (!LEAF_KEY_SET.has(key)) {
      const suggestion = closest(key, ALL_KEYS);
      report(
        problems,
        'CONDITION_INVALID',
        [...path, key],
        where,
        `${describePath(path)} has an unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known keys: ${ALL_KEYS.join(', ')}`,
      );
      continue;
    }
    switch (key) {
      case 'path':
        if (typeof value !== 'string') expected(problems, path, where, key, 'a string', value);
        break;
      case 'equals':
      case 'notEquals':
        if (!isJson(value, 0)) expected(problems, path, where, key, 'a JSON value', value);
        break;
      case 'in':
        if (!Array.isArray(value) || !value.every((item) => isJson(item, 0))) {
          expected(problems, path, where, key, 'a list of JSON values', value);
        }
        break;
      case 'exists':
        if (typeof value !== 'boolean') expected(problems, path, where, key, 'true or false', value);
        break;
      case 'matches':
        if (typeof value !== 'string') {
          expected(problems, path, where, key, 'a regular expression string', value);
        } else {
          const compiled = compileConditionPattern(value);
          if (typeof compiled === 'string') {
            report(problems, 'CONDITION_REGEX_INVALID', [...path, key], where, `${describePath(path)}.matches: ${compiled}`);
          }
        }
        break;
      default:
        // gt, gte, lt, lte
        if (typeof value !== 'number' || !Number.isFinite(value)) expected(problems, path, where, key, 'a number', value);
    }
  }
}

function expected(problems: Problem[], path: Path, where: Where, key: string, what: string, value: unknown): void {
  report(problems, 'CONDITION_INVALID', [...path, key], where, `${describePath(path)}.${key} must be ${what}, not ${shortJson(value, 40)}`);
}

/** JSON values as the format allows them: finite numbers only, no undefined, bounded depth. */
export function isJson(value: unknown, depth: number): boolean {
  if (depth > MAX_CONDITION_DEPTH) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  if (typeof value === 'object') return Object.values(value).every((item) => isJson(item, depth + 1));
  return false;
}
