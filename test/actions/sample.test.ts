import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinActions } from '../../src/actions/builtin/index.js';
import { sampleFromSchema } from '../../src/actions/sample.js';

describe('sampleFromSchema (dry-run outputs)', () => {
  it('satisfies common schemas, checks included', () => {
    const schemas: z.ZodType[] = [
      z.object({ text: z.string() }),
      z.object({ email: z.email(), url: z.url(), id: z.uuid(), at: z.iso.datetime(), day: z.iso.date() }),
      z.object({ n: z.number().int().gte(5).lt(10), x: z.number().gt(0.5).lt(0.7), m: z.number().multipleOf(7).gt(10) }),
      z.object({ name: z.string().min(12).max(20), code: z.string().length(4), tag: z.string().startsWith('ab').endsWith('yz') }),
      z.object({ list: z.array(z.enum(['a', 'b'])).min(3), pair: z.tuple([z.string(), z.boolean()]) }),
      z.object({ choice: z.union([z.literal(3), z.string()]), kind: z.discriminatedUnion('k', [z.object({ k: z.literal('a') })]) }),
      z.object({ maybe: z.string().optional(), nullable: z.number().nullable(), rec: z.record(z.string(), z.number()) }),
      z.object({ big: z.bigint().gte(3n), when: z.date(), lit: z.templateLiteral(['id-', z.number()]) }),
      z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })),
      z.array(z.object({ deep: z.object({ deeper: z.array(z.string()) }) })),
    ];
    for (const schema of schemas) {
      const sample = sampleFromSchema(schema);
      expect(schema.safeParse(sample).success, JSON.stringify(sample, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(true);
    }
  });

  it('gives every built-in action an output its schema accepts (what a dry run returns)', () => {
    for (const action of builtinActions) {
      expect(action.output.safeParse(sampleFromSchema(action.output)).success, action.name).toBe(true);
    }
  });

  it('applies defaults and transforms (the sample is what the schema outputs)', () => {
    expect(sampleFromSchema(z.object({ a: z.string().default('dflt'), n: z.string().transform((s) => s.length) }))).toEqual({
      a: 'dflt',
      n: 6,
    });
  });

  it('terminates on recursive schemas', () => {
    type Tree = { children: Tree[] };
    const tree: z.ZodType<Tree> = z.lazy(() => z.object({ children: z.array(tree) }));
    expect(tree.safeParse(sampleFromSchema(tree)).success).toBe(true);
  });

  it('gives null for unknown and any', () => {
    expect(sampleFromSchema(z.unknown())).toBeNull();
    expect(sampleFromSchema(z.any())).toBeNull();
  });
});

describe('sampleFromSchema, minimal (node snippets)', () => {
  it('fills required fields only, with valid values, arrays at their minimum, unions in their object form', () => {
    const schema = z.union([z.string(), z.object({ n: z.number().int().min(2), list: z.array(z.string()), tags: z.array(z.string()).min(1) })]);
    expect(sampleFromSchema(schema, { minimal: true })).toEqual({ n: 2, list: [], tags: ['sample'] });
    expect(sampleFromSchema(z.boolean(), { minimal: true })).toBe(false);
    expect(sampleFromSchema(z.literal('x'), { minimal: true })).toBe('x');
  });

  it('leaves out optional and defaulted fields and gives the value as written, not as parsed', () => {
    const data = z.object({
      city: z.string().min(2),
      days: z.number().int().default(3),
      note: z.string().optional(),
      length: z.string().transform((s) => s.length),
      nested: z.object({ keep: z.email(), drop: z.boolean().optional() }),
    });
    const sample = sampleFromSchema(data, { minimal: true });
    expect(sample).toEqual({ city: 'sample', length: 'sample', nested: { keep: 'someone@example.com' } });
    expect(data.safeParse(sample).success).toBe(true);
  });

  it('is valid input for every schema the full sampler covers', () => {
    const schemas: z.ZodType[] = [
      z.object({ n: z.number().int().gte(5).lt(10), name: z.string().min(12).max(20), code: z.string().length(4) }),
      z.object({ list: z.array(z.enum(['a', 'b'])).min(3), pair: z.tuple([z.string(), z.boolean()]) }),
      z.object({ kind: z.discriminatedUnion('k', [z.object({ k: z.literal('a'), x: z.number().optional() })]) }),
    ];
    for (const schema of schemas) expect(schema.safeParse(sampleFromSchema(schema, { minimal: true })).success).toBe(true);
  });
});
