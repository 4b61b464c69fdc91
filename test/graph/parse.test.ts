import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GraphParseError, GraphValidationError } from '../../src/errors.js';
import {
  parseWorkflow,
  readWorkflowText,
  serializeWorkflow,
  workflowFromJson,
  workflowToJson,
} from '../../src/graph/parse.js';
import { codesAndPaths, makeWorkflow } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function parseError(text: string, file?: string): GraphParseError | GraphValidationError {
  try {
    parseWorkflow(text, file);
  } catch (error) {
    if (error instanceof GraphParseError || error instanceof GraphValidationError) return error;
    throw error;
  }
  throw new Error('expected parseWorkflow to throw');
}

describe('parseWorkflow', () => {
  it("loads the seed's example exactly as written (trailing commas)", async () => {
    const text = await readFile(path.join(root, 'graphs/weather-tweet.json'), 'utf8');
    const wf = parseWorkflow(text, 'graphs/weather-tweet.json');
    expect([...wf.nodes.keys()]).toEqual(['1', '2', '3', '4']);
    expect(wf.nodes.get('1')).toEqual({ action: 'input.text', data: 'Post a tweet about the weather in San Francisco' });
    expect(wf.nodes.get('4')).toEqual({ action: 'output.tweet' });
    expect(wf.edges).toEqual([
      { from: '1', to: '2' },
      { from: '2', to: '3' },
      { from: '3', to: '4' },
    ]);
    expect(wf.extra.size).toBe(0);
  });

  it('keeps node order exactly as written, integer-like ids included', () => {
    const wf = parseWorkflow('{nodes: {"10": {action: "a.b"}, "2": {action: "a.b"}, "x": {action: "a.b"}, "1": {action: "a.b"}}, edges: []}');
    expect([...wf.nodes.keys()]).toEqual(['10', '2', 'x', '1']);
  });

  it('treats __proto__, constructor, toString, unicode and very long ids as ordinary ids', () => {
    const long = 'x'.repeat(10_000);
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'ünï 😀 ид', long];
    const text = JSON.stringify({
      nodes: Object.fromEntries(ids.map((id) => [id, { action: 'a.b' }])),
      edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
    });
    // Object.fromEntries defines "__proto__" as an own key, so the text really contains it.
    expect(text).toContain('"__proto__":');
    const wf = parseWorkflow(text);
    expect([...wf.nodes.keys()]).toEqual(ids);
    expect(wf.nodes.get('__proto__')).toEqual({ action: 'a.b' });
    expect(({} as Record<string, unknown>).action).toBeUndefined();
  });

  it('keeps meta fields and unknown top-level keys in order', () => {
    const wf = parseWorkflow(
      '{"zeta": 1, "$schema": "./s.json", "name": "n", "nodes": {}, "edges": [], "description": "d", "version": 2, "alpha": {"x": [1]}, "__proto__": 5}',
    );
    expect(wf.$schema).toBe('./s.json');
    expect(wf.name).toBe('n');
    expect(wf.description).toBe('d');
    expect(wf.version).toBe(2);
    expect([...wf.extra]).toEqual([
      ['zeta', 1],
      ['alpha', { x: [1] }],
      ['__proto__', 5],
    ]);
  });

  it('throws PARSE_SYNTAX with file, line and column', () => {
    const error = parseError('{\n  "nodes": {\n    "1": { "action": "a.b" }\n    "2": {}\n  }\n}', 'graphs/x.json');
    expect(error).toBeInstanceOf(GraphParseError);
    const parseErr = error as GraphParseError;
    expect(parseErr.code).toBe('PARSE_SYNTAX');
    expect([parseErr.file, parseErr.line, parseErr.column]).toEqual(['graphs/x.json', 4, 5]);
    expect(parseErr.message.startsWith('graphs/x.json:4:5: ')).toBe(true);
    expect(parseErr.exitCode).toBe(2);
  });

  it('collects every shape problem at once', () => {
    const error = parseError(
      JSON.stringify({
        name: 5,
        nodes: {
          a: { action: 'x.y', lable: 'typo' },
          b: { data: 1 },
          c: 'not a node',
          d: { action: 'x.y', retry: { attempts: 0, backof: 5 }, timeoutMs: -1, onError: 'ignore' },
          e: { action: 7 },
          f: { action: 'noDot' },
        },
        edges: [
          { from: 'a', to: 'b', weight: 3 },
          'not an edge',
          { from: 'a' },
          { from: 'a', to: 'd', when: { path: 'ok', equal: true } },
        ],
      }),
    );
    expect(error).toBeInstanceOf(GraphValidationError);
    expect(codesAndPaths((error as GraphValidationError).problems)).toEqual([
      ['FIELD_TYPE', ['name']],
      ['UNKNOWN_FIELD', ['nodes', 'a', 'lable']],
      ['NODE_ACTION_MISSING', ['nodes', 'b', 'action']],
      ['NODE_NOT_OBJECT', ['nodes', 'c']],
      ['FIELD_INVALID', ['nodes', 'd', 'retry', 'attempts']],
      ['UNKNOWN_FIELD', ['nodes', 'd', 'retry', 'backof']],
      ['FIELD_INVALID', ['nodes', 'd', 'timeoutMs']],
      ['FIELD_INVALID', ['nodes', 'd', 'onError']],
      ['FIELD_TYPE', ['nodes', 'e', 'action']],
      ['ACTION_NAME_INVALID', ['nodes', 'f', 'action']],
      ['UNKNOWN_FIELD', ['edges', 0, 'weight']],
      ['EDGE_NOT_OBJECT', ['edges', 1]],
      ['FIELD_REQUIRED', ['edges', 2, 'to']],
      ['CONDITION_INVALID', ['edges', 3, 'when', 'equal']],
    ]);
  });

  it('suggests the field that was meant', () => {
    const error = parseError('{"nodes": {"a": {"action": "x.y", "lable": "l"}}, "edges": [{"form": "a", "to": "a"}]}');
    const messages = (error as GraphValidationError).problems.map((p) => p.message);
    expect(messages.some((m) => m.includes('did you mean "label"'))).toBe(true);
    expect(messages.some((m) => m.includes('did you mean "from"'))).toBe(true);
  });
});

describe('readWorkflowText (lenient)', () => {
  it.each([
    ['[]', 'FILE_NOT_OBJECT', []],
    ['"text"', 'FILE_NOT_OBJECT', []],
    ['{"edges": []}', 'NODES_NOT_OBJECT', ['nodes']],
    ['{"nodes": [], "edges": []}', 'NODES_NOT_OBJECT', ['nodes']],
    ['{"nodes": {}}', 'EDGES_NOT_ARRAY', ['edges']],
    ['{"nodes": {}, "edges": {}}', 'EDGES_NOT_ARRAY', ['edges']],
    ['{"nodes": {"1": {"action": "a.b"}, "1": {"action": "c.d"}}, "edges": []}', 'DUPLICATE_KEY', ['nodes', '1']],
    ['{"nodes": {"1": {"action": "a.b", "action": "c.d"}}, "edges": []}', 'DUPLICATE_KEY', ['nodes', '1', 'action']],
  ])('%s gives %s', (text, code, problemPath) => {
    const { problems } = readWorkflowText(text);
    expect(codesAndPaths(problems)).toEqual([[code, problemPath]]);
  });

  it('hints at a misspelt "edges"', () => {
    const { problems, workflow } = readWorkflowText('{"nodes": {}, "edgse": []}');
    expect(problems[0]?.message).toContain('did you mean "edges"');
    expect([...workflow.extra.keys()]).toEqual(['edgse']);
  });

  it('workflowFromJson works on values from JSON.parse', () => {
    const { workflow, problems } = workflowFromJson(JSON.parse('{"nodes": {"b": {"action": "a.b"}}, "edges": [], "k": 1}'));
    expect(problems).toEqual([]);
    expect([...workflow.nodes.keys()]).toEqual(['b']);
    expect(workflow.extra.get('k')).toBe(1);
  });
});

describe('serializeWorkflow', () => {
  it('writes 2-space JSON with a trailing newline, nodes in Map order, edges one per line', () => {
    const wf = makeWorkflow(
      [
        ['10', { label: 'ten', action: 'a.b' } as never],
        ['2', { action: 'c.d', data: { q: 1 } }],
      ],
      [{ to: '2', from: '10' } as never],
      { name: 'n' },
      [['custom', { keep: true }]],
    );
    expect(serializeWorkflow(wf)).toBe(
      [
        '{',
        '  "name": "n",',
        '  "nodes": {',
        '    "10": {',
        '      "action": "a.b",',
        '      "label": "ten"',
        '    },',
        '    "2": {',
        '      "action": "c.d",',
        '      "data": {',
        '        "q": 1',
        '      }',
        '    }',
        '  },',
        '  "edges": [',
        '    { "from": "10", "to": "2" }',
        '  ],',
        '  "custom": {',
        '    "keep": true',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('round-trips through parseWorkflow, odd ids and unknown keys included', () => {
    const wf = makeWorkflow(
      [
        ['__proto__', { action: 'a.b', data: { __proto__x: 1, nested: [1, { deep: null }] } }],
        ['constructor', { action: 'a.b', retry: { attempts: 3, backoffMs: 100 } }],
        ['ü\n"\\', { action: 'a.b', label: 'line\nbreak', onError: 'continue', timeoutMs: 5 }],
      ],
      [
        { from: '__proto__', to: 'constructor', when: { any: [{ path: 'x', gt: 1 }, { not: { exists: true } }] }, label: 'l' },
        { from: 'constructor', to: 'ü\n"\\' },
      ],
      { name: 'n', description: 'd', version: '1.0', $schema: 's' },
      [['__proto__', [1]], ['other', 'x']],
    );
    const text = serializeWorkflow(wf);
    const back = parseWorkflow(text);
    expect(back).toEqual(wf);
    expect([...back.nodes.keys()]).toEqual([...wf.nodes.keys()]);
    expect([...back.extra.keys()]).toEqual(['__proto__', 'other']);
    expect(serializeWorkflow(back)).toBe(text);
  });

  it('compact: the same members on one line, node order kept whether or not an object would keep it', () => {
    const edges = [{ to: '2', from: '10', label: 'l' } as never];
    const reordered = makeWorkflow([['10', { label: 'ten', action: 'a.b' } as never], ['2', { action: 'c.d' }]], edges, { name: 'n' }, [['custom', 1]]);
    expect(serializeWorkflow(reordered, { compact: true })).toBe(
      '{"name":"n","nodes":{"10":{"action":"a.b","label":"ten"},"2":{"action":"c.d"}},"edges":[{"from":"10","to":"2","label":"l"}],"custom":1}\n',
    );
    const ordered = makeWorkflow([['2', { action: 'c.d' }], ['10', { action: 'a.b' }], ['__proto__', { action: 'e.f' }], ['4294967295', { action: 'g.h' }]], []);
    const text = serializeWorkflow(ordered, { compact: true });
    expect(text).toBe('{"nodes":{"2":{"action":"c.d"},"10":{"action":"a.b"},"__proto__":{"action":"e.f"},"4294967295":{"action":"g.h"}},"edges":[]}\n');
    expect([...parseWorkflow(text).nodes.keys()]).toEqual(['2', '10', '__proto__', '4294967295']);
  });

  it('workflowToJson gives a null-prototype nodes object and keeps unknown keys as own keys', () => {
    const wf = makeWorkflow([['__proto__', { action: 'a.b' }]], [], { name: 'n' }, [['__proto__', 1]]);
    const json = workflowToJson(wf);
    const nodes = json.nodes as Record<string, unknown>;
    expect(Object.getPrototypeOf(nodes)).toBeNull();
    expect(nodes.__proto__).toEqual({ action: 'a.b' });
    expect(Object.hasOwn(json, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(json))).toEqual({ name: 'n', nodes: { ['__proto__']: { action: 'a.b' } }, edges: [], ['__proto__']: 1 });
  });
});
