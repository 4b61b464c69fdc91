// Turns an action's data schema (zod → JSON Schema) into the form strict structured output accepts: every
// property required, `additionalProperties: false`, optional fields made nullable. A decoder maps the model's
// answer back: a null for a field that was optional becomes an absent field. Parts that strict mode cannot
// express (free-keyed maps, tuples, recursive refs) become a string of JSON text that the decoder parses.
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

export type Decoder =
  | { kind: 'pass' }
  | { kind: 'json-text' }
  | { kind: 'object'; properties: Map<string, { decoder: Decoder; dropNull: boolean }> }
  | { kind: 'array'; items: Decoder }
  | { kind: 'anyOf'; branches: { schema: JsonSchema; decoder: Decoder }[] };

export interface StrictConversion {
  schema: JsonSchema;
  decoder: Decoder;
  /** False when some part had to become JSON text. */
  exact: boolean;
}

const PASS: Decoder = { kind: 'pass' };
const SUPPORTED_STRING_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/** Any scalar, for data schemas that say nothing (z.unknown()). Objects would need a free-form schema. */
export const ANY_SCALAR: JsonSchema = {
  anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
};

/** The JSON Schema of a zod schema as input (what a graph may write), never throwing on exotic types. */
export function zodToJsonSchema(schema: z.ZodType): JsonSchema {
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    delete json.$schema;
    return json;
  } catch {
    return {};
  }
}

export function toStrictSchema(source: JsonSchema): StrictConversion {
  const state = { exact: true };
  const { schema, decoder } = convert(source, state, 0);
  return { schema, decoder, exact: state.exact };
}

/** True when `schema` (strict form) accepts null at the top. */
export function acceptsNull(schema: JsonSchema): boolean {
  const type = schema.type;
  if (type === 'null') return true;
  if (Array.isArray(type) && type.includes('null')) return true;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).some(acceptsNull);
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).includes(null);
  if ('const' in schema) return schema.const === null;
  return false;
}

/** Adds null to a strict schema, as compactly as the schema allows. */
export function makeNullable(schema: JsonSchema): JsonSchema {
  if (acceptsNull(schema)) return schema;
  const { type } = schema;
  const plain = !('enum' in schema) && !('const' in schema) && !('anyOf' in schema);
  if (plain && typeof type === 'string' && PRIMITIVE_TYPES.has(type)) return { ...schema, type: [type, 'null'] };
  if (Array.isArray(schema.anyOf) && Object.keys(schema).length === 1) {
    return { anyOf: [...(schema.anyOf as JsonSchema[]), { type: 'null' }] };
  }
  return { anyOf: [schema, { type: 'null' }] };
}

function convert(node: unknown, state: { exact: boolean }, depth: number): { schema: JsonSchema; decoder: Decoder } {
  if (node === true || node === undefined) return { schema: ANY_SCALAR, decoder: PASS };
  if (node === false || typeof node !== 'object' || node === null) return loose(node, state);
  const source = node as JsonSchema;
  // Strict mode allows limited nesting; deeper parts travel as JSON text.
  if (depth > 6) return loose(source, state);
  if ('$ref' in source || 'not' in source || 'if' in source || 'prefixItems' in source) return loose(source, state);

  const description = typeof source.description === 'string' ? { description: source.description } : {};
  const union = (source.anyOf ?? source.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const branches = union.map((branch) => convert(branch, state, depth + 1));
    return {
      schema: { anyOf: branches.map((b) => b.schema), ...description },
      decoder: { kind: 'anyOf', branches },
    };
  }
  if (Array.isArray(source.allOf)) {
    if (source.allOf.length === 1) return convert(source.allOf[0], state, depth);
    return loose(source, state);
  }
  if (Array.isArray(source.enum) || 'const' in source) {
    const values = Array.isArray(source.enum) ? (source.enum as unknown[]) : [source.const];
    if (values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
      return { schema: { ...enumType(values), enum: values, ...description }, decoder: PASS };
    }
    return loose(source, state);
  }

  const type = source.type;
  if (Array.isArray(type)) {
    if (type.every((t) => typeof t === 'string' && PRIMITIVE_TYPES.has(t))) {
      return { schema: { ...primitiveKeywords(source), type, ...description }, decoder: PASS };
    }
    const branches = type.map((t) => convert({ ...source, type: t }, state, depth + 1));
    return { schema: { anyOf: branches.map((b) => b.schema) }, decoder: { kind: 'anyOf', branches } };
  }
  switch (type) {
    case 'object':
      return convertObject(source, state, depth, description);
    case 'array': {
      const items = convert(source.items ?? true, state, depth + 1);
      const schema: JsonSchema = { type: 'array', items: items.schema, ...description };
      if (typeof source.minItems === 'number') schema.minItems = source.minItems;
      if (typeof source.maxItems === 'number') schema.maxItems = source.maxItems;
      return { schema, decoder: items.decoder.kind === 'pass' ? PASS : { kind: 'array', items: items.decoder } };
    }
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { schema: { type, ...primitiveKeywords(source), ...description }, decoder: PASS };
    case undefined:
      // {} or a schema with only annotations: anything goes; strict mode can offer scalars.
      return { schema: { ...ANY_SCALAR, ...description }, decoder: PASS };
    default:
      return loose(source, state);
  }
}

function convertObject(
  source: JsonSchema,
  state: { exact: boolean },
  depth: number,
  description: JsonSchema,
): { schema: JsonSchema; decoder: Decoder } {
  const properties = (source.properties ?? {}) as Record<string, unknown>;
  const names = Object.keys(properties);
  const extra = source.additionalProperties;
  const freeKeyed = extra !== undefined && extra !== false && names.length === 0;
  if (freeKeyed || 'patternProperties' in source || ('propertyNames' in source && names.length === 0)) {
    return loose(source, state);
  }
  const required = new Set(Array.isArray(source.required) ? (source.required as string[]) : []);
  const strictProperties: Record<string, JsonSchema> = Object.create(null) as Record<string, JsonSchema>;
  const decoders = new Map<string, { decoder: Decoder; dropNull: boolean }>();
  for (const name of names) {
    const converted = convert(properties[name], state, depth + 1);
    const optional = !required.has(name);
    // A field that was optional but not nullable: null in the answer means "absent".
    const dropNull = optional && !acceptsNull(converted.schema);
    strictProperties[name] = optional ? makeNullable(converted.schema) : converted.schema;
    decoders.set(name, { decoder: converted.decoder, dropNull });
  }
  return {
    schema: {
      type: 'object',
      properties: { ...strictProperties },
      required: names,
      additionalProperties: false,
      ...description,
    },
    decoder: { kind: 'object', properties: decoders },
  };
}

/** Strict mode wants a type beside an enum; one is given when all the values share it. */
function enumType(values: unknown[]): JsonSchema {
  const types = new Set(values.map((v) => (v === null ? 'null' : typeof v)));
  return types.size === 1 ? { type: [...types][0] } : {};
}

function primitiveKeywords(source: JsonSchema): JsonSchema {
  const kept: JsonSchema = {};
  if (typeof source.pattern === 'string') kept.pattern = source.pattern;
  if (typeof source.format === 'string' && SUPPORTED_STRING_FORMATS.has(source.format)) kept.format = source.format;
  for (const key of NUMBER_KEYWORDS) {
    const value = source[key];
    // zod writes ±MAX_SAFE_INTEGER for z.int(): noise for a model.
    if (typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER) kept[key] = value;
  }
  return kept;
}

function loose(source: unknown, state: { exact: boolean }): { schema: JsonSchema; decoder: Decoder } {
  state.exact = false;
  const hint =
    typeof source === 'object' && source !== null && typeof (source as JsonSchema).description === 'string'
      ? `${(source as JsonSchema).description as string}; `
      : '';
  return {
    schema: { type: 'string', description: `${hint}JSON text of the value` },
    decoder: { kind: 'json-text' },
  };
}

/** Maps a strict-mode answer back to what the original schema expects. Leaves unknown shapes alone. */
export function decodeStrict(value: unknown, decoder: Decoder): unknown {
  switch (decoder.kind) {
    case 'pass':
      return value;
    case 'json-text': {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => decodeStrict(item, decoder.items)) : value;
    case 'object': {
      if (!isPlainObject(value)) return value;
      const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [key, item] of Object.entries(value)) {
        const property = decoder.properties.get(key);
        if (!property) {
          result[key] = item;
          continue;
        }
        if (item === null && property.dropNull) continue;
        result[key] = decodeStrict(item, property.decoder);
      }
      return { ...result };
    }
    case 'anyOf': {
      const branch = decoder.branches.find((b) => shallowMatch(b.schema, value));
      return branch ? decodeStrict(value, branch.decoder) : value;
    }
  }
}

/** Does `value` have the JSON type (and, for objects, the keys) that `schema` describes? */
export function shallowMatch(schema: JsonSchema, value: unknown): boolean {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).some((s) => shallowMatch(s, value));
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).some((v) => v === value);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  const actual = jsonType(value);
  return types.some((t) => {
    if (t === 'integer') return actual === 'number' && Number.isInteger(value);
    if (t !== actual) return false;
    if (t === 'object' && isPlainObject(value) && isPlainObject(schema.properties)) {
      const known = schema.properties;
      return Object.keys(value).every((key) => Object.hasOwn(known, key));
    }
    return true;
  });
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
