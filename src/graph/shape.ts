// The shape of a Workflow: every node and edge has the fields and types of the file format. Works on any
// in-memory Workflow (from a file, a model, a patch or graphology), so it never assumes the types are right.
import { z } from 'zod';
import type { Problem } from '../errors.js';
import { checkCondition } from './conditions.js';
import { ActionNameSchema, EdgeSchema, MetaSchema, NodeSchema, type ActionCatalog, type Workflow } from './schema.js';
import { didYouMean } from './suggest.js';
import { edgeWhere, nodeWhere, quoteId, shortJson } from './text.js';
import { issuesToProblems } from './zod-issues.js';

// `when` gets its own checker (conditions.ts): a zod union cannot say which key was wrong.
const EdgeFieldsSchema = EdgeSchema.omit({ when: true }).extend({ when: z.unknown().optional() });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every shape problem in the workflow. With a catalog, bad action names get a "did you mean". */
export function checkShape(wf: Workflow, catalog?: ActionCatalog): Problem[] {
  const problems: Problem[] = [];
  checkMeta(wf, problems);
  if (wf.nodes instanceof Map) {
    for (const [id, node] of wf.nodes) checkNode(id, node, problems, catalog);
  } else {
    problems.push(error('NODES_NOT_OBJECT', ['nodes'], `nodes must be an object of nodes keyed by id`));
  }
  if (Array.isArray(wf.edges)) {
    wf.edges.forEach((edge, index) => checkEdge(index, edge, problems));
  } else {
    problems.push(error('EDGES_NOT_ARRAY', ['edges'], `edges must be a list of edges`));
  }
  return problems;
}

function error(code: string, path: (string | number)[], message: string): Problem {
  return { code, path, message, severity: 'error' };
}

function checkMeta(wf: Workflow, problems: Problem[]): void {
  const meta = { $schema: wf.$schema, name: wf.name, description: wf.description, version: wf.version };
  const result = MetaSchema.safeParse(meta);
  if (!result.success) {
    problems.push(...issuesToProblems(result.error.issues, { value: meta, schema: MetaSchema, basePath: [], where: 'workflow' }));
  }
}

// checkNode and checkEdge run for every node and edge of big graphs: messages are built only for actual problems.
export function checkNode(id: string, node: unknown, problems: Problem[], catalog?: ActionCatalog): void {
  if (id === '') problems.push(error('NODE_ID_EMPTY', ['nodes', id], `nodes: a node id must not be empty`));
  if (!isRecord(node)) {
    problems.push(error('NODE_NOT_OBJECT', ['nodes', id], `${nodeWhere(id)} must be an object with an "action", not ${shortJson(node, 40)}`));
    return;
  }
  const result = NodeSchema.safeParse(node);
  if (!result.success) {
    problems.push(
      ...issuesToProblems(result.error.issues, {
        value: node,
        schema: NodeSchema,
        basePath: ['nodes', id],
        where: nodeWhere(id),
      }).map((problem) =>
        problem.code === 'FIELD_REQUIRED' && problem.path.length === 3 && problem.path[2] === 'action'
          ? { ...problem, code: 'NODE_ACTION_MISSING', message: `${nodeWhere(id)}: has no "action" (every node names the action it runs)` }
          : problem,
      ),
    );
  }
  if (typeof node.action === 'string' && !ActionNameSchema.safeParse(node.action).success) {
    const hint = catalog ? didYouMean(node.action, catalog.names()) : '';
    problems.push(
      error(
        'ACTION_NAME_INVALID',
        ['nodes', id, 'action'],
        `${nodeWhere(id)}: action ${quoteId(node.action)} is not "namespace.name"${hint}`,
      ),
    );
  }
}

export function checkEdge(index: number, edge: unknown, problems: Problem[]): void {
  if (!isRecord(edge)) {
    problems.push(error('EDGE_NOT_OBJECT', ['edges', index], `${edgeWhere(index, edge)} must be an object with "from" and "to", not ${shortJson(edge, 40)}`));
    return;
  }
  const result = EdgeFieldsSchema.safeParse(edge);
  if (!result.success) {
    problems.push(
      ...issuesToProblems(result.error.issues, { value: edge, schema: EdgeSchema, basePath: ['edges', index], where: edgeWhere(index, edge) }),
    );
  }
  if (edge.when !== undefined) checkCondition(edge.when, ['edges', index, 'when'], () => edgeWhere(index, edge), problems);
}
