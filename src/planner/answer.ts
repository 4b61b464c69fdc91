// Reads a model's answer into the file format: a Workflow (for create) or PatchOps (for edit), reporting what
// does not fit as Problems so the repair loop can send them back. Accepts the model-facing form (nodes as an
// array) and, for answers in JSON mode or plain text, the file form (nodes keyed by id) too.
import type { Problem } from '../errors.js';
import { type PatchOp, PatchOpSchema } from '../graph/patch-ops.js';
import type { Workflow, WorkflowEdge, WorkflowNode } from '../graph/schema.js';
import { decodeWhen, type PlannerCatalog } from './catalog-schema.js';
import { encodeCondition, type ModelCondition } from './condition-form.js';
import { isPlainObject } from './strict-schema.js';

export interface ModelNode {
  id: string;
  action: string;
  data: unknown;
}
export interface ModelEdge {
  from: string;
  to: string;
  when: ModelCondition | null;
}
export interface ModelWorkflowAnswer {
  nodes: ModelNode[];
  edges: ModelEdge[];
}

export function answerToWorkflow(
  answer: unknown,
  catalog: PlannerCatalog,
  meta: { name?: string | undefined; description?: string | undefined },
): { workflow?: Workflow; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!isPlainObject(answer)) {
    return { problems: [shape([], 'the answer is not a JSON object with "nodes" and "edges"')] };
  }
  const nodes = new Map<string, WorkflowNode>();
  for (const [index, raw] of nodeEntries(answer.nodes, problems)) {
    const where: (string | number)[] = ['nodes', index];
    if (!isPlainObject(raw)) {
      problems.push(shape(where, `node ${index} is not an object`));
      continue;
    }
    const id = typeof raw.id === 'number' ? String(raw.id) : raw.id;
    if (typeof id !== 'string' || id === '') {
      problems.push(shape(where, `node ${index} has no "id"`));
      continue;
    }
    if (nodes.has(id)) {
      problems.push({
        code: 'PLANNER_DUPLICATE_NODE_ID',
        path: ['nodes', id],
        message: `node "${id}": the id is used twice`,
        severity: 'error',
      });
      continue;
    }
    const node = readNode(raw, ['nodes', id], catalog, problems);
    if (node) nodes.set(id, node);
  }
  const edges: WorkflowEdge[] = [];
  readArray(answer.edges ?? [], ['edges'], problems).forEach((raw, index) => {
    const edge = readEdge(raw, ['edges', index], problems);
    if (edge) edges.push(edge);
  });
  if (problems.length > 0) return { problems };
  const workflow: Workflow = { nodes, edges, extra: new Map() };
  if (meta.name !== undefined) workflow.name = meta.name;
  if (meta.description !== undefined) workflow.description = meta.description;
  return { workflow, problems };
}

export function answerToPatch(answer: unknown, catalog: PlannerCatalog): { ops?: PatchOp[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const list = Array.isArray(answer) ? answer : isPlainObject(answer) ? answer.ops : undefined;
  if (!Array.isArray(list)) {
    return { problems: [shape([], 'the answer is not a JSON object with an "ops" array')] };
  }
  const ops: PatchOp[] = [];
  list.forEach((raw, index) => {
    const where: (string | number)[] = ['ops', index];
    const candidate = readOp(raw, where, catalog, problems);
    if (candidate === undefined) return;
    const parsed = PatchOpSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(shape([...where, ...(issue.path as (string | number)[])], `operation ${index}: ${issue.message}`));
      }
      return;
    }
    ops.push(parsed.data);
  });
  return problems.length > 0 ? { problems } : { ops, problems };
}

/** A workflow in the model's answer form: what a training example's assistant message holds. */
export function workflowToModelAnswer(workflow: Workflow): ModelWorkflowAnswer {
  return {
    nodes: [...workflow.nodes].map(([id, node]) => ({ id, action: node.action, data: node.data ?? null })),
    edges: workflow.edges.map((edge) => ({
      from: edge.from,
      to: edge.to,
      when: edge.when === undefined ? null : encodeCondition(edge.when),
    })),
  };
}

/** Patch operations in the model's answer form. */
export function patchToModelAnswer(ops: readonly PatchOp[]): { ops: Record<string, unknown>[] } {
  return {
    ops: ops.map((op) => {
      switch (op.op) {
        case 'addNode':
          return { op: 'addNode', id: op.id, node: { action: op.node.action, data: op.node.data ?? null } };
        case 'removeNode':
          return { op: 'removeNode', id: op.id };
        case 'updateNode':
          return {
            op: 'updateNode',
            id: op.id,
            node: { action: op.set.action ?? null, data: op.unset?.includes('data') ? null : (op.set.data ?? null) },
          };
        case 'addEdge':
          return {
            op: 'addEdge',
            from: op.edge.from,
            to: op.edge.to,
            when: op.edge.when === undefined ? null : encodeCondition(op.edge.when),
          };
        case 'removeEdge':
          return { op: 'removeEdge', from: op.from, to: op.to };
      }
    }),
  };
}

function nodeEntries(value: unknown, problems: Problem[]): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((node, index) => [index, node]);
  // The file form: nodes keyed by id. Own keys only, so an id like "__proto__" is an ordinary id.
  if (isPlainObject(value)) {
    return Object.entries(value).map(([id, node]) => [id, isPlainObject(node) && node.id === undefined ? { ...node, id } : node]);
  }
  problems.push(shape(['nodes'], '"nodes" must be an array of {id, action, data}'));
  return [];
}

function readArray(value: unknown, where: (string | number)[], problems: Problem[]): unknown[] {
  if (Array.isArray(value)) return value;
  problems.push(shape(where, `"${String(where.at(-1))}" must be an array`));
  return [];
}

function readNode(
  raw: Record<string, unknown>,
  where: (string | number)[],
  catalog: PlannerCatalog,
  problems: Problem[],
): WorkflowNode | undefined {
  if (typeof raw.action !== 'string' || raw.action === '') {
    problems.push(shape([...where, 'action'], `node "${String(where[1])}" has no "action"`));
    return undefined;
  }
  const node: WorkflowNode = { action: raw.action };
  const data = catalog.decodeData(raw.action, raw.data);
  if (data.present) node.data = data.value;
  // Fields the file format allows beyond the model-facing ones, when an answer in file form carries them.
  if (typeof raw.label === 'string') node.label = raw.label;
  if (isPlainObject(raw.retry)) node.retry = raw.retry as WorkflowNode['retry'];
  if (typeof raw.timeoutMs === 'number') node.timeoutMs = raw.timeoutMs;
  if (raw.onError === 'fail' || raw.onError === 'continue') node.onError = raw.onError;
  return node;
}

function readEdge(raw: unknown, where: (string | number)[], problems: Problem[]): WorkflowEdge | undefined {
  if (!isPlainObject(raw)) {
    problems.push(shape(where, `edge ${String(where[1])} is not an object`));
    return undefined;
  }
  const from = typeof raw.from === 'number' ? String(raw.from) : raw.from;
  const to = typeof raw.to === 'number' ? String(raw.to) : raw.to;
  if (typeof from !== 'string' || typeof to !== 'string') {
    problems.push(shape(where, `edge ${String(where[1])} needs "from" and "to" node ids`));
    return undefined;
  }
  const edge: WorkflowEdge = { from, to };
  const when = decodeWhen(raw.when);
  if (when.present) edge.when = when.value as WorkflowEdge['when'];
  if (typeof raw.label === 'string') edge.label = raw.label;
  return edge;
}

function readOp(
  raw: unknown,
  where: (string | number)[],
  catalog: PlannerCatalog,
  problems: Problem[],
): Record<string, unknown> | undefined {
  if (!isPlainObject(raw) || typeof raw.op !== 'string') {
    problems.push(shape(where, `operation ${String(where[1])} is not an object with an "op"`));
    return undefined;
  }
  const id = typeof raw.id === 'number' ? String(raw.id) : raw.id;
  switch (raw.op) {
    case 'addNode': {
      const node = isPlainObject(raw.node) ? readPatchNode(raw.node, catalog) : raw.node;
      return { op: 'addNode', id, node };
    }
    case 'removeNode':
      return { op: 'removeNode', id };
    case 'updateNode': {
      // The model form replaces action and data (`node`); the file form sets fields (`set`).
      if (isPlainObject(raw.set)) return { op: 'updateNode', id, set: raw.set };
      if (!isPlainObject(raw.node)) return { op: 'updateNode', id, set: raw.node };
      const set: Record<string, unknown> = {};
      if (typeof raw.node.action === 'string') set.action = raw.node.action;
      const action = typeof raw.node.action === 'string' ? raw.node.action : '';
      const data = catalog.decodeData(action, raw.node.data);
      // The model form replaces action and data together: "no data" removes what the old action had.
      if (data.present) {
        set.data = data.value;
        return { op: 'updateNode', id, set };
      }
      return { op: 'updateNode', id, set, unset: ['data'] };
    }
    case 'addEdge': {
      const source = isPlainObject(raw.edge) ? raw.edge : raw;
      const edge = readEdge({ from: source.from, to: source.to, when: source.when, label: source.label }, [...where, 'edge'], problems);
      return edge ? { op: 'addEdge', edge } : undefined;
    }
    case 'removeEdge':
      return {
        op: 'removeEdge',
        from: typeof raw.from === 'number' ? String(raw.from) : raw.from,
        to: typeof raw.to === 'number' ? String(raw.to) : raw.to,
      };
    default:
      problems.push(
        shape([...where, 'op'], `operation ${String(where[1])}: unknown op "${raw.op}" (addNode, removeNode, updateNode, addEdge, removeEdge)`),
      );
      return undefined;
  }
}

function readPatchNode(raw: Record<string, unknown>, catalog: PlannerCatalog): Record<string, unknown> {
  const node: Record<string, unknown> = { action: raw.action };
  if (typeof raw.action === 'string') {
    const data = catalog.decodeData(raw.action, raw.data);
    if (data.present) node.data = data.value;
  } else if (raw.data !== undefined && raw.data !== null) {
    node.data = raw.data;
  }
  if (typeof raw.label === 'string') node.label = raw.label;
  return node;
}

function shape(path: (string | number)[], message: string): Problem {
  return { code: 'PLANNER_ANSWER_SHAPE', path, message, severity: 'error' };
}
