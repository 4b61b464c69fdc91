import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinActions } from '../../src/actions/builtin/index.js';
import { defineAction } from '../../src/actions/define.js';
import { describeAction, toJsonSchema } from '../../src/actions/describe.js';

describe('describeAction', () => {
  it('gives JSON Schemas for data (input side) and output, and a node snippet', () => {
    const action = defineAction({
      name: 'demo.thing',
      description: 'Does a thing',
      data: z.object({ city: z.string().describe('which city'), days: z.number().int().min(1).default(3), mode: z.enum(['a', 'b']) }).strict(),
      output: z.object({ text: z.string() }),
      secrets: ['DEMO_KEY'],
      effects: 'read',
      examples: ['do the thing'],
      run: () => ({ text: '' }),
    });
    const description = describeAction(action, 'actions/demo.ts');
    expect(description).toMatchObject({
      name: 'demo.thing',
      source: 'actions/demo.ts',
      effects: 'read',
      secrets: ['DEMO_KEY'],
      examples: ['do the thing'],
      data: { type: 'object', required: ['city', 'mode'], additionalProperties: false },
      output: { type: 'object', properties: { text: { type: 'string' } } },
    });
    expect((description.data.properties as Record<string, { description?: string }>).city?.description).toBe('which city');
    // The least a graph must write, valid as it stands: required fields only (days has a default).
    expect(description.node).toEqual({ action: 'demo.thing', data: { city: 'sample', mode: 'a' } });
  });

  it('leaves data out of the snippet when the action needs none', () => {
    const confirm = builtinActions.find((a) => a.name === 'confirm.edit');
    expect(confirm && describeAction(confirm, 'builtin').node).toEqual({ action: 'confirm.edit' });
  });

  it('gives every built-in a snippet whose data is valid as it stands', () => {
    for (const action of builtinActions) {
      const { node, data } = describeAction(action, 'builtin');
      expect(node.action).toBe(action.name);
      expect(data['x-unconvertible'], action.name).toBeUndefined();
      expect(action.data.safeParse(node.data).success, `${action.name}: ${JSON.stringify(node.data)}`).toBe(true);
    }
  });

  it('survives schemas that JSON Schema cannot express or that are not zod at all', () => {
    expect(toJsonSchema(z.custom<string>((v) => typeof v === 'string'), 'input')).toEqual({});
    expect(toJsonSchema(z.string().transform((s) => s.length), 'output')).toEqual({});
    expect(toJsonSchema(z.date(), 'input')).toEqual({});
    const foreign = toJsonSchema({ safeParse: () => ({ success: true }) }, 'input');
    expect(typeof foreign['x-unconvertible']).toBe('string');
  });
});
