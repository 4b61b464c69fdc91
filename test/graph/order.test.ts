import { describe, expect, it } from 'vitest';
import { GraphValidationError } from '../../src/errors.js';
import { levels, predecessors, successors, topologicalOrder } from '../../src/graph/order.js';
import { chain, makeWorkflow } from './helpers.js';

const diamond = makeWorkflow(
  ['d', 'c', 'b', 'a', 'e'].map((id) => [id, { action: 'a.b' }]),
  [
    { from: 'a', to: 'c' },
    { from: 'a', to: 'b' },
    { from: 'b', to: 'd' },
    { from: 'c', to: 'd' },
    { from: 'a', to: 'd' },
  ],
);

describe('order', () => {
  it('returns file order when the file is already topological', () => {
    const ids = ['10', '2', '__proto__', '1'];
    expect(topologicalOrder(chain(ids))).toEqual(ids);
  });

  it('puts every edge forward, preferring file order among ready nodes', () => {
    const order = topologicalOrder(diamond);
    const at = new Map(order.map((id, i) => [id, i]));
    for (const edge of diamond.edges) expect(at.get(edge.from)!).toBeLessThan(at.get(edge.to)!);
    // "e" is a root written after "a": ready from the start, but "d", "c", "b" are not.
    expect(order).toEqual(['a', 'c', 'b', 'd', 'e']);
  });

  it('groups nodes by longest-path level, each level in file order', () => {
    expect(levels(diamond)).toEqual([['a', 'e'], ['c', 'b'], ['d']]);
    expect(levels(makeWorkflow([]))).toEqual([]);
  });

  it('lists predecessors and successors in edge order, for every node', () => {
    expect(predecessors(diamond)).toEqual(
      new Map([
        ['d', ['b', 'c', 'a']],
        ['c', ['a']],
        ['b', ['a']],
        ['a', []],
        ['e', []],
      ]),
    );
    expect(successors(diamond).get('a')).toEqual(['c', 'b', 'd']);
  });

  it('ignores dangling and repeated edges', () => {
    const wf = chain(['a', 'b']);
    wf.edges.push({ from: 'a', to: 'ghost' }, { from: 'a', to: 'b' });
    expect(topologicalOrder(wf)).toEqual(['a', 'b']);
    expect(successors(wf).get('a')).toEqual(['b']);
  });

  it('throws GraphValidationError naming the cycle', () => {
    const wf = chain(['a', 'b', 'c']);
    wf.edges.push({ from: 'c', to: 'b' });
    for (const fn of [topologicalOrder, levels]) {
      let thrown: unknown;
      try {
        fn(wf);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GraphValidationError);
      expect((thrown as GraphValidationError).problems.map((p) => [p.code, p.path])).toEqual([['GRAPH_CYCLE', ['edges', 2]]]);
    }
    const loop = chain(['a']);
    loop.edges.push({ from: 'a', to: 'a' });
    expect(() => topologicalOrder(loop)).toThrow(GraphValidationError);
  });

  it('handles a 100,000-node chain', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => String(i));
    const wf = chain(ids);
    expect(topologicalOrder(wf)).toEqual(ids);
    expect(levels(wf)).toHaveLength(100_000);
  });
});
