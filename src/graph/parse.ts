// Workflow text <-> Workflow: JSON5 in (comments, trailing commas, node order as written), 2-space JSON out.
import { GraphParseError, GraphValidationError, formatPath, type Problem } from '../errors.js';
import { Json5SyntaxError, orderedKeys, parseJson5, positionOf, type Json5Document } from './json5.js';
import type { Workflow, WorkflowEdge, WorkflowNode } from './schema.js';
import { checkShape, isRecord } from './shape.js';
import { closest } from './suggest.js';
import { quoteId } from './text.js';

/** The top-level keys the format defines; anything else is kept in `extra`. */
const META_KEYS = ['$schema', 'name', 'description', 'version'] as const;
const KNOWN_KEYS: ReadonlySet<string> = new Set([...META_KEYS, 'nodes', 'edges']);

export function emptyWorkflow(): Workflow {
  return { nodes: new Map(), edges: [], extra: new Map() };
}

export interface ReadWorkflowResult {
  /** As much of the workflow as could be built; field types are not checked yet (see checkShape). */
  workflow: Workflow;
  /** Problems that stopped parts of it from being built: not an object, `nodes` not an object, duplicate keys. */
  problems: Problem[];
}

/**
 * Parses workflow text leniently: throws GraphParseError (PARSE_SYNTAX, with line and column) only for syntax
 * errors, and returns the structural problems with the workflow instead of throwing. `validate` uses this to report
 * everything in one go.
 */
export function readWorkflowText(text: string, file?: string): ReadWorkflowResult {
  let doc: Json5Document;
  try {
    doc = parseJson5(text);
  } catch (error) {
    if (!(error instanceof Json5SyntaxError)) throw error;
    const { line, column } = positionOf(text, error.offset);
    const where = file === undefined ? `line ${line}, column ${column}` : `${file}:${line}:${column}`;
    throw new GraphParseError('PARSE_SYNTAX', `${where}: ${error.message}`, { file, line, column, cause: error });
  }
  return workflowFromJson(doc.value, doc);
}

/**
 * Parses workflow text and checks its shape (fields and types; not the graph: see validateWorkflow).
 * Throws GraphParseError PARSE_SYNTAX, or GraphValidationError with every shape problem.
 */
export function parseWorkflow(text: string, file?: string): Workflow {
  const { workflow, problems } = readWorkflowText(text, file);
  problems.push(...checkShape(workflow));
  if (problems.some((problem) => problem.severity === 'error')) throw new GraphValidationError(problems, { file });
  return workflow;
}

/**
 * Builds a Workflow from an already-parsed JSON value (e.g. a model's output). Pass the JSON5 document to keep the
 * file order of integer-like node ids and to report duplicate keys.
 */
export function workflowFromJson(value: unknown, doc?: Pick<Json5Document, 'keyOrder' | 'duplicateKeys'>): ReadWorkflowResult {
  const workflow = emptyWorkflow();
  const problems: Problem[] = [];
  const error = (code: string, path: (string | number)[], message: string): void => {
    problems.push({ code, path, message, severity: 'error' });
  };
  if (!isRecord(value)) {
    error('FILE_NOT_OBJECT', [], `a workflow file must be an object with "nodes" and "edges", not ${describe(value)}`);
    return { workflow, problems };
  }
  const keys = doc ? orderedKeys(doc, value) : Object.keys(value);
  const extraKeys = keys.filter((key) => !KNOWN_KEYS.has(key));
  const hint = (wanted: string): string => {
    const near = closest(wanted, extraKeys);
    return near === undefined ? '' : ` (found "${near}": did you mean "${wanted}"?)`;
  };

  const nodes = value.nodes;
  if (!Object.hasOwn(value, 'nodes')) {
    error('NODES_NOT_OBJECT', ['nodes'], `workflow: "nodes" is missing: it must be an object of nodes keyed by id${hint('nodes')}`);
  } else if (!isRecord(nodes)) {
    error('NODES_NOT_OBJECT', ['nodes'], `workflow: "nodes" must be an object of nodes keyed by id, not ${describe(nodes)}`);
  } else {
    for (const id of doc ? orderedKeys(doc, nodes) : Object.keys(nodes)) {
      workflow.nodes.set(id, nodes[id] as WorkflowNode);
    }
  }

  const edges = value.edges;
  if (!Object.hasOwn(value, 'edges')) {
    error('EDGES_NOT_ARRAY', ['edges'], `workflow: "edges" is missing: it must be a list of edges (use [] for none)${hint('edges')}`);
  } else if (!Array.isArray(edges)) {
    error('EDGES_NOT_ARRAY', ['edges'], `workflow: "edges" must be a list of edges, not ${describe(edges)}`);
  } else {
    workflow.edges = edges.slice() as WorkflowEdge[];
  }

  for (const key of META_KEYS) {
    if (Object.hasOwn(value, key)) (workflow as unknown as Record<string, unknown>)[key] = value[key];
  }
  for (const key of extraKeys) workflow.extra.set(key, value[key]);

  for (const duplicate of doc?.duplicateKeys ?? []) {
    const { path } = duplicate;
    const last = path[path.length - 1];
    if (path.length === 2 && path[0] === 'nodes' && typeof last === 'string') {
      error('DUPLICATE_KEY', path, `nodes: node ${quoteId(last)} is defined twice (ids must be unique)`);
    } else {
      const owner = path.length > 1 ? formatPath(path.slice(0, -1)) : 'workflow';
      error('DUPLICATE_KEY', path, `${owner}: the key ${quoteId(String(last))} appears twice (only the last one would count)`);
    }
  }
  return { workflow, problems };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? 'a string' : `${typeof value} ${String(value)}`;
}

/** A plain JSON-able object of the workflow: known keys first, then unknown ones; `nodes` has a null prototype. */
export function workflowToJson(wf: Workflow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of META_KEYS) if (wf[key] !== undefined) out[key] = wf[key];
  const nodes = Object.create(null) as Record<string, unknown>;
  for (const [id, node] of wf.nodes) nodes[id] = node;
  out.nodes = nodes;
  out.edges = wf.edges.slice();
  for (const [key, value] of wf.extra) {
    if (KNOWN_KEYS.has(key) || value === undefined) continue;
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

export interface SerializeOptions {
  /**
   * One line, no indentation: the same workflow for machines (a run's copy of a big graph), several times quicker
   * to write than the indented form.
   */
  compact?: boolean;
}

/**
 * The workflow as 2-space JSON with a trailing newline: meta keys, nodes in Map order (fields in format order) (written by hand: a JS object
 * would list "2" before "10" whatever the file says), edges one per line when short, then unknown top-level keys.
 * With `compact`, the same members in the same order on one line.
 */
export function serializeWorkflow(wf: Workflow, options: SerializeOptions = {}): string {
  if (options.compact) return compactWorkflow(wf);
  const members: string[] = [];
  const member = (key: string, text: string): void => {
    members.push(`  ${JSON.stringify(key)}: ${text}`);
  };
  for (const key of META_KEYS) {
    const value = wf[key];
    if (value !== undefined) member(key, indent(JSON.stringify(value, null, 2), 2));
  }
  const nodeLines: string[] = [];
  for (const [id, node] of wf.nodes) {
    nodeLines.push(`    ${JSON.stringify(id)}: ${indent(JSON.stringify(canonical(node, NODE_FIELDS) ?? null, null, 2), 4)}`);
  }
  member('nodes', nodeLines.length === 0 ? '{}' : `{\n${nodeLines.join(',\n')}\n  }`);
  const edgeLines = wf.edges.map((edge) => {
    const ordered = canonical(edge, EDGE_FIELDS) ?? null;
    const inline = inlineJson(ordered);
    return `    ${inline.length <= 100 ? inline : indent(JSON.stringify(ordered, null, 2), 4)}`;
  });
  member('edges', edgeLines.length === 0 ? '[]' : `[\n${edgeLines.join(',\n')}\n  ]`);
  for (const [key, value] of wf.extra) {
    if (KNOWN_KEYS.has(key) || value === undefined) continue;
    member(key, indent(JSON.stringify(value, null, 2), 2));
  }
  return `{\n${members.join(',\n')}\n}\n`;
}

function compactWorkflow(wf: Workflow): string {
  let text = '{';
  for (const key of META_KEYS) {
    const value = wf[key];
    if (value !== undefined) text += `${JSON.stringify(key)}:${JSON.stringify(value)},`;
  }
  text += '"nodes":';
  if (objectKeepsOrder(wf.nodes.keys())) {
    // One JSON.stringify over an object is the quickest, when the object lists the ids in Map order.
    const nodes = Object.create(null) as Record<string, unknown>;
    for (const [id, node] of wf.nodes) nodes[id] = canonical(node, NODE_FIELDS) ?? null;
    text += JSON.stringify(nodes);
  } else {
    text += '{';
    let first = true;
    for (const [id, node] of wf.nodes) {
      text += `${first ? '' : ','}${JSON.stringify(id)}:${JSON.stringify(canonical(node, NODE_FIELDS) ?? null)}`;
      first = false;
    }
    text += '}';
  }
  text += `,"edges":${JSON.stringify(wf.edges.map((edge) => canonical(edge, EDGE_FIELDS) ?? null))}`;
  for (const [key, value] of wf.extra) {
    if (KNOWN_KEYS.has(key) || value === undefined) continue;
    text += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return `${text}}\n`;
}

// Fields are written in this order whatever order they were read or patched in, so equal workflows serialize equally.
const NODE_FIELDS = ['action', 'data', 'label', 'retry', 'timeoutMs', 'onError'];
const EDGE_FIELDS = ['from', 'to', 'when', 'label'];

/** A copy of a node or edge with its known fields first, in format order; other values are returned as they are. */
function canonical<T>(value: T, fields: readonly string[]): T {
  if (!isRecord(value) || inCanonicalOrder(value, fields)) return value;
  const out: Record<string, unknown> = {};
  for (const field of fields) if (Object.hasOwn(value, field)) out[field] = value[field];
  for (const key of Object.keys(value)) {
    if (fields.includes(key)) continue;
    Object.defineProperty(out, key, { value: value[key], writable: true, enumerable: true, configurable: true });
  }
  return out as T;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/u;

/** Whether an object would list these keys in this order: array-index keys come first, ascending, whatever the insertion order. */
function objectKeepsOrder(keys: Iterable<string>): boolean {
  let last = -1;
  let named = false;
  for (const key of keys) {
    const index = ARRAY_INDEX.test(key) ? Number(key) : Number.NaN;
    if (index <= 4_294_967_294) {
      if (named || index <= last) return false;
      last = index;
    } else named = true;
  }
  return true;
}

/** Known fields in format order, then any others: the usual case, which needs no copy. */
function inCanonicalOrder(value: Record<string, unknown>, fields: readonly string[]): boolean {
  let next = 0;
  let unknownSeen = false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    const at = fields.indexOf(key);
    if (at < 0) unknownSeen = true;
    else if (unknownSeen || at < next) return false;
    else next = at + 1;
  }
  return true;
}

function indent(text: string, spaces: number): string {
  return text.includes('\n') ? text.replaceAll('\n', `\n${' '.repeat(spaces)}`) : text;
}

/** One-line JSON with a space after `:` and `,` and inside braces: `{ "from": "1", "to": "2" }`. */
function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => inlineJson(item === undefined ? null : item)).join(', ')}]`;
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${inlineJson(item)}`).join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}
