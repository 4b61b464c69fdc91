// One-line descriptions of graph parts for people: `when` conditions (`approved == true and score > 3`) and edges.
import type { Condition } from './schema.js';
import { displayId, escapeUnsafe, shortJson, truncate } from './text.js';

const OPERATORS: [key: string, symbol: string][] = [
  ['equals', '=='],
  ['notEquals', '!='],
  ['in', 'in'],
  ['gt', '>'],
  ['gte', '>='],
  ['lt', '<'],
  ['lte', '<='],
];

/** `approved == true`, `not (score > 3)`, `(a == 1 or b exists)`. Never throws, even on malformed conditions. */
export function describeCondition(condition: Condition | unknown, depth = 0): string {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition) || depth > 20) {
    return shortJson(condition, 40);
  }
  const c = condition as Record<string, unknown>;
  if (Array.isArray(c.all)) return group(c.all, 'and', depth);
  if (Array.isArray(c.any)) return group(c.any, 'or', depth);
  if (c.not !== undefined) return `not (${describeCondition(c.not, depth + 1)})`;
  const subject = typeof c.path === 'string' && c.path !== '' ? truncate(escapeUnsafe(c.path), 30) : 'output';
  const tests: string[] = [];
  for (const [key, symbol] of OPERATORS) {
    if (c[key] !== undefined) tests.push(`${subject} ${symbol} ${shortJson(c[key], 30)}`);
  }
  if (c.exists !== undefined) tests.push(c.exists === false ? `${subject} is missing` : `${subject} exists`);
  if (typeof c.matches === 'string') tests.push(`${subject} ~ /${truncate(escapeUnsafe(c.matches), 30)}/`);
  if (tests.length === 0) return `${subject} (any value)`;
  return tests.join(' and ');
}

function group(items: unknown[], joiner: string, depth: number): string {
  const parts = items.map((item) => describeCondition(item, depth + 1));
  return parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(` ${joiner} `)})`;
}

/** `1 -> 2`, with the condition and label when there are any: `3 -> 4 when approved == true "yes"`. */
export function describeEdge(edge: { from: string; to: string; when?: unknown; label?: unknown }): string {
  let text = `${displayId(edge.from)} -> ${displayId(edge.to)}`;
  if (edge.when !== undefined) text += ` when ${describeCondition(edge.when)}`;
  if (typeof edge.label === 'string') text += ` ${shortJson(edge.label, 40)}`;
  return text;
}
