// Files named on the command line: read and checked so that every error names the file as the user typed it
// (not its absolute path), and output paths (-o, --dir) checked before any work is done, so a bad one costs nothing.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ActionCatalog, Workflow } from '../graph/schema.js';
import type { CliIO } from './io.js';

/** Reads a workflow file's text, with errors that name `file` as typed (see readWorkflowFileText). */
export async function readWorkflowArg(io: CliIO, file: string): Promise<string> {
  const { readWorkflowFileText } = await import('../graph/file.js');
  return readWorkflowFileText(path.resolve(io.cwd, file), { display: file });
}

/**
 * Reads and checks a workflow file completely, exactly as `validate` does; GraphValidationError with located
 * problems (file:line:column) when it has an error, so `run` reports what `validate` reports.
 */
export async function loadValidWorkflow(io: CliIO, file: string, catalog: ActionCatalog): Promise<{ workflow: Workflow; text: string }> {
  const [text, { checkWorkflowText }, { GraphValidationError }] = await Promise.all([
    readWorkflowArg(io, file),
    import('../graph/check-file.js'),
    import('../errors.js'),
  ]);
  const report = checkWorkflowText(text, file, { catalog });
  if (!report.valid || report.workflow === undefined) throw new GraphValidationError(report.problems, { file });
  return { workflow: report.workflow, text };
}

/**
 * Reads a workflow file whose shape must hold but whose graph may be invalid (`edit` can fix it); shape problems
 * come back located, as `validate` prints them.
 */
export async function loadWorkflowShape(io: CliIO, file: string): Promise<{ workflow: Workflow; text: string }> {
  const [text, { parseWorkflow }, { locateProblems }, { GraphValidationError }] = await Promise.all([
    readWorkflowArg(io, file),
    import('../graph/parse.js'),
    import('../graph/check-file.js'),
    import('../errors.js'),
  ]);
  try {
    return { workflow: parseWorkflow(text, file), text };
  } catch (error) {
    if (!(error instanceof GraphValidationError)) throw error;
    throw new GraphValidationError(locateProblems(text, error.problems), { file, cause: error });
  }
}

/**
 * Checks an output path from an option (`-o FILE`) before anything is computed: not empty, not a folder, and its
 * folder exists (or, with `createFolders`, can be created: no part of it is a file). UsageError otherwise.
 */
export async function checkOutputFile(io: CliIO, option: string, file: string, options: { createFolders?: boolean } = {}): Promise<void> {
  const { UsageError } = await import('../errors.js');
  const fail = (reason: string): never => {
    throw new UsageError(`${option} ${file === '' ? '""' : file}: cannot write: ${reason}`, { code: 'OUTPUT_INVALID' });
  };
  if (file.trim() === '') fail('the file name is empty');
  const target = path.resolve(io.cwd, file);
  if ((await kindOf(target)) === 'folder' || /[\\/]$/u.test(file)) fail('it is a folder; give a file name');
  // The nearest folder that exists must be a folder: `-o notes.md/x.json` cannot work.
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const kind = await kindOf(dir);
    if (kind === 'file') fail(`${displayName(io, dir)} is a file, not a folder`);
    if (kind === 'folder') return;
    if (!options.createFolders) fail(`the folder ${displayName(io, dir)} does not exist`);
    if (path.dirname(dir) === dir) return;
  }
}

/** Checks a folder option (`--dir DIR`) that will be created when missing: UsageError when it is a file. */
export async function checkOutputFolder(io: CliIO, option: string, dir: string): Promise<void> {
  const { UsageError } = await import('../errors.js');
  if ((await kindOf(path.resolve(io.cwd, dir))) === 'file') {
    throw new UsageError(`${option} ${dir}: it is a file, not a folder`, { code: 'OUTPUT_INVALID' });
  }
}

async function kindOf(file: string): Promise<'file' | 'folder' | undefined> {
  return stat(file).then(
    (stats) => (stats.isDirectory() ? 'folder' : 'file'),
    () => undefined,
  );
}

/** A path relative to the working folder when it is inside it, for messages. */
export function displayName(io: CliIO, file: string): string {
  const relative = path.relative(io.cwd, file);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
