// Validation of a whole workflow: shape, graph structure and, with an action catalog, actions and their data.
// Every problem is collected; nothing stops at the first. Linear in nodes + edges.
import { GraphValidationError, type Problem } from '../errors.js';
import { indexGraph } from './adjacency.js';
import { ActionNameSchema, type ActionCatalog, type Workflow } from './schema.js';
import { checkShape, isRecord } from './shape.js';
import { checkStructure } from './structure.js';
import { didYouMean } from './suggest.js';
import { nodeWhere, quoteId } from './text.js';
import { issuesToProblems } from './zod-issues.js';

export interface ValidateOptions {
  /** The registered actions: enables ACTION_UNKNOWN and NODE_DATA_INVALID. */
  catalog?: ActionCatalog | undefined;
}

/** Every problem in the workflow: errors and warnings (unreachable, isolated, disconnected nodes). */
export function validateWorkflow(wf: Workflow, options: ValidateOptions = {}): Problem[] {
  const { catalog } = options;
  const problems = checkShape(wf, catalog);
  if (!(wf.nodes instanceof Map) || !Array.isArray(wf.edges)) return problems;
  if (catalog) problems.push(...checkActions(wf, catalog));
  problems.push(...checkStructure(wf, indexGraph(wf)));
  return problems;
}

/** Throws GraphValidationError (with every problem, warnings included) when any problem is an error. */
export function assertValidWorkflow(wf: Workflow, options: ValidateOptions & { file?: string } = {}): void {
  const problems = validateWorkflow(wf, options);
  if (problems.some((problem) => problem.severity === 'error')) {
    throw new GraphValidationError(problems, options.file === undefined ? {} : { file: options.file });
  }
}

/** Unknown actions (with "did you mean") and data that fails the action's data schema. */
function checkActions(wf: Workflow, catalog: ActionCatalog): Problem[] {
  const problems: Problem[] = [];
  const suggestions = new Map<string, string>();
  let names: string[] | undefined;
  for (const [id, node] of wf.nodes) {
    if (!isRecord(node) || typeof node.action !== 'string') continue;
    const action = node.action;
    const found = catalog.lookup(action);
    if (!found) {
      // A malformed name is ACTION_NAME_INVALID (from the shape check), which carries the suggestion already.
      if (!ActionNameSchema.safeParse(action).success) continue;
      let hint = suggestions.get(action);
      if (hint === undefined) {
        names ??= [...catalog.names()];
        hint = didYouMean(action, names);
        suggestions.set(action, hint);
      }
      problems.push({
        code: 'ACTION_UNKNOWN',
        path: ['nodes', id, 'action'],
        message: `${nodeWhere(id)}: unknown action ${quoteId(action)}${hint}`,
        severity: 'error',
      });
      continue;
    }
    if (!found.data) continue;
    let result;
    try {
      result = found.data.safeParse(node.data);
    } catch (error) {
      // An async refinement cannot run here; say so rather than crash the whole validation.
      problems.push({
        code: 'NODE_DATA_INVALID',
        path: ['nodes', id, 'data'],
        message: `${nodeWhere(id)}: the data schema of ${quoteId(action)} cannot be checked: ${(error as Error).message}`,
        severity: 'error',
      });
      continue;
    }
    if (result.success) continue;
    problems.push(
      ...issuesToProblems(result.error.issues, {
        value: node.data,
        schema: found.data,
        basePath: ['nodes', id, 'data'],
        where: nodeWhere(id),
        fieldPrefix: 'data',
        codes: { type: 'NODE_DATA_INVALID', required: 'NODE_DATA_INVALID', invalid: 'NODE_DATA_INVALID', unknown: 'NODE_DATA_INVALID' },
      }).map((problem) => ({ ...problem, message: `${problem.message} (action ${quoteId(action)})` })),
    );
  }
  return problems;
}
