import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleFromSchema } from '../../src/engine/sample.js';

describe('sampleFromSchema', () => {
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
