import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/errors.js';
import { compileData, stringify, type TemplateScope } from '../../src/engine/template.js';

const index = new Map([
  ['1', 0],
  ['2', 1],
  ['a.b', 2],
]);

function scope(input: unknown, outputs: unknown[] = []): TemplateScope {
  return { input, output: (k) => outputs[k] };
}

function compile(data: unknown, problems: Problem[] = []) {
  return compileData(data, '9', index, problems);
}

describe('templates in node data', () => {
  it('leaves data without templates alone (no renderer, same value)', () => {
    const data = { query: 'weather in SF', n: 3, list: ['a', { b: 'c' }] };
    const compiled = compile(data);
    expect(compiled.render).toBeUndefined();
    expect(compiled.value).toBe(data);
  });

  it('a string that is exactly one template takes the raw value', () => {
    const compiled = compile({ whole: '{{input}}', text: '{{ input.text }}' });
    const input = { text: 'hi', n: [1, 2] };
    expect(compiled.render!(scope(input))).toEqual({ whole: input, text: 'hi' });
  });

  it('embedded templates are stringified into the text', () => {
    const compiled = compile('n={{input.n}} t={{input.text}} o={{input.obj}} u={{input.missing}}!');
    expect(compiled.render!(scope({ n: 3, text: 'x', obj: { a: 1 } }))).toBe('n=3 t=x o={"a":1} u=!');
  });

  it('reads upstream outputs, including ids with dots, and array indices', () => {
    const compiled = compile({ s: '{{nodes.2.output.summary}}', d: '{{nodes.a.b.output.items.1}}', all: '{{nodes.1.output}}' });
    expect(compiled.refs.map((ref) => ref.nodeId).sort()).toEqual(['1', '2', 'a.b']);
    const rendered = compiled.render!(scope(undefined, [{ x: 1 }, { summary: 'short' }, { items: ['p', 'q'] }]));
    expect(rendered).toEqual({ s: 'short', d: 'q', all: { x: 1 } });
  });

  it('never walks prototypes: constructor, __proto__ and toString find nothing', () => {
    const compiled = compile({ a: '{{input.constructor}}', b: '{{input.__proto__}}', c: 'x{{input.toString}}y', d: '{{input.length}}' });
    expect(compiled.render!(scope({}))).toEqual({ a: undefined, b: undefined, c: 'xy', d: undefined });
    // ...but an own property with such a name is an ordinary value.
    const own = JSON.parse('{"__proto__": "mine", "constructor": 7}') as unknown;
    expect(compiled.render!(scope(own))).toEqual({ a: 7, b: 'mine', c: 'xy', d: undefined });
  });

  it('keeps a data key named __proto__ as an own property of the rendered copy', () => {
    const data = JSON.parse('{"__proto__": "{{input}}", "k": 1}') as unknown;
    const rendered = compile(data).render!(scope('v')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(rendered, '__proto__')).toBe(true);
    expect(rendered.k).toBe(1);
  });

  it('reports bad references as TEMPLATE_INVALID at the data path, with did-you-mean', () => {
    const problems: Problem[] = [];
    compile({ q: ['ok', '{{inptu.text}}'], r: '{{nodes.3.output}}', s: '{{nodes.1.outptu}}', t: '{{env.HOME}}' }, problems);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['TEMPLATE_INVALID', ['nodes', '9', 'data', 'q', 1]],
      ['TEMPLATE_INVALID', ['nodes', '9', 'data', 'r']],
      ['TEMPLATE_INVALID', ['nodes', '9', 'data', 's']],
      ['TEMPLATE_INVALID', ['nodes', '9', 'data', 't']],
    ]);
    expect(problems[0]!.message).toContain('did you mean "input"');
    expect(problems[0]!.message).toContain('node "9"');
  });

  it('\\{{ escapes a literal template', () => {
    const compiled = compile('keep \\{{input}} but {{input}}');
    expect(compiled.render!(scope('x'))).toBe('keep {{input}} but x');
    expect(compile('only \\{{this}}').render!(scope(undefined))).toBe('only {{this}}');
  });

  it('stringify: text as is, JSON for the rest, nothing for undefined', () => {
    expect([stringify('a'), stringify(1), stringify(true), stringify(null), stringify(undefined), stringify([1])]).toEqual([
      'a',
      '1',
      'true',
      'null',
      '',
      '[1]',
    ]);
  });
});
