// Plan-quality metrics as TaskBench's evaluate.py defines them (no graph matching): node F1 micro-averaged over the
// tool labels, and binary F1 over per-sample sets of links, "tool-argument" names and "tool-argument-value"
// strings. Pure functions, shared by the offline eval script and the fine-tuning eval command.
import type { Workflow } from '../graph/schema.js';

export interface F1Score {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/** A plan as TaskBench sees it: tool names with their arguments, and links between tool names. */
export interface TaskGraph {
  nodes: { task: string; arguments: { name: string; value: unknown }[] }[];
  links: { source: string; target: string }[];
}

export interface TaskbenchScores {
  samples: number;
  node: F1Score;
  edge: F1Score;
  /** t-F1: "{tool}-{argument name}" */
  argumentName: F1Score;
  /** v-F1: "{tool}-{argument name}-{value}", exact match */
  argumentValue: F1Score;
}

/**
 * Pools every sample's union of gold and predicted items: an item in both is a true positive, only predicted a
 * false positive, only gold a false negative. With `labels`, items outside them count as neither (evaluate.py maps
 * unknown tools to the negative class, which its micro average leaves out).
 */
export function pooledF1(samples: { gold: Iterable<string>; predicted: Iterable<string> }[], labels?: ReadonlySet<string>): F1Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const sample of samples) {
    const gold = new Set(sample.gold);
    const predicted = new Set(sample.predicted);
    for (const item of new Set([...gold, ...predicted])) {
      if (labels && !labels.has(item)) continue;
      const inGold = gold.has(item);
      const inPredicted = predicted.has(item);
      if (inGold && inPredicted) tp++;
      else if (inPredicted) fp++;
      else fn++;
    }
  }
  return score(tp, fp, fn);
}

export function score(tp: number, fp: number, fn: number): F1Score {
  // sklearn reports 0 where a ratio is undefined.
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}

/** The four TaskBench scores over paired gold and predicted plans; `tools` are the label set for node F1. */
export function taskbenchScores(pairs: { gold: TaskGraph; predicted: TaskGraph }[], tools: Iterable<string>): TaskbenchScores {
  const labels = new Set(tools);
  const names = (g: TaskGraph): string[] => g.nodes.map((n) => n.task);
  const links = (g: TaskGraph): string[] => g.links.map((l) => `${l.source}\u0000${l.target}`);
  const argNames = (g: TaskGraph): string[] => g.nodes.flatMap((n) => n.arguments.map((a) => `${n.task}-${a.name}`));
  const argValues = (g: TaskGraph): string[] =>
    g.nodes.flatMap((n) => n.arguments.map((a) => `${n.task}-${a.name}-${pythonStr(a.value)}`));
  const pick = (f: (g: TaskGraph) => string[]) => pairs.map((p) => ({ gold: f(p.gold), predicted: f(p.predicted) }));
  return {
    samples: pairs.length,
    node: pooledF1(pick(names), labels),
    edge: pooledF1(pick(links)),
    argumentName: pooledF1(pick(argNames)),
    argumentValue: pooledF1(pick(argValues)),
  };
}

/** How Python's f-string prints a JSON value, so values compare as evaluate.py compares them. */
export function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
    .join(', ')}}`;
}

function pythonRepr(value: unknown): string {
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/gu, "\\'")}'`;
  return pythonStr(value);
}

/**
 * A workflow as a TaskGraph: each node's action (minus `namespace.`) is its tool, object data fields are its
 * arguments, and each edge is a link between the tools at its ends.
 */
export function workflowToTaskGraph(workflow: Workflow, namespace?: string): TaskGraph {
  const tool = (action: string): string => (namespace && action.startsWith(`${namespace}.`) ? action.slice(namespace.length + 1) : action);
  const toolOf = new Map<string, string>();
  const nodes: TaskGraph['nodes'] = [];
  for (const [id, node] of workflow.nodes) {
    const task = tool(node.action);
    toolOf.set(id, task);
    const data = node.data;
    const args =
      typeof data === 'object' && data !== null && !Array.isArray(data)
        ? Object.entries(data as Record<string, unknown>).map(([name, value]) => ({ name, value }))
        : [];
    nodes.push({ task, arguments: args });
  }
  const links = workflow.edges
    .filter((edge) => toolOf.has(edge.from) && toolOf.has(edge.to))
    .map((edge) => ({ source: toolOf.get(edge.from) as string, target: toolOf.get(edge.to) as string }));
  return { nodes, links };
}
