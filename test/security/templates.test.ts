// Security: `{{...}}` templates in node data are graph data. They read the node's input and upstream outputs,
// own properties only, never the environment or anything global, and no template text makes compiling slow.
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/errors.js';
import { PLACEHOLDER } from '../../src/actions/builtin/data-template.js';
import { compileData, TEMPLATE, type TemplateScope } from '../../src/engine/template.js';
import { patternCostProblem } from '../../src/graph/conditions.js';

const index = new Map([
  ['1', 0],
  ['__proto__', 1],
  ['constructor', 2],
]);

function scope(input: unknown, outputs: unknown[] = []): TemplateScope {
  return { input, output: (k) => outputs[k] };
}

function compile(data: unknown, problems: Problem[] = []) {
  return compileData(data, '9', index, problems);
}

describe('templates reach run data only', () => {
  it.each([
    '{{process.env.HOME}}',
    '{{process}}',
    '{{env.OPENAI_API_KEY}}',
    '{{globalThis.process}}',
    '{{this}}',
    '{{constructor.constructor}}',
    '{{secrets.API_KEY}}',
    '{{input[0]}}x{{require}}',
    '{{ nodes }}',
    '{{nodes.1}}',
  ])('%s is not a reference', (template) => {
    const problems: Problem[] = [];
    compile({ text: template }, problems);
    expect(problems.map((problem) => problem.code)).toContain('TEMPLATE_INVALID');
  });

  it('walks own properties only: prototype getters and methods of class instances find nothing', () => {
    const compiled = compile({
      href: '{{input.url.href}}',
      size: '{{input.map.size}}',
      proto: '{{input.plain.__proto__}}',
      ctor: '{{input.plain.constructor.name}}',
      fn: '{{input.list.map}}',
    });
    const input = { url: new URL('https://example.test/?key=secret'), map: new Map([[1, 2]]), plain: {}, list: [1] };
    expect(compiled.render!(scope(input))).toEqual({ href: undefined, size: undefined, proto: undefined, ctor: undefined, fn: undefined });
  });

  it('node ids named like prototype members are ordinary ids', () => {
    const problems: Problem[] = [];
    const compiled = compile({ a: '{{nodes.__proto__.output.x}}', b: '{{nodes.constructor.output}}', c: '{{nodes.toString.output}}' }, problems);
    // toString is no node here: reported, not found on Map.prototype or Object.prototype.
    expect(problems.map((problem) => [problem.code, problem.path])).toEqual([['TEMPLATE_INVALID', ['nodes', '9', 'data', 'c']]]);
    expect(compiled.render!(scope(undefined, [undefined, { x: 'p' }, 'c']))).toMatchObject({ a: 'p', b: 'c' });
  });

  it('rendering data with a __proto__ key does not change any prototype', () => {
    const data = JSON.parse('{"__proto__": {"polluted": "{{input}}"}, "nested": {"__proto__": {"polluted": "{{input}}"}}}') as unknown;
    const rendered = compile(data).render!(scope('yes')) as Record<string, Record<string, unknown>>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(rendered.nested)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(rendered)).toEqual(['__proto__', 'nested']);
  });
});

describe('template size', () => {
  it('finds templates with patterns that pass the backtracking check graph patterns must pass', () => {
    // The engine's pattern used to be /(\\?)\{\{\s*([^{}]*?)\s*\}\}/: cubic, refused here, and a 4 KB string of
    // "{{" and spaces took half a minute to compile.
    expect(patternCostProblem('(\\\\?)\\{\\{\\s*([^{}]*?)\\s*\\}\\}')).toContain('too long');
    expect(patternCostProblem(TEMPLATE.source)).toBeUndefined();
    expect(patternCostProblem(PLACEHOLDER.source)).toBeUndefined();
  });

  it('compiles long data strings of braces and spaces as literal text', () => {
    // Small enough that the old pattern, too, finished (in seconds): the test above is the guard, this the behaviour.
    const spaces = ' '.repeat(1000);
    for (const text of [`{{${spaces}`, `{{${spaces}x`, `{{ ${'input '.repeat(150)}`, '{{ '.repeat(300)]) {
      const problems: Problem[] = [];
      const compiled = compile({ text }, problems);
      expect(problems).toEqual([]);
      expect(compiled.render).toBeUndefined();
    }
  });

  it('still trims spaces around a reference', () => {
    expect(compile('<{{   input.a   }}>').render!(scope({ a: 1 }))).toBe('<1>');
  });

  it('refuses a reference longer than 1000 characters, quoting only its start', () => {
    const problems: Problem[] = [];
    compile({ text: `{{nodes.${'x.output'.repeat(20_000)}}}`, ok: `{{input.${'a'.repeat(900)}}}` }, problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'TEMPLATE_INVALID', path: ['nodes', '9', 'data', 'text'] });
    expect(problems[0]!.message).toContain('longer than 1000 characters');
    expect(problems[0]!.message.length).toBeLessThan(300);
  });
});
