import { describe, expect, it } from 'vitest';
import { dataJsonAction } from '../../../src/actions/builtin/data-json.js';
import { runWith } from '../context.js';

const input = { a: { b: [{ c: 'deep' }, { c: 'second' }] }, title: 'T', url: 'https://x', 'odd key': 1 };

describe('data.json', () => {
  it('outputs the value at a path', async () => {
    expect((await runWith(dataJsonAction, { data: 'a.b[0].c', input })).output).toBe('deep');
    expect((await runWith(dataJsonAction, { data: 'a.b[-1]', input })).output).toEqual({ c: 'second' });
    expect((await runWith(dataJsonAction, { data: '["odd key"]', input })).output).toBe(1);
    expect((await runWith(dataJsonAction, { data: '', input })).output).toEqual(input);
  });

  it('reshapes into named fields, from a starting path', async () => {
    expect((await runWith(dataJsonAction, { data: { fields: { name: 'title', link: 'url' } }, input })).output).toEqual({
      name: 'T',
      link: 'https://x',
    });
    expect((await runWith(dataJsonAction, { data: { path: 'a.b', fields: { first: '[0].c', last: '[-1].c' } }, input })).output).toEqual({
      first: 'deep',
      last: 'second',
    });
  });

  it('fails with JSON_PATH_MISSING, unless a default is given', async () => {
    await expect(runWith(dataJsonAction, { data: 'a.x', input })).rejects.toMatchObject({ code: 'JSON_PATH_MISSING', retryable: false });
    expect((await runWith(dataJsonAction, { data: { path: 'a.x', default: null }, input })).output).toBeNull();
  });

  it('never walks into prototypes', async () => {
    await expect(runWith(dataJsonAction, { data: 'a.constructor', input })).rejects.toMatchObject({ code: 'JSON_PATH_MISSING' });
    await expect(runWith(dataJsonAction, { data: 'title.length', input })).rejects.toMatchObject({ code: 'JSON_PATH_MISSING' });
  });

  it('checks path syntax when the graph loads', () => {
    expect(dataJsonAction.data.safeParse('a..b').success).toBe(false);
    expect(dataJsonAction.data.safeParse('a[x]').success).toBe(false);
    expect(dataJsonAction.data.safeParse({ fields: { x: 'a[' } }).success).toBe(false);
    expect(dataJsonAction.data.safeParse({ feilds: {} }).success).toBe(false);
  });
});
