// Workflow <-> graphology DirectedGraph. Node and edge insertion order is graphology's iteration order, so a round
// trip keeps ids, node order and edge order; meta fields are graph attributes and unknown top-level keys ride along
// as one `extra` attribute (a list of [key, value] pairs, since an attribute named "__proto__" would be unsafe).
import { DirectedGraph } from 'graphology';
import { GraphValidationError } from '../errors.js';
import { indexGraph } from './adjacency.js';
import type { Json, Workflow, WorkflowEdge, WorkflowMeta, WorkflowNode } from './schema.js';
import { checkShape, isRecord } from './shape.js';
import { checkStructure } from './structure.js';

export type WorkflowEdgeAttributes = Omit<WorkflowEdge, 'from' | 'to'>;
export interface WorkflowGraphAttributes extends WorkflowMeta {
  /** Unknown top-level keys of the file, in order. */
  extra?: [string, unknown][];
}
export type WorkflowGraph = DirectedGraph<WorkflowNode, WorkflowEdgeAttributes, WorkflowGraphAttributes>;

const META_KEYS = ['$schema', 'name', 'description', 'version'] as const;

/**
 * The workflow as a graphology DirectedGraph (attributes are copies; node keys are the ids, see graphologyKey). A DirectedGraph holds at most one edge per
 * pair of nodes and only edges between existing nodes, so malformed, dangling or repeated edges throw
 * GraphValidationError; self-loops are kept (validation reports them).
 */
export function toGraphology(wf: Workflow): WorkflowGraph {
  const index = indexGraph(wf);
  const nodesOk = [...wf.nodes.values()].every(isRecord);
  if (!nodesOk || index.issues.some((issue) => issue.kind !== 'self-loop')) {
    const blocking = new Set(['NODE_NOT_OBJECT', 'EDGE_NOT_OBJECT', 'EDGE_DANGLING', 'EDGE_DUPLICATE']);
    const edgeFields = new Set(['FIELD_REQUIRED', 'FIELD_TYPE', 'FIELD_INVALID']);
    const problems = [...checkShape(wf), ...checkStructure(wf, index)].filter(
      (problem) =>
        blocking.has(problem.code) ||
        (problem.path[0] === 'edges' && edgeFields.has(problem.code) && (problem.path[2] === 'from' || problem.path[2] === 'to')),
    );
    throw new GraphValidationError(problems, { message: `cannot convert to a graph: ${problems[0]?.message ?? 'malformed edges'}` });
  }
  const graph: WorkflowGraph = new DirectedGraph({ allowSelfLoops: true });
  const attributes: WorkflowGraphAttributes = {};
  for (const key of META_KEYS) if (wf[key] !== undefined) (attributes as Record<string, unknown>)[key] = wf[key];
  if (wf.extra.size > 0) attributes.extra = [...wf.extra];
  graph.replaceAttributes(attributes);
  for (const [id, node] of wf.nodes) graph.addNode(graphologyKey(id), { ...node });
  for (const edge of wf.edges) {
    const { from, to, ...rest } = edge;
    graph.addDirectedEdge(graphologyKey(from), graphologyKey(to), rest);
  }
  return graph;
}

/**
 * graphology (and graphology-dag) keep neighbours and marks in plain objects keyed by node id, where "__proto__",
 * "constructor" or "toString" read Object.prototype: the graph then believes edges exist that do not. Such ids (and
 * ids that start with the escape character) are therefore stored under an escaped key; every other id is its own key.
 */
const KEY_ESCAPE = '\u0000';

export function graphologyKey(id: string): string {
  return id in Object.prototype || id.startsWith(KEY_ESCAPE) ? `${KEY_ESCAPE}${id}` : id;
}

export function idFromGraphologyKey(key: string): string {
  return key.startsWith(KEY_ESCAPE) ? key.slice(KEY_ESCAPE.length) : key;
}

/** The workflow a graph describes: nodes and edges in graphology's order; unknown graph attributes become extra keys. */
export function fromGraphology(graph: DirectedGraph): Workflow {
  const wf: Workflow = { nodes: new Map(), edges: [], extra: new Map() };
  const attributes = graph.getAttributes() as Record<string, unknown>;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if ((META_KEYS as readonly string[]).includes(key)) {
      (wf as unknown as Record<string, unknown>)[key] = value;
    } else if (key === 'extra' && Array.isArray(value)) {
      for (const pair of value) {
        if (Array.isArray(pair) && typeof pair[0] === 'string') wf.extra.set(pair[0], pair[1]);
      }
    } else {
      wf.extra.set(key, value as Json);
    }
  }
  graph.forEachNode((key, nodeAttributes) => {
    wf.nodes.set(idFromGraphologyKey(key), { ...(nodeAttributes as WorkflowNode) });
  });
  graph.forEachEdge((_key, edgeAttributes, source, target) => {
    const rest = isRecord(edgeAttributes) ? edgeAttributes : {};
    const { from: _from, to: _to, ...fields } = rest;
    wf.edges.push({ from: idFromGraphologyKey(source), to: idFromGraphologyKey(target), ...fields } as WorkflowEdge);
  });
  return wf;
}
