import { describe, expect, it } from 'vitest';
import { GraphValidationError } from '../../src/errors.js';
import { GraphCodes } from '../../src/graph/codes.js';
import { compileConditionPattern, hasNestedQuantifier } from '../../src/graph/conditions.js';
import { readWorkflowText } from '../../src/graph/parse.js';
import { ConditionSchema, type Workflow } from '../../src/graph/schema.js';
import { assertValidWorkflow, validateWorkflow } from '../../src/graph/validate.js';
import { catalog, chain, codesAndPaths, makeWorkflow, withCode } from './helpers.js';

type Case = { name: string; text: string; code: string; path: (string | number)[]; withCatalog?: boolean };

/** One file per code: each must report exactly that code at exactly that path (among possibly other problems). */
const cases: Case[] = [
  { name: 'top level not an object', text: '[1]', code: 'FILE_NOT_OBJECT', path: [] },
  { name: 'nodes missing', text: '{"edges": []}', code: 'NODES_NOT_OBJECT', path: ['nodes'] },
  { name: 'edges not a list', text: '{"nodes": {}, "edges": "1->2"}', code: 'EDGES_NOT_ARRAY', path: ['edges'] },
  { name: 'node defined twice', text: '{"nodes": {"a": {"action": "x.y"}, "a": {"action": "x.y"}}, "edges": []}', code: 'DUPLICATE_KEY', path: ['nodes', 'a'] },
  { name: 'empty node id', text: '{"nodes": {"": {"action": "x.y"}}, "edges": []}', code: 'NODE_ID_EMPTY', path: ['nodes', ''] },
  { name: 'node not an object', text: '{"nodes": {"a": ["x.y"]}, "edges": []}', code: 'NODE_NOT_OBJECT', path: ['nodes', 'a'] },
  { name: 'node without action', text: '{"nodes": {"a": {"label": "x"}}, "edges": []}', code: 'NODE_ACTION_MISSING', path: ['nodes', 'a', 'action'] },
  { name: 'action not namespace.name', text: '{"nodes": {"a": {"action": "tweet"}}, "edges": []}', code: 'ACTION_NAME_INVALID', path: ['nodes', 'a', 'action'] },
  { name: 'edge not an object', text: '{"nodes": {"a": {"action": "x.y"}}, "edges": [["a", "a"]]}', code: 'EDGE_NOT_OBJECT', path: ['edges', 0] },
  { name: 'edge without to', text: '{"nodes": {"a": {"action": "x.y"}}, "edges": [{"from": "a"}]}', code: 'FIELD_REQUIRED', path: ['edges', 0, 'to'] },
  { name: 'label not a string', text: '{"nodes": {"a": {"action": "x.y", "label": 3}}, "edges": []}', code: 'FIELD_TYPE', path: ['nodes', 'a', 'label'] },
  { name: 'timeout not positive', text: '{"nodes": {"a": {"action": "x.y", "timeoutMs": 0}}, "edges": []}', code: 'FIELD_INVALID', path: ['nodes', 'a', 'timeoutMs'] },
  { name: 'unknown node field', text: '{"nodes": {"a": {"action": "x.y", "lable": "x"}}, "edges": []}', code: 'UNKNOWN_FIELD', path: ['nodes', 'a', 'lable'] },
  { name: 'unknown edge field', text: '{"nodes": {"a": {"action": "x.y"}, "b": {"action": "x.y"}}, "edges": [{"from": "a", "to": "b", "if": {}}]}', code: 'UNKNOWN_FIELD', path: ['edges', 0, 'if'] },
  {
    name: 'malformed when',
    text: '{"nodes": {"a": {"action": "x.y"}, "b": {"action": "x.y"}}, "edges": [{"from": "a", "to": "b", "when": {"all": [{"path": "x", "gt": "3"}]}}]}',
    code: 'CONDITION_INVALID',
    path: ['edges', 0, 'when', 'all', 0, 'gt'],
  },
  {
    name: 'invalid matches regex',
    text: '{"nodes": {"a": {"action": "x.y"}, "b": {"action": "x.y"}}, "edges": [{"from": "a", "to": "b", "when": {"not": {"matches": "(unclosed"}}}]}',
    code: 'CONDITION_REGEX_INVALID',
    path: ['edges', 0, 'when', 'not', 'matches'],
  },
  { name: 'dangling edge', text: '{"nodes": {"a": {"action": "x.y"}}, "edges": [{"from": "a", "to": "b"}]}', code: 'EDGE_DANGLING', path: ['edges', 0, 'to'] },
  {
    name: 'duplicate edge',
    text: '{"nodes": {"a": {"action": "x.y"}, "b": {"action": "x.y"}}, "edges": [{"from": "a", "to": "b"}, {"from": "a", "to": "b", "label": "again"}]}',
    code: 'EDGE_DUPLICATE',
    path: ['edges', 1],
  },
  { name: 'self-loop', text: '{"nodes": {"a": {"action": "x.y"}}, "edges": [{"from": "a", "to": "a"}]}', code: 'EDGE_SELF_LOOP', path: ['edges', 0] },
  {
    name: 'cycle',
    text: '{"nodes": {"s": {"action": "x.y"}, "a": {"action": "x.y"}, "b": {"action": "x.y"}}, "edges": [{"from": "s", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "a"}]}',
    code: 'GRAPH_CYCLE',
    path: ['edges', 2],
  },
  {
    name: 'unreachable (only behind a cycle)',
    text: '{"nodes": {"a": {"action": "x.y"}, "b": {"action": "x.y"}, "c": {"action": "x.y"}}, "edges": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}, {"from": "b", "to": "c"}]}',
    code: 'NODE_UNREACHABLE',
    path: ['nodes', 'c'],
  },
  {
    name: 'isolated node',
    text: '{"nodes": {"a": {"action": "x.y"}, "b": {"action": "x.y"}, "lone": {"action": "x.y"}}, "edges": [{"from": "a", "to": "b"}]}',
    code: 'NODE_ISOLATED',
    path: ['nodes', 'lone'],
  },
  {
    name: 'disconnected group',
    text: '{"nodes": {"a": {"action": "x.y"}, "b": {"action": "x.y"}, "c": {"action": "x.y"}, "x": {"action": "x.y"}, "y": {"action": "x.y"}}, "edges": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}, {"from": "x", "to": "y"}]}',
    code: 'NODE_DISCONNECTED',
    path: ['nodes', 'x'],
  },
  { name: 'unknown action', text: '{"nodes": {"a": {"action": "confirm.edti"}}, "edges": []}', code: 'ACTION_UNKNOWN', path: ['nodes', 'a', 'action'], withCatalog: true },
  {
    name: 'data failing the action schema',
    text: '{"nodes": {"a": {"action": "http.get", "data": {"url": "not a url", "headers": {"x": 1}}}}, "edges": []}',
    code: 'NODE_DATA_INVALID',
    path: ['nodes', 'a', 'data', 'url'],
    withCatalog: true,
  },
];

function problemsOf(text: string, withCatalog = false) {
  const { workflow, problems } = readWorkflowText(text);
  return [...problems, ...validateWorkflow(workflow, withCatalog ? { catalog } : {})];
}

describe('validation codes', () => {
  it.each(cases)('$name: $code at $path', ({ text, code, path, withCatalog }) => {
    const found = withCode(problemsOf(text, withCatalog), code);
    expect(found.map((p) => p.path)).toContainEqual(path);
    const problem = found.find((p) => JSON.stringify(p.path) === JSON.stringify(path));
    expect(problem?.message.length).toBeGreaterThan(0);
    const warnings = ['NODE_UNREACHABLE', 'NODE_ISOLATED', 'NODE_DISCONNECTED'];
    expect(problem?.severity).toBe(warnings.includes(code) ? 'warning' : 'error');
  });

  it('covers every validation code the module defines', () => {
    const notValidation = ['FILE_NOT_FOUND', 'FILE_UNREADABLE', 'FILE_NOT_UTF8', 'PARSE_SYNTAX', 'FILE_WRITE_FAILED', 'FILE_EXISTS'];
    const defined = Object.keys(GraphCodes).filter((code) => !code.startsWith('PATCH_') && !notValidation.includes(code));
    expect(new Set(cases.map((c) => c.code))).toEqual(new Set(defined));
  });
});

describe('validateWorkflow', () => {
  it('finds nothing wrong with a valid branching workflow', () => {
    const wf = makeWorkflow(
      [
        ['1', { action: 'input.text', data: 'hello' }],
        ['2', { action: 'confirm.edit' }],
        ['3', { action: 'output.tweet' }],
        ['4', { action: 'output.console' }],
      ],
      [
        { from: '1', to: '2' },
        { from: '2', to: '3', when: { path: 'approved', equals: true } },
        { from: '2', to: '4', when: { not: { path: 'approved', equals: true } } },
      ],
    );
    expect(validateWorkflow(wf, { catalog })).toEqual([]);
    expect(() => assertValidWorkflow(wf, { catalog })).not.toThrow();
  });

  it('a node whose only edges are broken gets the edge errors, not a "has no edges" warning', () => {
    const wf = makeWorkflow(
      [
        ['a', { action: 'input.text' }],
        ['b', { action: 'output.console' }],
        ['lone', { action: 'output.console' }],
      ],
      [
        { from: 'a', to: 'missing' },
        { from: 'b', to: 'b' },
      ],
    );
    const codes = validateWorkflow(wf, { catalog }).map((p) => `${p.code} ${p.path.join('.')}`);
    expect(codes).toContain('EDGE_DANGLING edges.0.to');
    expect(codes).toContain('EDGE_SELF_LOOP edges.1');
    expect(codes).toContain('NODE_ISOLATED nodes.lone');
    expect(codes.filter((code) => code.startsWith('NODE_ISOLATED'))).toEqual(['NODE_ISOLATED nodes.lone']);
  });

  it('collects every problem at once', () => {
    const wf = makeWorkflow(
      [
        ['a', { action: 'confirm.edti' }],
        ['b', { action: 'http.get', data: { url: 5 } } as never],
        ['c', { action: 'output.tweet' }],
      ],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
        { from: 'c', to: 'zz' },
        { from: 'a', to: 'b' },
      ],
    );
    expect(codesAndPaths(validateWorkflow(wf, { catalog }))).toEqual([
      ['ACTION_UNKNOWN', ['nodes', 'a', 'action']],
      ['NODE_DATA_INVALID', ['nodes', 'b', 'data', 'url']],
      ['EDGE_DANGLING', ['edges', 3, 'to']],
      ['EDGE_DUPLICATE', ['edges', 4]],
      ['GRAPH_CYCLE', ['edges', 2]],
      ['NODE_UNREACHABLE', ['nodes', 'a']],
      ['NODE_UNREACHABLE', ['nodes', 'b']],
      ['NODE_UNREACHABLE', ['nodes', 'c']],
    ]);
  });

  it('says "did you mean" for unknown actions and dangling edge ends', () => {
    const wf = makeWorkflow(
      [
        ['fetch-page', { action: 'confirm.edti' }],
        ['b', { action: 'output.tweet' }],
      ],
      [{ from: 'fetch-pag', to: 'b' }],
    );
    const problems = validateWorkflow(wf, { catalog });
    expect(withCode(problems, 'ACTION_UNKNOWN')[0]?.message).toBe('node "fetch-page": unknown action "confirm.edti" (did you mean "confirm.edit"?)');
    expect(withCode(problems, 'EDGE_DANGLING')[0]?.message).toContain('(did you mean "fetch-page"?)');
  });

  it('names the nodes on a cycle', () => {
    const wf = makeWorkflow(
      [
        ['start', { action: 'a.b' }],
        ['x', { action: 'a.b' }],
        ['y', { action: 'a.b' }],
        ['z', { action: 'a.b' }],
      ],
      [
        { from: 'start', to: 'x' },
        { from: 'x', to: 'y' },
        { from: 'y', to: 'z' },
        { from: 'z', to: 'x' },
      ],
    );
    const [cycle] = withCode(validateWorkflow(wf), 'GRAPH_CYCLE');
    expect(cycle?.message).toContain('"x" -> "y" -> "z" -> "x"');
    expect(cycle?.path).toEqual(['edges', 3]);
  });

  it('reports each separate cycle once', () => {
    const wf = makeWorkflow(
      ['a', 'b', 'c', 'd'].map((id) => [id, { action: 'a.b' }]),
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'c', to: 'd' },
        { from: 'd', to: 'c' },
      ],
    );
    expect(withCode(validateWorkflow(wf), 'GRAPH_CYCLE').map((p) => p.path)).toEqual([['edges', 1], ['edges', 3]]);
  });

  it('finds a cycle through a long chain without deep recursion', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `n${i}`);
    const wf = chain(ids);
    wf.edges.push({ from: 'n49999', to: 'n0' });
    const [cycle] = withCode(validateWorkflow(wf), 'GRAPH_CYCLE');
    expect(cycle?.path).toEqual(['edges', 49_999]);
    expect(cycle?.message).toContain('50000 nodes in all');
  });

  it('treats odd ids as ordinary ids everywhere', () => {
    const ids = ['__proto__', 'constructor', 'toString', 'valueOf', '😀', 'y'.repeat(10_000)];
    const wf = chain(ids);
    expect(validateWorkflow(wf)).toEqual([]);
    wf.edges.push({ from: 'toString', to: 'hasOwnProperty' });
    expect(codesAndPaths(validateWorkflow(wf))).toEqual([['EDGE_DANGLING', ['edges', 5, 'to']]]);
  });

  it('keeps messages short and free of control characters for hostile ids', () => {
    const id = `\u001b[31mred\u202e${'z'.repeat(10_000)}`;
    const wf = makeWorkflow([[id, { action: 'confirm.edti' }]]);
    const [problem] = validateWorkflow(wf, { catalog });
    expect(problem?.path).toEqual(['nodes', id, 'action']);
    expect(problem?.message.length).toBeLessThan(200);
    expect(problem?.message).not.toMatch(/[\u001b\u202e]/u);
  });

  it('skips ACTION_UNKNOWN for malformed names (ACTION_NAME_INVALID carries the suggestion)', () => {
    const wf = makeWorkflow([['a', { action: 'confirm_edit' }]]);
    expect(codesAndPaths(validateWorkflow(wf, { catalog }))).toEqual([['ACTION_NAME_INVALID', ['nodes', 'a', 'action']]]);
    expect(validateWorkflow(wf, { catalog })[0]?.message).toContain('did you mean "confirm.edit"');
  });

  it('validates node data only when the action declares a schema; absent data is checked as undefined', () => {
    const wf = makeWorkflow(
      [
        ['a', { action: 'output.tweet', data: { anything: [1, 2] } }],
        ['b', { action: 'http.get' }],
        ['c', { action: 'data.wolfram_alpha' }],
      ],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ],
    );
    expect(codesAndPaths(validateWorkflow(wf, { catalog }))).toEqual([['NODE_DATA_INVALID', ['nodes', 'b', 'data']]]);
  });

  it('suggests keys of the action data schema', () => {
    const wf = makeWorkflow([['a', { action: 'http.get', data: { url: 'https://x.dev', hedaers: {} } }]]);
    const [problem] = validateWorkflow(wf, { catalog });
    expect(problem?.path).toEqual(['nodes', 'a', 'data', 'hedaers']);
    expect(problem?.message).toContain('did you mean "headers"');
  });

  it('survives in-memory workflows of the wrong types', () => {
    const broken = { nodes: {} as never, edges: 'x' as never, extra: new Map() } as Workflow;
    expect(codesAndPaths(validateWorkflow(broken))).toEqual([
      ['NODES_NOT_OBJECT', ['nodes']],
      ['EDGES_NOT_ARRAY', ['edges']],
    ]);
    const cyclicCondition: Record<string, unknown> = {};
    cyclicCondition.not = cyclicCondition;
    const wf = makeWorkflow(
      [
        ['a', { action: 'a.b' }],
        ['b', { action: 'a.b' }],
      ],
      [{ from: 'a', to: 'b', when: cyclicCondition as never }],
    );
    expect(withCode(validateWorkflow(wf), 'CONDITION_INVALID')).toHaveLength(1);
  });

  it('assertValidWorkflow throws GraphValidationError with every problem and ignores warnings alone', () => {
    const warnOnly = makeWorkflow([
      ['a', { action: 'a.b' }],
      ['b', { action: 'a.b' }],
    ]);
    expect(() => assertValidWorkflow(warnOnly)).not.toThrow();
    const bad = chain(['a', 'b']);
    bad.edges.push({ from: 'b', to: 'a' });
    let thrown: unknown;
    try {
      assertValidWorkflow(bad, { file: 'g.json' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphValidationError);
    expect((thrown as GraphValidationError).code).toBe('GRAPH_INVALID');
    expect((thrown as GraphValidationError).file).toBe('g.json');
    expect((thrown as GraphValidationError).problems.map((p) => p.code)).toContain('GRAPH_CYCLE');
  });
});

describe('conditions', () => {
  const conditions: unknown[] = [
    {},
    { path: 'a', equals: { x: [1, null] } },
    { in: [1, 'two'], notEquals: false, exists: true, gt: 1, gte: 1, lt: 2, lte: 2, matches: '^a' },
    { all: [{ path: 'a' }] },
    { any: [{ not: { path: 'b', exists: false } }] },
    { all: [] },
    { any: 'x' },
    { all: [{}], path: 'x' },
    { not: 5 },
    { gt: 'x' },
    { gt: Infinity },
    { exists: 'yes' },
    { in: 'x' },
    { path: 3 },
    { equal: 1 },
    'string',
    null,
    [],
  ];

  it.each(conditions)('agrees with ConditionSchema on %j', (condition) => {
    const wf = makeWorkflow(
      [
        ['a', { action: 'a.b' }],
        ['b', { action: 'a.b' }],
      ],
      [{ from: 'a', to: 'b', when: condition as never }],
    );
    const valid = validateWorkflow(wf).length === 0;
    expect(valid).toBe(ConditionSchema.safeParse(condition).success);
  });

  it('refuses patterns that are invalid, too long or catastrophic, and caches compiled ones', () => {
    expect(compileConditionPattern('^ok$')).toBeInstanceOf(RegExp);
    expect(compileConditionPattern('^ok$')).toBe(compileConditionPattern('^ok$'));
    expect(typeof compileConditionPattern('(')).toBe('string');
    expect(typeof compileConditionPattern('a'.repeat(201))).toBe('string');
    expect(typeof compileConditionPattern('(a+)+$')).toBe('string');
    // With the u flag, a needless escape is an error: validation and the engine agree on that.
    expect(typeof compileConditionPattern('\\-')).toBe('string');
  });

  it.each([
    ['(a+)+', true],
    ['(a*b?)*', true],
    ['(?:x|y+){2,}', true],
    ['((a)+)+', true],
    ['(a+)', false],
    ['(ab)+', false],
    ['[(a+)]+', false],
    ['\\(a+\\)+', false],
    ['(a+){3}', false],
  ])('hasNestedQuantifier(%j) is %s', (pattern, expected) => {
    expect(hasNestedQuantifier(pattern)).toBe(expected);
  });
});
