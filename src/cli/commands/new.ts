// `actiongraph new action <name>`: writes a ready-to-edit plugin into actions/ and a vitest test next to it.
// Never overwrites: an existing file is an error (exit 2) and nothing is written.
import type { Command } from 'commander';
import { type CliIO, out } from '../io.js';

export function register(program: Command, io: CliIO): void {
  const command = program
    .command('new')
    .description('create a file from a template')
    .addHelpText('after', '\nExample:\n  $ actiongraph new action weather.forecast')
    // Without a subcommand: one line that says what to type, not the whole help text.
    .argument('[kind]', 'what to create: action')
    .action(async (kind: string | undefined) => {
      const { UsageError } = await import('../../errors.js');
      const what = kind === undefined ? 'say what to create' : `cannot create ${JSON.stringify(kind)}, only an action`;
      throw new UsageError(`${what}: actiongraph new action <namespace.name>`);
    });
  command
    .command('action')
    .argument('<name>', 'the action name, "namespace.name"')
    .description('write a ready-to-edit action plugin and its test into actions/')
    .option('--dir <dir>', 'the plugin folder (created when missing)', 'actions')
    .addHelpText(
      'after',
      `
Writes <dir>/<namespace>-<name>.ts and <dir>/<namespace>-<name>.test.ts; never replaces an existing file.
Plugins in actions/ load by themselves; another folder needs --actions DIR or "actionsDirs" in the config.

Examples:
  $ actiongraph new action weather.forecast
  $ actiongraph new action slack.post --dir more-actions`,
    )
    .action(async (name: string, options: { dir: string }) => {
      const [path, { access }, scaffold, { builtinActions }, { writeFileAtomic }, { UsageError }, { checkOutputFolder }] = await Promise.all([
        import('node:path'),
        import('node:fs/promises'),
        import('../../actions/scaffold.js'),
        import('../../actions/builtin/index.js'),
        import('../../graph/file.js'),
        import('../../errors.js'),
        import('../files.js'),
      ]);
      const problem = scaffold.actionNameProblem(name);
      if (problem) throw new UsageError(problem, { code: 'ACTION_NAME_INVALID' });
      if (builtinActions.some((action) => action.name === name)) {
        throw new UsageError(`"${name}" is a built-in action: choose another name`, { code: 'ACTION_DUPLICATE' });
      }
      await checkOutputFolder(io, '--dir', options.dir);
      const base = scaffold.pluginFileBase(name);
      const dir = path.resolve(io.cwd, options.dir);
      const files = [
        { file: path.join(dir, `${base}.ts`), text: scaffold.pluginSource(name, base) },
        { file: path.join(dir, `${base}.test.ts`), text: scaffold.pluginTestSource(name, base) },
      ];
      // Check both before writing either, so a refusal leaves nothing half-made.
      for (const { file } of files) {
        const exists = await access(file).then(
          () => true,
          () => false,
        );
        if (exists) {
          throw new UsageError(`${path.relative(io.cwd, file)} exists already: not overwriting it`, { code: 'FILE_EXISTS' });
        }
      }
      for (const { file, text } of files) {
        try {
          await writeFileAtomic(file, text, { overwrite: false, createFolders: true });
        } catch (error) {
          if ((error as { code?: unknown }).code === 'FILE_EXISTS') {
            throw new UsageError(`${path.relative(io.cwd, file)} exists already: not overwriting it`, { code: 'FILE_EXISTS' });
          }
          throw error;
        }
        out(io, `created ${path.relative(io.cwd, file)}`);
      }
      out(
        io,
        `\nNext: edit ${path.relative(io.cwd, files[0]?.file ?? '')}, then\n` +
          `  actiongraph actions ${name}\n  npx vitest run ${path.relative(io.cwd, files[1]?.file ?? '')}`,
      );
    });
}
