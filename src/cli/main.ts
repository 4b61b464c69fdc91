// The CLI entry: builds the program, runs one command, and turns any error into one readable line and an
// exit code (0 success, 1 the workflow ran and failed, 2 bad input or usage). The only place that decides exit codes.
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ActionGraphError, GraphValidationError, RunError, formatPath, formatProblem, type LocatedProblem } from '../errors.js';
import { commandModules } from './commands/index.js';
import { type CliIO, err } from './io.js';

export async function buildProgram(io: CliIO): Promise<Command> {
  const program = new Command('actiongraph')
    .description('Describe a task, get a runnable workflow graph, run it.')
    .version(await readVersion(), '-V, --version')
    .option('--debug', 'print stack traces for errors')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  program.on('option:debug', () => {
    io.debug = true;
  });
  program.addHelpText(
    'after',
    `
Examples:
  $ actiongraph run graphs/weather-tweet.json --yes --dry-run
  $ actiongraph validate graphs/*.json
  $ actiongraph show graphs/weather-tweet.json --format mermaid
  $ actiongraph generate "summarise a web page, then save it to a file" -o graphs/summary.json

Exit codes: 0 success, 1 the workflow ran and failed, 2 bad input or usage.`,
  );
  for (const load of commandModules) {
    const { register } = await load();
    register(program, io);
  }
  // Subcommands inherit exitOverride and output settings only when set after they exist.
  for (const command of program.commands) applyToTree(command, program, io);
  return program;
}

function applyToTree(command: Command, root: Command, io: CliIO): void {
  command.exitOverride().configureOutput(root.configureOutput()).showSuggestionAfterError(true);
  command.option('--debug', 'print stack traces for errors');
  command.on('option:debug', () => {
    io.debug = true;
  });
  for (const sub of command.commands) applyToTree(sub, root, io);
}

async function readVersion(): Promise<string> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  io.debug ||= argv.includes('--debug');
  try {
    const program = await buildProgram(io);
    if (argv.length <= 2) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv);
    return io.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text). Help asked for (--help, help run) exits 0;
    // help shown because something was missing (`actiongraph new`, `help nope`) is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof GraphValidationError) {
    const errors = error.problems.filter((p) => p.severity === 'error');
    for (const problem of errors.length > 0 ? errors : error.problems) {
      // Located problems (the run command locates them in the file text) read exactly as `validate` prints them.
      const located = problem as LocatedProblem;
      if (error.file !== undefined && located.line !== undefined) err(io, formatProblem(error.file, located));
      else err(io, `${error.file ? `${error.file}: ` : ''}${problem.message} [${problem.code} at ${formatPath(problem.path) || '(top level)'}]`);
    }
  } else if (error instanceof RunError && error.problems.length > 1) {
    for (const problem of error.problems) err(io, `actiongraph: ${problem.message}`);
  } else if (error instanceof ActionGraphError) {
    err(io, `actiongraph: ${error.message}`);
  } else if (isFileSystemError(error)) {
    err(io, `actiongraph: ${fileSystemMessage(error, io.cwd)}`);
    if (io.debug && error.stack) err(io, error.stack);
    return 2;
  } else {
    err(io, `actiongraph: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (io.debug && error instanceof Error && error.stack) err(io, error.stack);
  if (error instanceof ActionGraphError) return error.exitCode;
  return 1;
}

/** Reasons for the file system errors a path on the command line can cause; others keep Node's message. */
const FILE_SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name exists already',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
};

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  const e = error as NodeJS.ErrnoException | null;
  return e instanceof Error && typeof e.code === 'string' && typeof e.path === 'string' && Object.hasOwn(FILE_SYSTEM_REASONS, e.code);
}

/**
 * A file system error that escaped a module (a path that is a file where a folder is needed, say) is bad input,
 * not a bug: one line with the path, relative when it is in the project, and the reason.
 */
function fileSystemMessage(error: NodeJS.ErrnoException & { path: string }, cwd: string): string {
  const relative = path.relative(cwd, error.path);
  const where = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? error.path : relative;
  return `${where}: ${FILE_SYSTEM_REASONS[error.code ?? ''] ?? error.message} [${error.code}]`;
}

export function processIO(): CliIO {
  // A reader that stops early (`actiongraph show big.json | head`) closes the pipe: that is not an error, and it
  // must not kill a run half-way (leaving it interrupted, with exit 0). Further output is dropped; the command
  // finishes and exits with its own code.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') return;
      throw error;
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    exitCode: 0,
    debug: false,
  };
}
