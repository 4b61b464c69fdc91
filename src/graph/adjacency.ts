// A compact index of a workflow's graph for the linear-time algorithms (validation, ordering, layout): nodes by
// file position, usable edges in compressed adjacency arrays, and the edges that could not be used, with why.
import type { Workflow } from './schema.js';

export type EdgeIssue =
  | { index: number; kind: 'malformed' }
  | { index: number; kind: 'dangling'; end: 'from' | 'to' | 'both' }
  | { index: number; kind: 'self-loop' }
  | { index: number; kind: 'duplicate'; firstIndex: number };

export interface GraphIndex {
  /** Node ids in file order; a node's number is its position here. */
  ids: string[];
  position: Map<string, number>;
  /** The usable edges (both ends exist, not a self-loop, first of its from -> to): index into wf.edges. */
  edgeIndex: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** Outgoing usable edges of node n: outEdges[outStart[n] .. outStart[n + 1]), in edge order. */
  outStart: Int32Array;
  outEdges: Int32Array;
  /** Incoming usable edges of node n, likewise. */
  inStart: Int32Array;
  inEdges: Int32Array;
  /** Edges left out, in edge order. */
  issues: EdgeIssue[];
}

export function indexGraph(wf: Workflow): GraphIndex {
  const ids = [...wf.nodes.keys()];
  const n = ids.length;
  const position = new Map<string, number>();
  ids.forEach((id, i) => position.set(id, i));

  const edges = wf.edges;
  const from = new Int32Array(edges.length);
  const to = new Int32Array(edges.length);
  const kept = new Int32Array(edges.length);
  const issues: EdgeIssue[] = [];
  // from * n + to is exact in a double for any node count that fits in memory.
  const seen = new Map<number, number>();
  let count = 0;
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i] as unknown;
    if (typeof edge !== 'object' || edge === null) {
      issues.push({ index: i, kind: 'malformed' });
      continue;
    }
    const { from: a, to: b } = edge as { from?: unknown; to?: unknown };
    if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') {
      issues.push({ index: i, kind: 'malformed' });
      continue;
    }
    const f = position.get(a);
    const t = position.get(b);
    if (f === undefined || t === undefined) {
      issues.push({ index: i, kind: 'dangling', end: f === undefined && t === undefined ? 'both' : f === undefined ? 'from' : 'to' });
      continue;
    }
    if (f === t) {
      issues.push({ index: i, kind: 'self-loop' });
      continue;
    }
    const key = f * n + t;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ index: i, kind: 'duplicate', firstIndex: first });
      continue;
    }
    seen.set(key, i);
    from[count] = f;
    to[count] = t;
    kept[count] = i;
    count++;
  }
  const edgeFrom = from.slice(0, count);
  const edgeTo = to.slice(0, count);
  const { start: outStart, items: outEdges } = buckets(n, edgeFrom);
  const { start: inStart, items: inEdges } = buckets(n, edgeTo);
  return { ids, position, edgeIndex: kept.slice(0, count), edgeFrom, edgeTo, outStart, outEdges, inStart, inEdges, issues };
}

/** Counting sort of edge numbers by node: stable, so each node's edges stay in edge order. */
function buckets(n: number, keys: Int32Array): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let e = 0; e < keys.length; e++) start[(keys[e] ?? 0) + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i] ?? 0;
  const fill = start.slice(0, n);
  const items = new Int32Array(keys.length);
  for (let e = 0; e < keys.length; e++) {
    const node = keys[e] ?? 0;
    items[fill[node]!++] = e;
  }
  return { start, items };
}

/** Calls `visit` with the target node of each usable outgoing edge of `node`, in edge order. */
export function forEachSuccessor(index: GraphIndex, node: number, visit: (target: number, edge: number) => void): void {
  for (let k = index.outStart[node] ?? 0, end = index.outStart[node + 1] ?? 0; k < end; k++) {
    const edge = index.outEdges[k] ?? 0;
    visit(index.edgeTo[edge] ?? 0, edge);
  }
}
