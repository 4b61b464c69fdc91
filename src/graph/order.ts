// Orders of a workflow for display and scheduling: a topological order that follows file order wherever the edges
// allow, levels (generations by longest path from a root), and predecessor/successor lists in edge order.
// Edges that name missing nodes, repeat another edge or loop on one node are ignored here; validation reports them.
import { GraphValidationError } from '../errors.js';
import { forEachSuccessor, indexGraph, type GraphIndex } from './adjacency.js';
import type { Workflow } from './schema.js';
import { checkStructure } from './structure.js';

/**
 * Node ids in an order where every edge goes forward. Among the nodes ready at each step the one written first in
 * the file comes first, so a file already in topological order comes back unchanged.
 * Throws GraphValidationError (GRAPH_CYCLE / EDGE_SELF_LOOP) for a cyclic workflow.
 */
export function topologicalOrder(wf: Workflow): string[] {
  const index = indexGraph(wf);
  const { order, complete } = orderIndex(index);
  if (!complete || index.issues.some((issue) => issue.kind === 'self-loop')) throwCycle(wf, index);
  return Array.from(order, (v) => index.ids[v] ?? '');
}

/** Nodes grouped by level: level 0 holds the roots, level k the nodes whose longest path from a root has k edges. */
export function levels(wf: Workflow): string[][] {
  const index = indexGraph(wf);
  const result = layerIndex(index);
  if (result.cyclic.length > 0 || index.issues.some((issue) => issue.kind === 'self-loop')) throwCycle(wf, index);
  return result.levels.map((level) => level.map((v) => index.ids[v] ?? ''));
}

/** Each node id with the ids of its predecessors, in edge order (every node has an entry). */
export function predecessors(wf: Workflow): Map<string, string[]> {
  const index = indexGraph(wf);
  return neighbourMap(index, index.inStart, index.inEdges, index.edgeFrom);
}

/** Each node id with the ids of its successors, in edge order (every node has an entry). */
export function successors(wf: Workflow): Map<string, string[]> {
  const index = indexGraph(wf);
  return neighbourMap(index, index.outStart, index.outEdges, index.edgeTo);
}

function neighbourMap(index: GraphIndex, start: Int32Array, items: Int32Array, other: Int32Array): Map<string, string[]> {
  const map = new Map<string, string[]>();
  index.ids.forEach((id, v) => {
    const list: string[] = [];
    for (let k = start[v] ?? 0, end = start[v + 1] ?? 0; k < end; k++) list.push(index.ids[other[items[k] ?? 0] ?? 0] ?? '');
    map.set(id, list);
  });
  return map;
}

function throwCycle(wf: Workflow, index: GraphIndex): never {
  const problems = checkStructure(wf, index).filter((p) => p.code === 'GRAPH_CYCLE' || p.code === 'EDGE_SELF_LOOP');
  throw new GraphValidationError(problems);
}

/**
 * Kahn's algorithm with a min-heap on file position. `complete` is false when a cycle kept nodes out; `order`
 * then holds only the nodes before the cycle.
 */
export function orderIndex(index: GraphIndex): { order: Int32Array; complete: boolean } {
  const n = index.ids.length;
  const indegree = new Int32Array(n);
  for (let e = 0; e < index.edgeTo.length; e++) indegree[index.edgeTo[e] ?? 0]!++;
  const heap = new MinHeap(n);
  for (let v = 0; v < n; v++) if (indegree[v] === 0) heap.push(v);
  const order = new Int32Array(n);
  let count = 0;
  while (heap.size > 0) {
    const v = heap.pop();
    order[count++] = v;
    forEachSuccessor(index, v, (w) => {
      if (--indegree[w]! === 0) heap.push(w);
    });
  }
  return { order: order.slice(0, count), complete: count === n };
}

/**
 * Longest-path levels, each in file order. Nodes on or behind a cycle cannot be levelled: they are returned in
 * `cyclic` (file order) so displays can still show them.
 */
export function layerIndex(index: GraphIndex): { levels: number[][]; level: Int32Array; cyclic: number[] } {
  const n = index.ids.length;
  const { order } = orderIndex(index);
  const level = new Int32Array(n).fill(-1);
  let depth = 0;
  for (const v of order) {
    let mine = 0;
    for (let k = index.inStart[v] ?? 0, end = index.inStart[v + 1] ?? 0; k < end; k++) {
      const u = index.edgeFrom[index.inEdges[k] ?? 0] ?? 0;
      mine = Math.max(mine, (level[u] ?? 0) + 1);
    }
    level[v] = mine;
    depth = Math.max(depth, mine + 1);
  }
  const levelsOut: number[][] = Array.from({ length: depth }, () => []);
  const cyclic: number[] = [];
  for (let v = 0; v < n; v++) {
    const l = level[v] ?? -1;
    if (l < 0) cyclic.push(v);
    else levelsOut[l]?.push(v);
  }
  return { levels: levelsOut, level, cyclic };
}

/** A binary min-heap of node numbers (file positions). */
class MinHeap {
  readonly #items: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.#items = new Int32Array(Math.max(1, capacity));
  }

  push(value: number): void {
    const items = this.#items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent] ?? 0;
      if (above <= value) break;
      items[i] = above;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.#items;
    const top = items[0] ?? 0;
    const last = items[--this.size] ?? 0;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && (items[right] ?? 0) < (items[left] ?? 0) ? right : left;
      if ((items[child] ?? 0) >= last) break;
      items[i] = items[child] ?? 0;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
