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

/**
 * How a `matches` pattern is compiled, or why it is refused: with the `u` flag, at most MAX_PATTERN_LENGTH
 * characters, and no unbounded repeat of a group that repeats (`(a+)+`), the shape of catastrophic backtracking.
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
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
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
