// The CLI's action registry: built-ins plus the project's plugins (actions/, --actions DIR, actionsDirs and
// plugins in actiongraph.config.json). Plugin problems are warnings, or errors with --strict; two actions with
// one name are always an error, since either choice would run the wrong code.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { ActionRegistry } from '../actions/registry.js';
import { PluginError, UsageError } from '../errors.js';
import { type CliIO, err } from './io.js';

export interface ProjectRegistryOptions {
  /** --actions DIR (repeatable): more plugin folders, relative to the working folder. */
  actions?: string[];
  /** --strict: any plugin problem is an error (exit 2). */
  strict?: boolean;
}

/** Problems that stop the CLI even without --strict. */
const ALWAYS_FATAL = new Set(['ACTION_DUPLICATE']);

export async function loadProjectRegistry(io: CliIO, options: ProjectRegistryOptions = {}): Promise<ActionRegistry> {
  const [{ loadConfig }, { createRegistry }] = await Promise.all([import('../config.js'), import('../actions/loader.js')]);
  const config = await loadConfig(io.cwd);
  // A folder named on the command line that is not there is a typo: say so now, as a usage error.
  for (const dir of options.actions ?? []) {
    const isDir = await stat(path.resolve(io.cwd, dir)).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) throw new UsageError(`--actions ${dir}: no such folder`);
  }
  const { registry, problems } = await createRegistry({
    projectDir: io.cwd,
    dirs: [...config.actionsDirs, ...(options.actions ?? [])],
    packages: config.plugins,
  });
  const fatal = options.strict ? problems : problems.filter((problem) => ALWAYS_FATAL.has(problem.code));
  for (const problem of problems) {
    if (!fatal.includes(problem)) err(io, `actiongraph: warning: ${problem.message} [${problem.code}]`);
  }
  // Every fatal problem gets its own line; the last one is thrown, so main prints it and sets the exit code.
  const last = fatal.at(-1);
  if (last) {
    for (const problem of fatal.slice(0, -1)) err(io, `actiongraph: ${problem.message} [${problem.code}]`);
    throw new PluginError(last.code, options.strict ? `${last.message} (--strict)` : last.message, {
      ...(last.source === undefined ? {} : { source: last.source }),
      cause: last,
    });
  }
  return registry;
}

/** Declares the options every command that loads actions shares: --actions DIR (repeatable) and --strict. */
export function addRegistryOptions(command: Command): Command {
  return command
    .option('--actions <dir>', 'another folder of action plugins (repeatable)', (value: string, previous: string[] | undefined) => [
      ...(previous ?? []),
      value,
    ])
    .option('--strict', 'fail (exit 2) when a plugin cannot be loaded, instead of warning');
}
