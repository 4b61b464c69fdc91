// zod data schemas → strict structured-output schemas, and answers decoded back to what the zod schema accepts.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeStrict, toStrictSchema, zodToJsonSchema } from '../../src/planner/strict-schema.js';

function roundTrip(schema: z.ZodType, answer: unknown) {
  const strict = toStrictSchema(zodToJsonSchema(schema));
  const accepted = z.fromJSONSchema(strict.schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(answer).success;
  const decoded = decodeStrict(answer, strict.decoder);
  return { strict, accepted, decoded, valid: schema.safeParse(decoded).success };
}

describe('toStrictSchema', () => {
  it('optional fields become required-but-nullable, and null decodes to absent (nested too)', () => {
    const schema = z.object({ a: z.string(), b: z.number().optional(), c: z.object({ d: z.boolean().optional() }).optional() }).strict();
    const { strict, accepted, decoded, valid } = roundTrip(schema, { a: 'x', b: null, c: { d: null } });
    expect(strict.exact).toBe(true);
    expect(strict.schema.required).toEqual(['a', 'b', 'c']);
    expect(accepted).toBe(true);
    expect(decoded).toEqual({ a: 'x', c: {} });
    expect(valid).toBe(true);
  });

  it('a field that is nullable in its own right keeps its null', () => {
    const { decoded, valid } = roundTrip(z.object({ a: z.string().nullable() }), { a: null });
    expect(decoded).toEqual({ a: null });
    expect(valid).toBe(true);
  });

  it('enums and literals keep a type beside their values', () => {
    const { strict } = roundTrip(z.object({ mode: z.enum(['fast', 'slow']), kind: z.literal('k') }), { mode: 'fast', kind: 'k' });
    expect((strict.schema.properties as Record<string, unknown>).mode).toEqual({ type: 'string', enum: ['fast', 'slow'] });
    expect((strict.schema.properties as Record<string, unknown>).kind).toEqual({ type: 'string', enum: ['k'] });
  });

  it('free-keyed maps travel as JSON text and come back as objects', () => {
    const schema = z.object({ headers: z.record(z.string(), z.string()) });
    const { strict, accepted, decoded, valid } = roundTrip(schema, { headers: '{"a": "1"}' });
    expect(strict.exact).toBe(false);
    expect(accepted).toBe(true);
    expect(decoded).toEqual({ headers: { a: '1' } });
    expect(valid).toBe(true);
  });

  it('unions decode by the branch the value fits', () => {
    const schema = z.union([z.string(), z.object({ text: z.string().optional() }).strict()]);
    expect(roundTrip(schema, 'hello')).toMatchObject({ accepted: true, decoded: 'hello', valid: true });
    expect(roundTrip(schema, { text: null })).toMatchObject({ accepted: true, decoded: {}, valid: true });
  });

  it('arrays of objects decode item by item', () => {
    const schema = z.object({ items: z.array(z.object({ v: z.string(), n: z.number().optional() })) });
    expect(roundTrip(schema, { items: [{ v: 'a', n: null }, { v: 'b', n: 2 }] }).decoded).toEqual({ items: [{ v: 'a' }, { v: 'b', n: 2 }] });
  });
});
