// The model-facing form of an edge's `when`: a leaf is {path, op, value} instead of ten optional operator keys,
// which strict structured output would force the model to spell out as nulls. Encoded and decoded both ways so
// training examples and answers share one form.
import type { Condition, Json } from '../graph/schema.js';
import type { JsonSchema } from './strict-schema.js';
import { isPlainObject } from './strict-schema.js';

export const CONDITION_OPS = ['equals', 'notEquals', 'in', 'exists', 'matches', 'gt', 'gte', 'lt', 'lte'] as const;
type ConditionOp = (typeof CONDITION_OPS)[number];

export type ModelCondition =
  | { path: string | null; op: ConditionOp; value: Json }
  | { all: ModelCondition[] }
  | { any: ModelCondition[] }
  | { not: ModelCondition };

const SCALAR: JsonSchema[] = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }];

/** `$defs.condition` for the model-facing schema; refer to it with {"$ref": "#/$defs/condition"}. */
export function conditionDefinition(): JsonSchema {
  const ref = { $ref: '#/$defs/condition' };
  return {
    anyOf: [
      {
        type: 'object',
        description: 'a test on the source node output: path is a dot path into it (null = the whole output)',
        properties: {
          path: { type: ['string', 'null'] },
          op: { type: 'string', enum: [...CONDITION_OPS] },
          value: { anyOf: [...SCALAR, { type: 'array', items: { anyOf: SCALAR } }] },
        },
        required: ['path', 'op', 'value'],
        additionalProperties: false,
      },
      { type: 'object', properties: { all: { type: 'array', items: ref } }, required: ['all'], additionalProperties: false },
      { type: 'object', properties: { any: { type: 'array', items: ref } }, required: ['any'], additionalProperties: false },
      { type: 'object', properties: { not: ref }, required: ['not'], additionalProperties: false },
    ],
  };
}

/**
 * Model form → file form. Anything already in file form passes through, so answers in JSON mode or plain text
 * that use the file's own operators are accepted too. Unknown shapes are returned as they are for the validator.
 */
export function decodeCondition(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  if (Array.isArray(value.all) && Object.keys(value).length === 1) return { all: value.all.map(decodeCondition) };
  if (Array.isArray(value.any) && Object.keys(value).length === 1) return { any: value.any.map(decodeCondition) };
  if ('not' in value && Object.keys(value).length === 1) return { not: decodeCondition(value.not) };
  if (typeof value.op === 'string') {
    const leaf: Record<string, unknown> = {};
    if (typeof value.path === 'string' && value.path !== '') leaf.path = value.path;
    leaf[value.op] = value.value === undefined ? null : value.value;
    return leaf;
  }
  // File form: drop the nulls a strict answer may carry for unused operators.
  const leaf: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null || key === 'equals' || key === 'notEquals') leaf[key] = item;
  }
  return leaf;
}

/** File form → model form (a leaf with several operators becomes an `all` of single-operator leaves). */
export function encodeCondition(condition: Condition): ModelCondition {
  if ('all' in condition) return { all: condition.all.map(encodeCondition) };
  if ('any' in condition) return { any: condition.any.map(encodeCondition) };
  if ('not' in condition) return { not: encodeCondition(condition.not) };
  const path = condition.path ?? null;
  const leaves: ModelCondition[] = [];
  for (const op of CONDITION_OPS) {
    const value = (condition as Record<string, unknown>)[op];
    if (value !== undefined) leaves.push({ path, op, value: value as Json });
  }
  if (leaves.length === 1 && leaves[0]) return leaves[0];
  if (leaves.length === 0) return { path, op: 'exists', value: true };
  return { all: leaves };
}
