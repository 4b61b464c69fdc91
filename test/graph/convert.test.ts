import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalSort } from 'graphology-dag';
import { describe, expect, it } from 'vitest';
import { GraphValidationError } from '../../src/errors.js';
import { fromGraphology, graphologyKey, idFromGraphologyKey, toGraphology } from '../../src/graph/convert.js';
import { serializeWorkflow } from '../../src/graph/parse.js';
import { makeWorkflow } from './helpers.js';

const wf = makeWorkflow(
  [
    ['10', { action: 'input.text', data: { prompt: 'x' }, label: 'ask' }],
    ['2', { action: 'confirm.edit', retry: { attempts: 2 } }],
    ['__proto__', { action: 'output.tweet' }],
    ['constructor', { action: 'output.console' }],
  ],
  [
    { from: '2', to: '__proto__', when: { path: 'approved', equals: true }, label: 'yes' },
    { from: '10', to: '2' },
    { from: '2', to: 'constructor' },
  ],
  { name: 'n', description: 'd', version: 1 },
  [
    ['__proto__', { x: 1 }],
    ['custom', [1, 2]],
  ],
);

describe('graphology conversion', () => {
  it('builds a DirectedGraph with node and edge attributes', () => {
    const graph = toGraphology(wf);
    expect(graph).toBeInstanceOf(DirectedGraph);
    expect(graph.order).toBe(4);
    expect(graph.size).toBe(3);
    expect(graph.nodes().map(idFromGraphologyKey)).toEqual(['10', '2', '__proto__', 'constructor']);
    expect(graph.getNodeAttributes('10')).toEqual({ action: 'input.text', data: { prompt: 'x' }, label: 'ask' });
    expect(graph.getEdgeAttributes('2', graphologyKey('__proto__'))).toEqual({ when: { path: 'approved', equals: true }, label: 'yes' });
    expect(graph.getAttribute('name')).toBe('n');
  });

  it('stores ids that graphology would confuse with Object.prototype under escaped keys', () => {
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '\u0000x']) {
      expect(graphologyKey(id)).not.toBe(id);
      expect(idFromGraphologyKey(graphologyKey(id))).toBe(id);
    }
    for (const id of ['1', 'fetch-page', 'ü', 'proto']) expect(graphologyKey(id)).toBe(id);
    const graph = toGraphology(wf);
    expect(graph.outNeighbors('2').map(idFromGraphologyKey)).toEqual(['__proto__', 'constructor']);
    expect(graph.hasEdge('10', graphologyKey('constructor'))).toBe(false);
    expect(hasCycle(graph)).toBe(false);
    expect(topologicalSort(graph).map(idFromGraphologyKey)).toEqual(['10', '2', '__proto__', 'constructor']);
  });

  it('round-trips ids, node order, edge order, meta and unknown top-level keys', () => {
    const back = fromGraphology(toGraphology(wf));
    expect(back).toEqual(wf);
    expect([...back.nodes.keys()]).toEqual([...wf.nodes.keys()]);
    expect([...back.extra.keys()]).toEqual(['__proto__', 'custom']);
    expect(serializeWorkflow(back)).toBe(serializeWorkflow(wf));
  });

  it('copies attributes: changing the graph does not change the workflow', () => {
    const graph = toGraphology(wf);
    graph.setNodeAttribute('10', 'label', 'changed');
    expect(wf.nodes.get('10')?.label).toBe('ask');
  });

  it('reads graphs built with graphology, extra graph attributes becoming unknown keys', () => {
    const graph = new DirectedGraph();
    graph.setAttribute('owner', 'me');
    graph.addNode('b', { action: 'x.y' });
    graph.addNode('a', { action: 'x.z' });
    graph.addEdge('b', 'a', { label: 'then' });
    const back = fromGraphology(graph);
    expect([...back.nodes.keys()]).toEqual(['b', 'a']);
    expect(back.edges).toEqual([{ from: 'b', to: 'a', label: 'then' }]);
    expect([...back.extra]).toEqual([['owner', 'me']]);
  });

  it('refuses what a DirectedGraph cannot hold: dangling and repeated edges', () => {
    const dangling = makeWorkflow([['a', { action: 'x.y' }]], [{ from: 'a', to: 'b' }]);
    const repeated = makeWorkflow(
      [
        ['a', { action: 'x.y' }],
        ['b', { action: 'x.y' }],
      ],
      [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'b' },
      ],
    );
    for (const [bad, code] of [
      [dangling, 'EDGE_DANGLING'],
      [repeated, 'EDGE_DUPLICATE'],
    ] as const) {
      let thrown: unknown;
      try {
        toGraphology(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GraphValidationError);
      expect((thrown as GraphValidationError).problems.map((p) => p.code)).toEqual([code]);
    }
  });

  it('keeps self-loops so validation can still report them after a round trip', () => {
    const loop = makeWorkflow([['a', { action: 'x.y' }]], [{ from: 'a', to: 'a' }]);
    expect(fromGraphology(toGraphology(loop))).toEqual(loop);
  });
});
