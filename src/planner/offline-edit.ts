// Simple edits without a model: "add a step that ... after node 3", "remove node 2", "replace node 3 with ...",
// "connect 2 to 4", "disconnect 2 from 3", "set the path of node 4 to "out.md"". Anything else needs a model,
// and the error says so.
import type { ActionRegistry } from '../actions/registry.js';
import { PlannerError } from '../errors.js';
import type { PatchOp } from '../graph/patch-ops.js';
import type { Workflow, WorkflowEdge, WorkflowNode } from '../graph/schema.js';
import type { PlannerCatalog } from './catalog-schema.js';
import { OfflinePlanner } from './offline.js';
import { isPlainObject } from './strict-schema.js';
import { terms } from './text-match.js';

const NODE_REF = String.raw`(?:the\s+)?(?:node|step)?\s*(?:"([^"]+)"|'([^']+)'|([^\s,"']+))(?:\s+(?:node|step|action))?`;
// "add [a] [new] [step] [that] <what> [after|before <node> | at the end | at the start]"
const ADD_STEP = new RegExp(
  [
    String.raw`^(?:please\s+)?(?:add|insert|append|put)\s+(?:a\s+|an\s+|another\s+|one\s+more\s+)?(?:new\s+)?`,
    String.raw`(?:step|node)?\s*(?:that\s+|which\s+|to\s+)?(.+?)`,
    String.raw`(?:\s+(after|before)\s+(?:the\s+)?(?:node|step)?\s*(?:"([^"]+)"|'([^']+)'|([^\s,"']+))`,
    String.raw`|\s+(at the end|at the start|at the beginning|first|last))?$`,
  ].join(''),
  'iu',
);
const HOW_TO =
  'it understands "add a step that ... after node N" (or before node N, at the end, at the start), "remove node N", ' +
  '"replace node N with ...", "connect N to M", "disconnect N from M" and "set the FIELD of node N to VALUE"; ' +
  'for other edits configure a model (--model, ACTIONGRAPH_MODEL or "model" in actiongraph.config.json)';

export function planOfflineEdit(workflow: Workflow, instruction: string, registry: ActionRegistry, catalog: PlannerCatalog): PatchOp[] {
  const text = instruction.trim().replace(/\s+/gu, ' ').replace(/[.!]+$/u, '');
  const planner = new OfflinePlanner(registry, catalog);
  const resolve = (ref: string): string => resolveNode(workflow, ref, instruction);

  let m = new RegExp(String.raw`^(?:please\s+)?(?:remove|delete|drop)\s+${NODE_REF}$`, 'iu').exec(text);
  if (m) return removeNode(workflow, resolve(refOf(m)));

  m = new RegExp(String.raw`^(?:please\s+)?(?:remove|delete|drop)\s+(?:the\s+)?(?:edge|link|connection)\s+(?:from\s+)?${NODE_REF}\s+(?:to|->|→)\s+${NODE_REF}$`, 'iu').exec(text);
  if (m) return [{ op: 'removeEdge', from: resolve(refOf(m, 1)), to: resolve(refOf(m, 4)) }];

  m = new RegExp(String.raw`^(?:please\s+)?(?:disconnect|unlink)\s+${NODE_REF}\s+(?:from|and)\s+${NODE_REF}$`, 'iu').exec(text);
  if (m) return disconnect(workflow, resolve(refOf(m, 1)), resolve(refOf(m, 4)));

  m = new RegExp(String.raw`^(?:please\s+)?(?:connect|link)\s+${NODE_REF}\s+(?:to|with|->|→)\s+${NODE_REF}$`, 'iu').exec(text);
  if (!m) m = new RegExp(String.raw`^(?:please\s+)?add\s+(?:an\s+)?(?:edge|link)\s+from\s+${NODE_REF}\s+to\s+${NODE_REF}$`, 'iu').exec(text);
  if (m) return [{ op: 'addEdge', edge: { from: resolve(refOf(m, 1)), to: resolve(refOf(m, 4)) } }];

  m = new RegExp(String.raw`^(?:please\s+)?(?:replace|swap)\s+${NODE_REF}\s+(?:with|by|for)\s+(.+)$`, 'iu').exec(text);
  if (!m) m = new RegExp(String.raw`^(?:please\s+)?(?:change|turn)\s+${NODE_REF}\s+(?:to|into)\s+(?:a\s+|an\s+)?(?:step\s+that\s+)?(.+)$`, 'iu').exec(text);
  if (m) {
    const id = resolve(refOf(m));
    const node = describedNode(planner, m[4] ?? '', instruction);
    const op: PatchOp = { op: 'updateNode', id, set: { action: node.action } };
    if (node.data !== undefined) op.set.data = node.data;
    else op.unset = ['data'];
    return [op];
  }

  m = new RegExp(String.raw`^(?:please\s+)?(?:set|change)\s+(?:the\s+)?([\w-]+)\s+(?:of|in|on|for)\s+${NODE_REF}\s+to\s+(.+)$`, 'iu').exec(text);
  if (m) return setField(workflow, resolve(refOf(m, 2)), m[1] ?? '', m[5] ?? '');

  m = ADD_STEP.exec(text);
  if (m) {
    const node = describedNode(planner, m[1] ?? '', instruction);
    const id = freeId(workflow);
    const where = (m[2] ?? m[6] ?? 'at the end').toLowerCase();
    const anchor = m[3] ?? m[4] ?? m[5];
    if (where === 'after' && anchor) return insertAfter(workflow, id, node, [resolve(anchor)]);
    if (where === 'before' && anchor) return insertBefore(workflow, id, node, [resolve(anchor)]);
    if (where === 'at the start' || where === 'at the beginning' || where === 'first') return insertBefore(workflow, id, node, roots(workflow));
    return insertAfter(workflow, id, node, sinks(workflow));
  }

  throw new PlannerError('PLANNER_EDIT_NEEDS_MODEL', `the offline planner cannot do "${instruction.trim()}": ${HOW_TO}`, {
    exitCode: 2,
  });
}

function refOf(m: RegExpExecArray, start = 1): string {
  return m[start] ?? m[start + 1] ?? m[start + 2] ?? '';
}

/** A node named by id ("3", "node 3"), by position ("the last step") or by what it does ("the confirm step"). */
export function resolveNode(workflow: Workflow, ref: string, instruction: string): string {
  const cleaned = ref.trim().replace(/^(?:node|step)\s+/iu, '');
  if (workflow.nodes.has(cleaned)) return cleaned;
  const ids = [...workflow.nodes.keys()];
  if (/^(?:last|final)$/iu.test(cleaned) && ids.length > 0) return ids[ids.length - 1] as string;
  if (/^first$/iu.test(cleaned) && ids.length > 0) return ids[0] as string;
  const wanted = new Set(terms(cleaned));
  const hits = ids.filter((id) => {
    const node = workflow.nodes.get(id);
    const described = `${node?.action ?? ''} ${node?.label ?? ''}`;
    return wanted.size > 0 && terms(described).some((t) => wanted.has(t));
  });
  if (hits.length === 1) return hits[0] as string;
  const why = hits.length > 1 ? `it could be any of nodes ${hits.map((h) => `"${h}"`).join(', ')}` : 'there is no such node';
  throw new PlannerError('PLANNER_EDIT_NODE_UNKNOWN', `edit "${instruction.trim()}": cannot tell which node "${ref}" is: ${why}`, {
    exitCode: 2,
  });
}

function describedNode(planner: OfflinePlanner, description: string, instruction: string): WorkflowNode {
  const node = planner.nodeFor(description);
  if (!node) {
    throw new PlannerError(
      'PLANNER_EDIT_NEEDS_MODEL',
      `the offline planner found no action for "${description.trim()}" in "${instruction.trim()}": name the action's words more plainly, or configure a model`,
      { exitCode: 2 },
    );
  }
  return node;
}

function freeId(workflow: Workflow): string {
  let max = 0;
  for (const id of workflow.nodes.keys()) if (/^\d+$/u.test(id)) max = Math.max(max, Number(id));
  let candidate = max + 1;
  while (workflow.nodes.has(String(candidate))) candidate++;
  return String(candidate);
}

function roots(workflow: Workflow): string[] {
  const targets = new Set(workflow.edges.map((e) => e.to));
  return [...workflow.nodes.keys()].filter((id) => !targets.has(id));
}

function sinks(workflow: Workflow): string[] {
  const sources = new Set(workflow.edges.map((e) => e.from));
  return [...workflow.nodes.keys()].filter((id) => !sources.has(id));
}

/** New node after `anchors`: their outgoing edges now leave the new node; a condition stays on the anchor's edge. */
function insertAfter(workflow: Workflow, id: string, node: WorkflowNode, anchors: string[]): PatchOp[] {
  const ops: PatchOp[] = [{ op: 'addNode', id, node }];
  const outgoing = workflow.edges.filter((e) => anchors.includes(e.from));
  for (const edge of outgoing) ops.push({ op: 'removeEdge', from: edge.from, to: edge.to });
  for (const anchor of anchors) ops.push({ op: 'addEdge', edge: { from: anchor, to: id } });
  const moved = new Set<string>();
  for (const edge of outgoing) {
    if (moved.has(edge.to)) continue;
    moved.add(edge.to);
    ops.push({ op: 'addEdge', edge: withEnds(edge, id, edge.to, false) });
  }
  return ops;
}

/** New node before `anchors`: their incoming edges now enter the new node, keeping their conditions. */
function insertBefore(workflow: Workflow, id: string, node: WorkflowNode, anchors: string[]): PatchOp[] {
  const ops: PatchOp[] = [{ op: 'addNode', id, node, ...(anchors[0] ? { before: anchors[0] } : {}) }];
  const incoming = workflow.edges.filter((e) => anchors.includes(e.to));
  for (const edge of incoming) ops.push({ op: 'removeEdge', from: edge.from, to: edge.to });
  const moved = new Set<string>();
  for (const edge of incoming) {
    if (moved.has(edge.from)) continue;
    moved.add(edge.from);
    ops.push({ op: 'addEdge', edge: withEnds(edge, edge.from, id, true) });
  }
  for (const anchor of anchors) ops.push({ op: 'addEdge', edge: { from: id, to: anchor } });
  return ops;
}

/** Removes a node and bridges the gap, so a chain stays a chain. */
function removeNode(workflow: Workflow, id: string): PatchOp[] {
  const incoming = workflow.edges.filter((e) => e.to === id);
  const outgoing = workflow.edges.filter((e) => e.from === id);
  const ops: PatchOp[] = [{ op: 'removeNode', id }];
  for (const into of incoming) {
    for (const out of outgoing) {
      if (into.from === out.to || workflow.edges.some((e) => e.from === into.from && e.to === out.to)) continue;
      if (ops.some((op) => op.op === 'addEdge' && op.edge.from === into.from && op.edge.to === out.to)) continue;
      ops.push({ op: 'addEdge', edge: withEnds(into, into.from, out.to, true) });
    }
  }
  return ops;
}

function disconnect(workflow: Workflow, a: string, b: string): PatchOp[] {
  const edge = workflow.edges.find((e) => (e.from === a && e.to === b) || (e.from === b && e.to === a));
  return [{ op: 'removeEdge', from: edge?.from ?? a, to: edge?.to ?? b }];
}

function setField(workflow: Workflow, id: string, field: string, rawValue: string): PatchOp[] {
  const node = workflow.nodes.get(id);
  const value = parseValue(rawValue);
  const data = isPlainObject(node?.data) ? { ...node.data, [field]: value } : { [field]: value };
  return [{ op: 'updateNode', id, set: { data } }];
}

function parseValue(raw: string): unknown {
  const text = raw.trim();
  const quoted = /^"(.*)"$|^'(.*)'$|^“(.*)”$/u.exec(text);
  if (quoted) return quoted[1] ?? quoted[2] ?? quoted[3] ?? '';
  if (/^-?\d+(?:\.\d+)?$/u.test(text)) return Number(text);
  if (/^(?:true|false)$/iu.test(text)) return text.toLowerCase() === 'true';
  return text;
}

/** A copy of `edge` between new ends; the condition stays only when its source is still the same node. */
function withEnds(edge: WorkflowEdge, from: string, to: string, keepCondition: boolean): WorkflowEdge {
  const copy: WorkflowEdge = { from, to };
  if (keepCondition && edge.when !== undefined && edge.from === from) copy.when = edge.when;
  if (keepCondition && edge.label !== undefined && edge.from === from) copy.label = edge.label;
  return copy;
}
