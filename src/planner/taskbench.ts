// TaskBench (dailylifeapis domain) as an external check on planning: its tools become actions (no-op handlers,
// data schemas from the tool parameters), its requests become tasks, and its gold graphs become TaskGraphs for
// the metrics in metrics.ts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type AnyActionDefinition, defineAction } from '../actions/define.js';
import { DatasetError } from '../errors.js';
import type { TaskGraph } from './metrics.js';
import { isPlainObject } from './strict-schema.js';

export const TASKBENCH_NAMESPACE = 'taskbench';

export interface TaskbenchTool {
  id: string;
  desc: string;
  parameters: { name: string; type: string; desc: string }[];
}

export interface TaskbenchSample {
  id: string;
  type: string;
  request: string;
  gold: TaskGraph;
}

/** One action per tool: `taskbench.<tool id>`, every parameter a required field, a handler that does nothing. */
export function taskbenchActions(tools: readonly TaskbenchTool[], namespace = TASKBENCH_NAMESPACE): AnyActionDefinition[] {
  return tools.map((tool) => {
    const shape: Record<string, z.ZodType> = {};
    for (const parameter of tool.parameters) {
      const base = parameter.type === 'number' || parameter.type === 'integer' ? z.union([z.number(), z.string()]) : z.string();
      const kind = parameter.type === 'string' ? '' : ` (${parameter.type})`;
      shape[parameter.name] = base.describe(`${parameter.desc}${kind}`);
    }
    return defineAction({
      name: `${namespace}.${tool.id}`,
      description: tool.desc,
      data: z.object(shape).strict(),
      async run() {
        return { ok: true };
      },
    });
  });
}

export function parseTools(json: unknown, file = 'tool_desc.json'): TaskbenchTool[] {
  const nodes = isPlainObject(json) ? json.nodes : undefined;
  if (!Array.isArray(nodes)) throw new DatasetError('TASKBENCH_TOOLS_INVALID', `${file}: expected {"nodes": [...]}`);
  return nodes.map((node, index) => {
    if (!isPlainObject(node) || typeof node.id !== 'string' || typeof node.desc !== 'string' || !Array.isArray(node.parameters)) {
      throw new DatasetError('TASKBENCH_TOOLS_INVALID', `${file}: nodes[${index}] needs "id", "desc" and "parameters"`);
    }
    return {
      id: node.id,
      desc: node.desc,
      parameters: node.parameters.filter(isPlainObject).map((p) => ({
        name: String(p.name),
        type: typeof p.type === 'string' ? p.type : 'string',
        desc: typeof p.desc === 'string' ? p.desc : '',
      })),
    };
  });
}

/** A gold record's graph: `task_nodes` and `task_links`, as evaluate.py reads them for this domain. */
export function goldGraph(record: Record<string, unknown>): TaskGraph {
  const nodes = Array.isArray(record.task_nodes) ? record.task_nodes.filter(isPlainObject) : [];
  const links = Array.isArray(record.task_links) ? record.task_links.filter(isPlainObject) : [];
  return {
    nodes: nodes.map((node) => ({
      task: String(node.task),
      arguments: (Array.isArray(node.arguments) ? node.arguments : [])
        .filter(isPlainObject)
        .map((a) => ({ name: String(a.name), value: a.value })),
    })),
    links: links.map((link) => ({ source: String(link.source), target: String(link.target) })),
  };
}

/** Reads tool_desc.json, samples.jsonl and user_requests_for_samples.jsonl from `dir`. */
export async function loadTaskbench(dir: string): Promise<{ tools: TaskbenchTool[]; samples: TaskbenchSample[] }> {
  const read = (name: string): Promise<string> => readFile(path.join(dir, name), 'utf8');
  const tools = parseTools(JSON.parse(await read('tool_desc.json')) as unknown, path.join(dir, 'tool_desc.json'));
  const requests = new Map<string, string>();
  for (const record of jsonLines(await read('user_requests_for_samples.jsonl'), 'user_requests_for_samples.jsonl')) {
    if (typeof record.id === 'string' && typeof record.user_request === 'string') requests.set(record.id, record.user_request);
  }
  const samples: TaskbenchSample[] = [];
  for (const record of jsonLines(await read('samples.jsonl'), 'samples.jsonl')) {
    const id = String(record.id);
    const request = requests.get(id);
    if (request === undefined) continue;
    samples.push({ id, type: String(record.type), request, gold: goldGraph(record) });
  }
  return { tools, samples };
}

function jsonLines(text: string, file: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '')
    .map(({ line, index }) => {
      try {
        const value = JSON.parse(line) as unknown;
        if (isPlainObject(value)) return value;
      } catch {
        // reported below
      }
      throw new DatasetError('TASKBENCH_LINE_INVALID', `${file}:${index + 1}: not a JSON object`);
    });
}
