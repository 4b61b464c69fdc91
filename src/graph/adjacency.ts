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
  for (let i = 0; i < n; i++) position.set(ids[i] ?? '', i);

  const edges = wf.edges;
  const m = edges.length;
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  // 0 usable so far, 1 left out (its issue is recorded).
  const leftOut = new Uint8Array(m);
  const issues: EdgeIssue[] = [];
  for (let i = 0; i < m; i++) {
    const edge = edges[i] as unknown;
    if (typeof edge !== 'object' || edge === null) {
      leftOut[i] = 1;
      issues.push({ index: i, kind: 'malformed' });
      continue;
    }
    const { from: a, to: b } = edge as { from?: unknown; to?: unknown };
    if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') {
      leftOut[i] = 1;
      issues.push({ index: i, kind: 'malformed' });
      continue;
    }
    const f = position.get(a);
    const t = position.get(b);
    if (f === undefined || t === undefined) {
      leftOut[i] = 1;
      issues.push({ index: i, kind: 'dangling', end: f === undefined && t === undefined ? 'both' : f === undefined ? 'from' : 'to' });
      continue;
    }
    if (f === t) {
      leftOut[i] = 1;
      issues.push({ index: i, kind: 'self-loop' });
      continue;
    }
    from[i] = f;
    to[i] = t;
  }
  findDuplicates(n, from, to, leftOut, issues);
  if (issues.length > 0) issues.sort((x, y) => x.index - y.index);

  let count = 0;
  for (let i = 0; i < m; i++) if (!leftOut[i]) count++;
  const edgeIndex = new Int32Array(count);
  const edgeFrom = new Int32Array(count);
  const edgeTo = new Int32Array(count);
  for (let i = 0, k = 0; i < m; i++) {
    if (leftOut[i]) continue;
    edgeIndex[k] = i;
    edgeFrom[k] = from[i] ?? 0;
    edgeTo[k] = to[i] ?? 0;
    k++;
  }
  const { start: outStart, items: outEdges } = buckets(n, edgeFrom);
  const { start: inStart, items: inEdges } = buckets(n, edgeTo);
  return { ids, position, edgeIndex, edgeFrom, edgeTo, outStart, outEdges, inStart, inEdges, issues };
}

/**
 * Marks every repeat of a from -> to pair (after its first occurrence) as left out. Linear: edges are bucketed by
 * source, then each source's targets are stamped in an array, with no hashing of pairs.
 */
function findDuplicates(n: number, from: Int32Array, to: Int32Array, leftOut: Uint8Array, issues: EdgeIssue[]): void {
  const candidates: number[] = [];
  for (let i = 0; i < from.length; i++) if (!leftOut[i]) candidates.push(i);
  const sources = new Int32Array(candidates.length);
  candidates.forEach((edge, k) => (sources[k] = from[edge] ?? 0));
  const { start, items } = buckets(n, sources);
  // stamp[t] = source + 1 when that source already has an edge to t; first[t] is that edge.
  const stamp = new Int32Array(n);
  const first = new Int32Array(n);
  for (let source = 0; source < n; source++) {
    for (let k = start[source] ?? 0, end = start[source + 1] ?? 0; k < end; k++) {
      const edge = candidates[items[k] ?? 0] ?? 0;
      const target = to[edge] ?? 0;
      if (stamp[target] === source + 1) {
        leftOut[edge] = 1;
        issues.push({ index: edge, kind: 'duplicate', firstIndex: first[target] ?? 0 });
      } else {
        stamp[target] = source + 1;
        first[target] = edge;
      }
    }
  }
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
