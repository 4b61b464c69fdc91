import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../src/actions/define.js';
import { ActionRegistry } from '../../src/actions/registry.js';
import { ActionNotFoundError, PluginError } from '../../src/errors.js';

const make = (name: string) => defineAction({ name, description: name, data: z.object({ a: z.string() }), run: () => null });

describe('ActionRegistry', () => {
  it('registers, looks up and lists sorted by name', () => {
    const registry = new ActionRegistry();
    registry.register(make('b.two'));
    registry.register(make('a.one'), 'actions/one.ts');
    expect(registry.list().map((entry) => entry.definition.name)).toEqual(['a.one', 'b.two']);
    expect(registry.sourceOf('a.one')).toBe('actions/one.ts');
    expect(registry.lookup('b.two')?.data.safeParse({ a: 'x' }).success).toBe(true);
    expect(registry.lookup('c.three')).toBeUndefined();
    expect(registry.size).toBe(2);
  });

  it('refuses a second action with the same name, naming both sources', () => {
    const registry = new ActionRegistry();
    registry.register(make('a.one'), 'actions/first.ts');
    const error = (() => {
      try {
        registry.register(make('a.one'), 'actions/second.ts');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ code: 'ACTION_DUPLICATE', source: 'actions/second.ts' });
    expect((error as Error).message).toContain('actions/first.ts');
    expect((error as Error).message).toContain('actions/second.ts');
  });

  it('refuses names that are not namespace.name', () => {
    expect(() => new ActionRegistry().register(make('nonamespace'))).toThrow(expect.objectContaining({ code: 'ACTION_NAME_INVALID' }));
  });

  it('require() suggests the closest name', () => {
    const registry = new ActionRegistry();
    registry.register(make('confirm.edit'));
    expect(() => registry.require('confirm.edti')).toThrow(ActionNotFoundError);
    expect(() => registry.require('confirm.edti')).toThrow(/did you mean "confirm.edit"/u);
  });
});
