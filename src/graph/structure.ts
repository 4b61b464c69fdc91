// Graph-level checks, all linear in nodes + edges: dangling, duplicate and self-loop edges, cycles (naming the
// nodes on them), and warnings for nodes no root reaches, nodes without edges, and detached groups of nodes.
import type { Problem } from '../errors.js';
import { forEachSuccessor, indexGraph, type GraphIndex } from './adjacency.js';
import type { Workflow } from './schema.js';
import { closest, editDistance } from './suggest.js';
import { edgeWhere, nodeWhere, quoteId } from './text.js';

/** "Did you mean" compares against every id: past this many nodes it is skipped to stay linear. */
const SUGGEST_MAX_NODES = 2000;
/** A cycle message names at most this many nodes. */
const CYCLE_NAMES_SHOWN = 12;

export function checkStructure(wf: Workflow, index: GraphIndex = indexGraph(wf)): Problem[] {
  const problems: Problem[] = [];
  edgeProblems(wf, index, problems);
  cycleProblems(wf, index, problems);
  reachabilityProblems(index, problems);
  connectivityProblems(wf, index, problems);
  return problems;
}

function edgeProblems(wf: Workflow, index: GraphIndex, problems: Problem[]): void {
  for (const issue of index.issues) {
    const edge = wf.edges[issue.index] as { from: string; to: string };
    const where = edgeWhere(issue.index, edge);
    switch (issue.kind) {
      case 'malformed':
        // checkShape reports it.
        break;
      case 'dangling':
        for (const end of issue.end === 'both' ? (['from', 'to'] as const) : [issue.end]) {
          const id = edge[end];
          if (index.position.has(id)) continue;
          const hint = index.ids.length <= SUGGEST_MAX_NODES ? suggestId(id, index.ids) : '';
          problems.push({
            code: 'EDGE_DANGLING',
            path: ['edges', issue.index, end],
            message: `${where}: "${end}" names node ${quoteId(id)}, which does not exist${hint}`,
            severity: 'error',
          });
        }
        break;
      case 'self-loop':
        problems.push({
          code: 'EDGE_SELF_LOOP',
          path: ['edges', issue.index],
          message: `${where}: an edge from a node to itself (a cycle; workflows are acyclic)`,
          severity: 'error',
        });
        break;
      case 'duplicate':
        problems.push({
          code: 'EDGE_DUPLICATE',
          path: ['edges', issue.index],
          message: `${where}: repeats edges[${issue.firstIndex}] (at most one edge from a node to another)`,
          severity: 'error',
        });
        break;
    }
  }
}

/** "Did you mean" for a node id, unless every character would change ("9" is no typo of "1"). */
function suggestId(id: string, ids: string[]): string {
  const match = closest(id, ids);
  return match !== undefined && editDistance(id, match) < id.length ? ` (did you mean ${quoteId(match)}?)` : '';
}

/** Kahn's algorithm peels off everything that is not on or behind a cycle; Tarjan finds the cycles in the rest. */
function cycleProblems(wf: Workflow, index: GraphIndex, problems: Problem[]): void {
  const n = index.ids.length;
  const indegree = new Int32Array(n);
  for (let e = 0; e < index.edgeTo.length; e++) indegree[index.edgeTo[e] ?? 0]!++;
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue[tail++] = v;
  while (head < tail) {
    const v = queue[head++] ?? 0;
    forEachSuccessor(index, v, (w) => {
      if (--indegree[w]! === 0) queue[tail++] = w;
    });
  }
  if (tail === n) return;
  const remaining = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (indegree[v]! > 0) remaining[v] = 1;
  for (const component of stronglyConnected(index, remaining)) {
    const cycle = cycleThrough(index, component);
    if (!cycle) continue;
    const names = cycle.nodes.map((v) => quoteId(index.ids[v] ?? '', 30));
    const shown =
      names.length > CYCLE_NAMES_SHOWN
        ? [...names.slice(0, CYCLE_NAMES_SHOWN), `… (${names.length} nodes in all)`]
        : names;
    const closing = index.edgeIndex[cycle.closingEdge] ?? 0;
    problems.push({
      code: 'GRAPH_CYCLE',
      path: ['edges', closing],
      message: `${edgeWhere(closing, wf.edges[closing])}: closes a cycle ${[...shown, names[0]].join(' -> ')} (workflows are acyclic: remove or reverse one of these edges)`,
      severity: 'error',
    });
  }
}

/** Strongly connected components of more than one node among `within` (iterative Tarjan: no deep recursion). */
function stronglyConnected(index: GraphIndex, within: Uint8Array): number[][] {
  const n = index.ids.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const cursor = new Int32Array(n);
  const stack: number[] = [];
  const calls: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (!within[root] || order[root] !== -1) continue;
    calls.push(root);
    order[root] = low[root] = counter++;
    cursor[root] = index.outStart[root] ?? 0;
    stack.push(root);
    onStack[root] = 1;
    while (calls.length > 0) {
      const v = calls[calls.length - 1] ?? 0;
      if ((cursor[v] ?? 0) < (index.outStart[v + 1] ?? 0)) {
        const edge = index.outEdges[cursor[v]!++] ?? 0;
        const w = index.edgeTo[edge] ?? 0;
        if (!within[w]) continue;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          cursor[w] = index.outStart[w] ?? 0;
          stack.push(w);
          onStack[w] = 1;
          calls.push(w);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] ?? 0, order[w] ?? 0);
        }
        continue;
      }
      calls.pop();
      if (low[v] === order[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() ?? v;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1) components.push(component.sort((a, b) => a - b));
      }
      const parent = calls[calls.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] ?? 0, low[v] ?? 0);
    }
  }
  return components;
}

/** The shortest cycle through the component's first node (breadth-first, inside the component). */
function cycleThrough(index: GraphIndex, component: number[]): { nodes: number[]; closingEdge: number } | undefined {
  const start = component[0];
  if (start === undefined) return undefined;
  const inside = new Set(component);
  const parentEdge = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] ?? start;
    let closing: number | undefined;
    forEachSuccessor(index, v, (w, edge) => {
      if (closing !== undefined || !inside.has(w)) return;
      if (w === start) closing = edge;
      else if (!parentEdge.has(w)) {
        parentEdge.set(w, edge);
        queue.push(w);
      }
    });
    if (closing !== undefined) {
      const nodes = [v];
      for (let at = v; at !== start; ) {
        at = index.edgeFrom[parentEdge.get(at) ?? 0] ?? start;
        nodes.push(at);
      }
      return { nodes: nodes.reverse(), closingEdge: closing };
    }
  }
  return undefined;
}

/** Nodes that no root (a node without predecessors) reaches: only nodes on or behind a cycle. */
function reachabilityProblems(index: GraphIndex, problems: Problem[]): void {
  const n = index.ids.length;
  const reached = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) {
    if (index.inStart[v] === index.inStart[v + 1]) {
      reached[v] = 1;
      queue[tail++] = v;
    }
  }
  for (let head = 0; head < tail; head++) {
    forEachSuccessor(index, queue[head] ?? 0, (w) => {
      if (!reached[w]) {
        reached[w] = 1;
        queue[tail++] = w;
      }
    });
  }
  for (let v = 0; v < n; v++) {
    if (reached[v]) continue;
    const id = index.ids[v] ?? '';
    problems.push({
      code: 'NODE_UNREACHABLE',
      path: ['nodes', id],
      message: `${nodeWhere(id)}: never runs: no path from a start node (one without incoming edges) reaches it`,
      severity: 'warning',
    });
  }
}

/** Weakly connected components (union-find): lone nodes and groups apart from the largest group are warned about. */
function connectivityProblems(wf: Workflow, index: GraphIndex, problems: Problem[]): void {
  const n = index.ids.length;
  if (n < 2) return;
  // A node whose only edges are broken (dangling, a self-loop) does have edges: the error on the edge says enough.
  const onBrokenEdge = new Set<string>();
  for (const issue of index.issues) {
    if (issue.kind !== 'dangling' && issue.kind !== 'self-loop') continue;
    const edge = wf.edges[issue.index] as { from: string; to: string };
    onBrokenEdge.add(edge.from).add(edge.to);
  }
  const parent = new Int32Array(n);
  for (let v = 0; v < n; v++) parent[v] = v;
  const find = (v: number): number => {
    let root = v;
    while (parent[root] !== root) root = parent[root] ?? root;
    while (parent[v] !== root) {
      const next = parent[v] ?? root;
      parent[v] = root;
      v = next;
    }
    return root;
  };
  for (let e = 0; e < index.edgeFrom.length; e++) {
    const a = find(index.edgeFrom[e] ?? 0);
    const b = find(index.edgeTo[e] ?? 0);
    // The smaller position becomes the root, so a component's root is its first node in file order.
    if (a < b) parent[b] = a;
    else if (b < a) parent[a] = b;
  }
  const size = new Int32Array(n);
  for (let v = 0; v < n; v++) size[find(v)]!++;
  let main = 0;
  for (let v = 0; v < n; v++) if (parent[v] === v && (size[v] ?? 0) > (size[main] ?? 0)) main = v;
  for (let v = 0; v < n; v++) {
    if (parent[v] !== v || (v === main && (size[main] ?? 0) > 1)) continue;
    const id = index.ids[v] ?? '';
    const count = size[v] ?? 1;
    if (count === 1) {
      if (onBrokenEdge.has(id)) continue;
      problems.push({
        code: 'NODE_ISOLATED',
        path: ['nodes', id],
        message: `${nodeWhere(id)}: has no edges, so nothing connects it to the rest of the workflow`,
        severity: 'warning',
      });
    } else {
      problems.push({
        code: 'NODE_DISCONNECTED',
        path: ['nodes', id],
        message: `${nodeWhere(id)} and ${count - 1} other node${count > 2 ? 's' : ''} form a group with no edge to the rest of the workflow`,
        severity: 'warning',
      });
    }
  }
}
