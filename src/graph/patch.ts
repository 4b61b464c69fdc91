// Applies patch operations to a workflow, all or nothing: the input is never changed, the result must validate, and
// the answer carries a readable diff and the inverse operations that restore the original exactly (node order and
// edge order included).
import { GraphValidationError, type Problem } from '../errors.js';
import { describeEdge } from './describe.js';
import { PatchOpSchema, type PatchOp } from './patch-ops.js';
import type { ActionCatalog, Workflow, WorkflowEdge, WorkflowNode } from './schema.js';
import { isRecord } from './shape.js';
import { escapeUnsafe, quoteId, shortJson } from './text.js';
import { validateWorkflow } from './validate.js';
import { issuesToProblems } from './zod-issues.js';

export { emptyWorkflow } from './parse.js';

export interface PatchResult {
  workflow: Workflow;
  /** One line per change: `+ node "5" output.console`, `~ node "3" data: {...} -> {...}`, `- edge 2 -> 3`. */
  diff: string[];
  /** Applying these to `workflow` gives back the original. */
  inverse: PatchOp[];
}

type NodeField = 'action' | 'data' | 'label' | 'retry' | 'timeoutMs' | 'onError';
const UPDATABLE: readonly NodeField[] = ['action', 'data', 'label', 'retry', 'timeoutMs', 'onError'];

/**
 * Applies `ops` in order. Throws GraphValidationError when an op is malformed or names a missing node or edge
 * (paths `[opIndex, ...]`), or when the resulting workflow is invalid (paths into the result). `wf` is never changed.
 */
export function applyPatch(wf: Workflow, ops: PatchOp[], options: { catalog?: ActionCatalog } = {}): PatchResult {
  const problems: Problem[] = [];
  if (!Array.isArray(ops)) {
    throw patchError([{ code: 'PATCH_OP_INVALID', path: [], message: 'a patch must be a list of operations', severity: 'error' }]);
  }
  const parsed: PatchOp[] = [];
  ops.forEach((op, i) => {
    const result = PatchOpSchema.safeParse(op);
    if (result.success) {
      parsed.push(result.data);
      return;
    }
    const code = 'PATCH_OP_INVALID';
    problems.push(
      ...issuesToProblems(result.error.issues, {
        value: op,
        schema: PatchOpSchema,
        basePath: [i],
        where: opWhere(i, op),
        codes: { type: code, required: code, invalid: code, unknown: code },
      }),
    );
  });
  if (problems.length > 0) throw patchError(problems);

  const state: Workflow = { ...wf, nodes: new Map(wf.nodes), edges: wf.edges.slice(), extra: new Map(wf.extra) };
  const diff: string[] = [];
  const undo: PatchOp[][] = [];
  parsed.forEach((op, i) => {
    const before = problems.length;
    const inverse = applyOne(state, op, i, problems, diff);
    if (problems.length === before) undo.push(inverse);
  });
  if (problems.length > 0) throw patchError(problems);

  const resultProblems = validateWorkflow(state, { catalog: options.catalog });
  if (resultProblems.some((problem) => problem.severity === 'error')) {
    throw new GraphValidationError(resultProblems, {
      message: `the patch would make the workflow invalid: ${resultProblems.find((p) => p.severity === 'error')?.message}`,
    });
  }
  return { workflow: state, diff, inverse: undo.reverse().flat() };
}

function patchError(problems: Problem[]): GraphValidationError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new GraphValidationError(problems, { message: `patch rejected: ${problems[0]?.message ?? 'invalid operation'}${more}` });
}

function opWhere(index: number, op: unknown): string {
  const name = isRecord(op) && typeof op.op === 'string' ? ` (${shortJson(op.op, 20).slice(1, -1)})` : '';
  return `patch op ${index}${name}`;
}

function fail(problems: Problem[], code: string, path: (string | number)[], message: string): PatchOp[] {
  problems.push({ code, path, message, severity: 'error' });
  return [];
}

/** Applies one op to `state` (already a private copy) and returns the ops that undo it. */
function applyOne(state: Workflow, op: PatchOp, i: number, problems: Problem[], diff: string[]): PatchOp[] {
  const where = opWhere(i, op);
  switch (op.op) {
    case 'addNode': {
      if (state.nodes.has(op.id)) return fail(problems, 'PATCH_NODE_EXISTS', [i, 'id'], `${where}: node ${quoteId(op.id)} already exists`);
      if (op.before !== undefined && !state.nodes.has(op.before)) {
        return fail(problems, 'PATCH_NODE_MISSING', [i, 'before'], `${where}: "before" names node ${quoteId(op.before)}, which does not exist`);
      }
      const node = cloneJson(op.node) as WorkflowNode;
      state.nodes = op.before === undefined ? state.nodes.set(op.id, node) : insertBefore(state.nodes, op.id, node, op.before);
      diff.push(`+ node ${quoteId(op.id)} ${escapeUnsafe(node.action)}${node.label === undefined ? '' : ` ${shortJson(node.label, 40)}`}`);
      return [{ op: 'removeNode', id: op.id }];
    }
    case 'removeNode': {
      const node = state.nodes.get(op.id);
      if (!state.nodes.has(op.id)) return fail(problems, 'PATCH_NODE_MISSING', [i, 'id'], `${where}: node ${quoteId(op.id)} does not exist`);
      const ids = [...state.nodes.keys()];
      const next = ids[ids.indexOf(op.id) + 1];
      state.nodes.delete(op.id);
      diff.push(`- node ${quoteId(op.id)} ${isRecord(node) ? escapeUnsafe(String(node.action)) : ''}`.trimEnd());
      const kept: WorkflowEdge[] = [];
      const restore: PatchOp[] = [];
      state.edges.forEach((edge, index) => {
        if (isRecord(edge) && (edge.from === op.id || edge.to === op.id)) {
          restore.push({ op: 'addEdge', edge: cloneJson(edge) as WorkflowEdge, index });
          diff.push(`- ${edgeText(edge)}`);
        } else {
          kept.push(edge);
        }
      });
      state.edges = kept;
      const addBack: PatchOp = { op: 'addNode', id: op.id, node: cloneJson(node) as WorkflowNode };
      if (next !== undefined) addBack.before = next;
      return [addBack, ...restore];
    }
    case 'updateNode': {
      const node = state.nodes.get(op.id);
      if (node === undefined) return fail(problems, 'PATCH_NODE_MISSING', [i, 'id'], `${where}: node ${quoteId(op.id)} does not exist`);
      const set = op.set as Partial<Record<NodeField, unknown>>;
      const unset = new Set<NodeField>(op.unset ?? []);
      for (const field of unset) {
        if (set[field] !== undefined) {
          return fail(problems, 'PATCH_OP_INVALID', [i, 'unset'], `${where}: "${field}" is both set and unset`);
        }
      }
      const old = (isRecord(node) ? node : {}) as Partial<Record<NodeField, unknown>>;
      const updated: Record<string, unknown> = { ...old };
      for (const field of UPDATABLE) {
        const value = set[field];
        if (value === undefined) continue;
        // data is JSON, so null is a value; for the other fields null means "remove".
        if (value === null && field !== 'data') unset.add(field);
        else updated[field] = cloneJson(value);
      }
      for (const field of unset) delete updated[field];
      const undoSet: Record<string, unknown> = {};
      // "action" is never in it: only a node that had no action (already invalid) could need that.
      const undoUnset: Exclude<NodeField, 'action'>[] = [];
      for (const field of UPDATABLE) {
        const had = Object.hasOwn(old, field);
        const has = Object.hasOwn(updated, field);
        if (!had && !has) continue;
        if (had && has && jsonEqual(old[field], updated[field])) continue;
        diff.push(`~ node ${quoteId(op.id)} ${field}: ${had ? shortJson(old[field]) : '(none)'} -> ${has ? shortJson(updated[field]) : '(none)'}`);
        if (had) undoSet[field] = cloneJson(old[field]);
        else if (field !== 'action') undoUnset.push(field);
      }
      state.nodes.set(op.id, updated as WorkflowNode);
      const back = { op: 'updateNode', id: op.id, set: undoSet } as Extract<PatchOp, { op: 'updateNode' }>;
      if (undoUnset.length > 0) back.unset = undoUnset;
      return [back];
    }
    case 'addEdge': {
      const { edge } = op;
      let missing = false;
      for (const end of ['from', 'to'] as const) {
        if (!state.nodes.has(edge[end])) {
          missing = true;
          fail(problems, 'PATCH_NODE_MISSING', [i, 'edge', end], `${where}: "${end}" names node ${quoteId(edge[end])}, which does not exist`);
        }
      }
      if (missing) return [];
      if (findEdge(state.edges, edge.from, edge.to) >= 0) {
        return fail(problems, 'PATCH_EDGE_EXISTS', [i, 'edge'], `${where}: the edge ${describeEdge(edge)} already exists`);
      }
      const copy = cloneJson(edge) as WorkflowEdge;
      const at = Math.min(op.index ?? state.edges.length, state.edges.length);
      state.edges.splice(at, 0, copy);
      diff.push(`+ ${edgeText(copy)}`);
      return [{ op: 'removeEdge', from: edge.from, to: edge.to }];
    }
    case 'removeEdge': {
      const at = findEdge(state.edges, op.from, op.to);
      if (at < 0) {
        return fail(problems, 'PATCH_EDGE_MISSING', [i], `${where}: there is no edge ${describeEdge(op)}`);
      }
      const [removed] = state.edges.splice(at, 1);
      diff.push(`- ${edgeText(removed as WorkflowEdge)}`);
      return [{ op: 'addEdge', edge: cloneJson(removed) as WorkflowEdge, index: at }];
    }
  }
}

function edgeText(edge: WorkflowEdge): string {
  return `edge ${describeEdge(edge)}`;
}

function findEdge(edges: WorkflowEdge[], from: string, to: string): number {
  return edges.findIndex((edge) => isRecord(edge) && edge.from === from && edge.to === to);
}

function insertBefore(nodes: Map<string, WorkflowNode>, id: string, node: WorkflowNode, before: string): Map<string, WorkflowNode> {
  const out = new Map<string, WorkflowNode>();
  for (const [key, value] of nodes) {
    if (key === before) out.set(id, node);
    out.set(key, value);
  }
  return out;
}

/** A deep copy of JSON data, keeping key order and defining (never assigning) a `__proto__` key. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, {
      value: cloneJson((value as Record<string, unknown>)[key]),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return copy as T;
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((key) => Object.hasOwn(b, key) && jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
