// `actiongraph undo <file>`: restores the version of a workflow file that the last edit (or forced generate)
// replaced. Repeatable: each undo steps one version further back.
import type { Command } from 'commander';
import { type CliIO, out } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('undo')
    .argument('<file>', 'the workflow file')
    .description('restore the version of a workflow file before its last edit')
    .addHelpText(
      'after',
      `
\`actiongraph edit\` and \`actiongraph generate -o FILE --force\` keep the version they replace in .actiongraph/history/.
Each undo restores the newest kept version (atomically) and drops it, so undoing again steps further back.
Exit 2 when nothing is kept for the file.

Example:
  $ actiongraph edit graphs/approval.json "remove node 5" --yes && actiongraph undo graphs/approval.json`,
    )
    .action(async (file: string) => {
      const [path, { FileHistory }] = await Promise.all([import('node:path'), import('../../planner/history.js')]);
      const { remaining } = await new FileHistory(io.cwd).undo(path.resolve(io.cwd, file));
      out(io, `restored ${file} (${remaining} earlier version${remaining === 1 ? '' : 's'} left)`);
      io.exitCode = 0;
    });
}
