// Benchmark graphs: layered DAGs (each node after two nodes of the layer before) and chains, as Workflow objects
// and as plain adjacency for the floor and LangGraph.
import type { Workflow, WorkflowEdge, WorkflowNode } from '../src/graph/schema.js';

export interface BenchCase {
  name: string;
  nodes: number;
  /** Nodes per layer; a chain has width 1. */
  width: number;
}

export const CASES: BenchCase[] = [
  { name: 'layered-1k-w100', nodes: 1_000, width: 100 },
  { name: 'layered-1k-w1000', nodes: 1_000, width: 1_000 },
  { name: 'layered-10k-w100', nodes: 10_000, width: 100 },
  { name: 'layered-10k-w1000', nodes: 10_000, width: 1_000 },
  { name: 'layered-100k-w100', nodes: 100_000, width: 100 },
  { name: 'layered-100k-w1000', nodes: 100_000, width: 1_000 },
  { name: 'chain-10k', nodes: 10_000, width: 1 },
];

/** Small cases used only to predict how long LangGraph would take on the big ones (it grows faster than linear). */
export const PROBES: BenchCase[] = [{ name: 'chain-1k', nodes: 1_000, width: 1 }];

export function findCase(name: string): BenchCase | undefined {
  return [...CASES, ...PROBES].find((c) => c.name === name);
}

/** Predecessors of node i: in a layered DAG, nodes k and k+1 (mod width) of the layer before; in a chain, i-1. */
export function predecessorsOf(i: number, width: number): number[] {
  if (i < width) return [];
  if (width === 1) return [i - 1];
  const layerStart = i - (i % width) - width;
  const k = i % width;
  return [layerStart + k, layerStart + ((k + 1) % width)];
}

export function benchEdges(c: BenchCase): [number, number][] {
  const edges: [number, number][] = [];
  for (let i = 0; i < c.nodes; i++) for (const p of predecessorsOf(i, c.width)) edges.push([p, i]);
  return edges;
}

export function benchWorkflow(c: BenchCase, action = 'bench.noop'): Workflow {
  const nodes = new Map<string, WorkflowNode>();
  for (let i = 0; i < c.nodes; i++) nodes.set(String(i), { action });
  const edges: WorkflowEdge[] = benchEdges(c).map(([from, to]) => ({ from: String(from), to: String(to) }));
  return { name: c.name, nodes, edges, extra: new Map() };
}
