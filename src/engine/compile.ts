// Compiles a workflow for execution: node numbers, adjacency in flat typed arrays (CSR), actions looked up,
// templates and conditions compiled. Checks what execution depends on (actions exist, edges name nodes, no cycle,
// templates read upstream nodes only) and reports every problem at once as a GraphValidationError.
import type { AnyActionDefinition, OutgoingEdge } from '../actions/define.js';
import type { ActionRegistry } from '../actions/registry.js';
import { GraphValidationError, type Problem } from '../errors.js';
import type { Workflow, WorkflowNode } from '../graph/schema.js';
import { didYouMean } from '../graph/suggest.js';
import { compileCondition, type CompiledCondition } from './conditions.js';
import { compileData, type CompiledData } from './template.js';

export interface CompiledGraph {
  size: number;
  ids: string[];
  index: Map<string, number>;
  nodes: WorkflowNode[];
  actions: AnyActionDefinition[];
  data: CompiledData[];
  /** Outgoing edges of node i: outEdges[outStart[i] .. outStart[i+1]) are edge numbers. */
  outStart: Int32Array;
  outEdges: Int32Array;
  /** Incoming edges of node i, likewise. */
  inStart: Int32Array;
  inEdges: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** The compiled `when` of each edge; undefined when the edge always holds. */
  edgeWhen: (CompiledCondition | undefined)[];
  /** Node numbers in a topological order. */
  order: Int32Array;
}

export function compileWorkflow(workflow: Workflow, registry: ActionRegistry, options: { file?: string } = {}): CompiledGraph {
  const problems: Problem[] = [];
  const ids = [...workflow.nodes.keys()];
  const size = ids.length;
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const nodes = [...workflow.nodes.values()];

  const actions: AnyActionDefinition[] = new Array<AnyActionDefinition>(size);
  nodes.forEach((node, i) => {
    const definition = registry.get(node.action);
    if (definition) actions[i] = definition;
    else {
      problems.push({
        code: 'ACTION_UNKNOWN',
        path: ['nodes', ids[i]!, 'action'],
        message: `node "${ids[i]}": unknown action "${node.action}"${didYouMean(node.action, registry.names())}`,
        severity: 'error',
      });
    }
  });

  const edgeCount = workflow.edges.length;
  const edgeFrom = new Int32Array(edgeCount);
  const edgeTo = new Int32Array(edgeCount);
  const edgeWhen: (CompiledCondition | undefined)[] = new Array<CompiledCondition | undefined>(edgeCount);
  const outDegree = new Int32Array(size + 1);
  const inDegree = new Int32Array(size + 1);
  let edgesOk = true;
  const unknownEnd = (e: number, end: 'from' | 'to', id: string, edge: { from: string; to: string }): void => {
    edgesOk = false;
    problems.push({
      code: 'EDGE_DANGLING',
      path: ['edges', e, end],
      message: `edge ${e} (${edge.from} -> ${edge.to}): unknown node "${id}"${didYouMean(id, ids)}`,
      severity: 'error',
    });
  };
  for (let e = 0; e < edgeCount; e++) {
    const edge = workflow.edges[e]!;
    const from = index.get(edge.from);
    const to = index.get(edge.to);
    if (from === undefined) unknownEnd(e, 'from', edge.from, edge);
    if (to === undefined) unknownEnd(e, 'to', edge.to, edge);
    edgeFrom[e] = from ?? -1;
    edgeTo[e] = to ?? -1;
    if (from !== undefined && to !== undefined) {
      outDegree[from + 1]! += 1;
      inDegree[to + 1]! += 1;
    }
    if (edge.when !== undefined) {
      edgeWhen[e] = compileCondition(edge.when, ['edges', e, 'when'], problems, `edge ${e} (${edge.from} -> ${edge.to}): when`);
    }
  }

  // Prefix sums turn degrees into CSR offsets.
  const outStart = new Int32Array(size + 1);
  const inStart = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) {
    outStart[i + 1] = outStart[i]! + outDegree[i + 1]!;
    inStart[i + 1] = inStart[i]! + inDegree[i + 1]!;
  }
  const outEdges = new Int32Array(outStart[size]!);
  const inEdges = new Int32Array(inStart[size]!);
  const outFill = outStart.slice(0, size);
  const inFill = inStart.slice(0, size);
  for (let e = 0; e < edgeCount; e++) {
    const from = edgeFrom[e]!;
    const to = edgeTo[e]!;
    if (from < 0 || to < 0) continue;
    outEdges[outFill[from]!++] = e;
    inEdges[inFill[to]!++] = e;
  }

  const order = edgesOk ? topologicalOrder(size, outStart, outEdges, inStart, edgeTo) : new Int32Array(0);
  if (edgesOk && order.length < size) {
    const cycle = findCycle(size, outStart, outEdges, edgeTo, order);
    problems.push({
      code: 'GRAPH_CYCLE',
      path: ['edges'],
      message: `the graph has a cycle: ${cycle.map((i) => `"${ids[i]}"`).join(' -> ')}`,
      severity: 'error',
    });
  }

  const data = nodes.map((node, i) => compileData(node.data, ids[i]!, index, problems));
  if (edgesOk && order.length === size) checkTemplatesReadUpstream(data, ids, inStart, inEdges, edgeFrom, problems);

  if (problems.length > 0) throw new GraphValidationError(problems, options.file === undefined ? {} : { file: options.file });
  return { size, ids, index, nodes, actions, data, outStart, outEdges, inStart, inEdges, edgeFrom, edgeTo, edgeWhen, order };
}

/** The edges leaving node `i`, as actions see them (for routing actions such as llm.choose). */
export function outgoingEdges(graph: CompiledGraph, workflow: Workflow, i: number): OutgoingEdge[] {
  const out: OutgoingEdge[] = [];
  for (let k = graph.outStart[i]!; k < graph.outStart[i + 1]!; k++) {
    const edge = workflow.edges[graph.outEdges[k]!]!;
    const item: OutgoingEdge = { to: edge.to };
    if (edge.label !== undefined) item.label = edge.label;
    if (edge.when !== undefined) item.when = edge.when;
    out.push(item);
  }
  return out;
}

/** Kahn's algorithm; fewer than `size` entries means a cycle. */
function topologicalOrder(size: number, outStart: Int32Array, outEdges: Int32Array, inStart: Int32Array, edgeTo: Int32Array): Int32Array {
  const remaining = new Int32Array(size);
  for (let i = 0; i < size; i++) remaining[i] = inStart[i + 1]! - inStart[i]!;
  const order = new Int32Array(size);
  let tail = 0;
  for (let i = 0; i < size; i++) if (remaining[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const node = order[head]!;
    for (let k = outStart[node]!; k < outStart[node + 1]!; k++) {
      const to = edgeTo[outEdges[k]!]!;
      if (--remaining[to]! === 0) order[tail++] = to;
    }
  }
  return order.subarray(0, tail);
}

/** One cycle among the nodes Kahn's algorithm could not order, as node numbers with the first repeated last. */
function findCycle(size: number, outStart: Int32Array, outEdges: Int32Array, edgeTo: Int32Array, ordered: Int32Array): number[] {
  const done = new Uint8Array(size);
  for (const i of ordered) done[i] = 1;
  // Every unordered node has an unordered predecessor, so walking successors that are unordered must revisit one.
  const start = done.indexOf(0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let node = start;
  while (!seenAt.has(node)) {
    seenAt.set(node, path.length);
    path.push(node);
    let next = -1;
    for (let k = outStart[node]!; k < outStart[node + 1]!; k++) {
      const to = edgeTo[outEdges[k]!]!;
      if (!done[to]) {
        next = to;
        break;
      }
    }
    if (next < 0) break; // cannot happen for a node on or behind a cycle whose successors lead back; kept as a guard
    node = next;
  }
  const from = seenAt.get(node) ?? 0;
  return [...path.slice(from), node];
}

/** A template may read only nodes that run before its own: its ancestors. */
function checkTemplatesReadUpstream(
  data: CompiledData[],
  ids: string[],
  inStart: Int32Array,
  inEdges: Int32Array,
  edgeFrom: Int32Array,
  problems: Problem[],
): void {
  data.forEach((compiled, i) => {
    if (compiled.refs.length === 0) return;
    const ancestors = new Set<number>();
    const stack = [i];
    while (stack.length > 0) {
      const node = stack.pop()!;
      for (let k = inStart[node]!; k < inStart[node + 1]!; k++) {
        const from = edgeFrom[inEdges[k]!]!;
        if (!ancestors.has(from)) {
          ancestors.add(from);
          stack.push(from);
        }
      }
    }
    for (const ref of compiled.refs) {
      if (ancestors.has(ref.node)) continue;
      problems.push({
        code: 'TEMPLATE_NOT_UPSTREAM',
        path: ref.path,
        message: `node "${ids[i]}": template reads nodes.${ref.nodeId}.output, but node "${ref.nodeId}" does not run before it (add an edge path from "${ref.nodeId}" to "${ids[i]}")`,
        severity: 'error',
      });
    }
  });
}
