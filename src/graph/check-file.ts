// Checks a workflow file or text completely and says where each problem is written: what `actiongraph validate`
// (and any editor-like caller) reports. Never throws for a bad workflow; problems come back as data.
import { GraphParseError, type LocatedProblem, type Problem } from '../errors.js';
import { readWorkflowFileText } from './file.js';
import { locatePaths } from './locate.js';
import { readWorkflowText } from './parse.js';
import type { ActionCatalog, Workflow } from './schema.js';
import { validateWorkflow } from './validate.js';

export { formatProblem, type LocatedProblem } from '../errors.js';

export interface FileReport {
  file: string;
  /** True when no problem is an error (warnings allowed). */
  valid: boolean;
  /** Sorted by position in the file. */
  problems: LocatedProblem[];
  /** The workflow, when the text could be read as one (even an invalid one). */
  workflow?: Workflow;
}

/** Reads, parses and validates a file. `display` is the name used in the report (default: `file`). */
export async function checkWorkflowFile(
  file: string,
  options: { catalog?: ActionCatalog; display?: string } = {},
): Promise<FileReport> {
  const display = options.display ?? file;
  let text: string;
  try {
    text = await readWorkflowFileText(file, { display });
  } catch (error) {
    if (!(error instanceof GraphParseError)) throw error;
    // The message leads with `file:` (and line:column); the report prints those itself.
    const where = error.line === undefined ? `${display}: ` : `${display}:${error.line}:${error.column ?? 1}: `;
    const message = error.message.startsWith(where) ? error.message.slice(where.length) : error.message;
    const problem: LocatedProblem = { code: error.code, path: [], message, severity: 'error' };
    if (error.line !== undefined) problem.line = error.line;
    if (error.column !== undefined) problem.column = error.column;
    return { file: display, valid: false, problems: [problem] };
  }
  return checkWorkflowText(text, display, options);
}

/** Parses and validates workflow text; problems are located in `text`. */
export function checkWorkflowText(text: string, file: string, options: { catalog?: ActionCatalog } = {}): FileReport {
  let read;
  try {
    read = readWorkflowText(text);
  } catch (error) {
    if (!(error instanceof GraphParseError)) throw error;
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    const problem: LocatedProblem = { code: error.code, path: [], message: cause, severity: 'error' };
    if (error.line !== undefined) problem.line = error.line;
    if (error.column !== undefined) problem.column = error.column;
    return { file, valid: false, problems: [problem] };
  }
  const problems: Problem[] = [...read.problems, ...validateWorkflow(read.workflow, { catalog: options.catalog })];
  const located = locateProblems(text, problems);
  return { file, valid: !located.some((p) => p.severity === 'error'), problems: located, workflow: read.workflow };
}

/** Adds line and column to each problem (one pass over the text) and sorts them by position, stably. */
export function locateProblems(text: string, problems: readonly Problem[]): LocatedProblem[] {
  const positions = locatePaths(
    text,
    problems.map((p) => p.path),
  );
  const located = problems.map((problem, i): LocatedProblem => {
    const position = positions[i];
    return position ? { ...problem, line: position.line, column: position.column } : { ...problem };
  });
  return located
    .map((problem, i) => ({ problem, i }))
    .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || (a.problem.column ?? 0) - (b.problem.column ?? 0) || a.i - b.i)
    .map(({ problem }) => problem);
}
