// Shared test helpers for the graph module: workflows from id/node pairs (object literals would reorder "10" and
// "2"), a small action catalog, and problem lookups.
import { z } from 'zod';
import type { Problem } from '../../src/errors.js';
import type { ActionCatalog, Workflow, WorkflowEdge, WorkflowMeta, WorkflowNode } from '../../src/graph/schema.js';

export function makeWorkflow(
  nodes: [string, WorkflowNode][],
  edges: WorkflowEdge[] = [],
  meta: WorkflowMeta = {},
  extra: [string, unknown][] = [],
): Workflow {
  return { ...meta, nodes: new Map(nodes), edges, extra: new Map(extra) };
}

/** a -> b -> c ... over the given ids, every node running `action`. */
export function chain(ids: string[], action = 'test.step'): Workflow {
  return makeWorkflow(
    ids.map((id) => [id, { action }]),
    ids.slice(1).map((id, i) => ({ from: ids[i] ?? '', to: id })),
  );
}

const actions = new Map<string, { data?: z.ZodType }>([
  ['input.text', { data: z.union([z.string(), z.object({ prompt: z.string().optional() }).strict()]).optional() }],
  ['confirm.edit', { data: z.object({ prompt: z.string().optional() }).strict().optional() }],
  ['data.wolfram_alpha', { data: z.object({ query: z.string().optional() }).strict().optional() }],
  ['output.tweet', {}],
  ['output.console', {}],
  ['http.get', { data: z.object({ url: z.string().url(), headers: z.record(z.string(), z.string()).optional() }).strict() }],
  ['test.step', {}],
]);

export const catalog: ActionCatalog = {
  lookup: (name) => actions.get(name),
  names: () => actions.keys(),
};

export function withCode(problems: Problem[], code: string): Problem[] {
  return problems.filter((problem) => problem.code === code);
}

/** [code, path] pairs, for exact comparisons that ignore message text. */
export function codesAndPaths(problems: Problem[]): [string, (string | number)[]][] {
  return problems.map((problem) => [problem.code, problem.path]);
}
