import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type ActionContext, defineAction, isActionDefinition } from '../../src/actions/define.js';

describe('defineAction', () => {
  it('infers the types of data, input, secrets and the return value from the schemas', () => {
    const action = defineAction({
      name: 'test.typed',
      description: 'typed',
      data: z.object({ city: z.string(), days: z.number().default(1) }),
      input: z.object({ text: z.string() }),
      output: z.object({ summary: z.string() }),
      secrets: ['API_KEY'],
      run(ctx) {
        expectTypeOf(ctx.data).toEqualTypeOf<{ city: string; days: number }>();
        expectTypeOf(ctx.input).toEqualTypeOf<{ text: string }>();
        expectTypeOf(ctx.secrets).toEqualTypeOf<Readonly<Record<'API_KEY', string>>>();
        return { summary: `${ctx.data.city}: ${ctx.input.text}` };
      },
    });
    type Run = typeof action.run;
    expectTypeOf<ReturnType<Run>>().toEqualTypeOf<{ summary: string } | Promise<{ summary: string }>>();
    expectTypeOf<Parameters<Run>[0]>().toEqualTypeOf<
      ActionContext<{ city: string; days: number }, { text: string }, 'API_KEY'>
    >();
    expectTypeOf(action.secrets).toEqualTypeOf<readonly 'API_KEY'[]>();
  });

  it('rejects a handler whose return value does not match the output schema (a type error)', () => {
    defineAction({
      name: 'test.wrong',
      description: 'wrong',
      output: z.object({ n: z.number() }),
      // @ts-expect-error n must be a number
      run: () => ({ n: 'one' }),
    });
  });

  it('fills in defaults: unknown schemas, no secrets, effects none, no examples', () => {
    const action = defineAction({ name: 'test.bare', description: 'bare', run: () => 1 });
    expect(action.kind).toBe('actiongraph.action');
    expect(action.data.safeParse(Symbol('anything')).success).toBe(true);
    expect(action.secrets).toEqual([]);
    expect(action.effects).toBe('none');
    expect(action.examples).toEqual([]);
  });
});

describe('isActionDefinition', () => {
  it('is structural: a definition made by another copy of actiongraph counts', () => {
    const foreign = { kind: 'actiongraph.action', name: 'x.y', run: () => undefined };
    expect(isActionDefinition(foreign)).toBe(true);
  });

  it('refuses lookalikes', () => {
    expect(isActionDefinition({ name: 'x.y', run: () => undefined })).toBe(false);
    expect(isActionDefinition({ kind: 'actiongraph.action', name: 'x.y' })).toBe(false);
    expect(isActionDefinition(null)).toBe(false);
    expect(isActionDefinition('actiongraph.action')).toBe(false);
  });
});
