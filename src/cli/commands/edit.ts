// `actiongraph edit <file> "<instruction>"`: the model (or the offline planner, for simple edits) answers with
// patch operations; the diff is shown, and with --yes (or a "y" on a terminal) the file is rewritten atomically.
// The previous version is kept for `actiongraph undo`.
import type { Command } from 'commander';
import { addRegistryOptions } from '../registry.js';
import { type CliIO, err, out, shellWord } from '../io.js';
import type { PlannerFlags } from '../../planner/setup.js';
import { addModelOptions, plannerFromFlags, printProblems } from './generate.js';

interface EditFlags extends PlannerFlags {
  yes?: boolean;
  actions?: string[];
  strict?: boolean;
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command('edit')
    .argument('<file>', 'the workflow file')
    .argument('<instruction>', 'the change, in plain words (e.g. "add a step that prints the result after node 3")')
    .description('change a workflow by instruction: shows the diff, then writes it (keeping the old version for undo)')
    .option('-y, --yes', 'write the change without asking (needed when input is not a terminal)')
    .addHelpText(
      'after',
      `
Without --yes the diff is shown and, on a terminal, you are asked before anything is written; elsewhere nothing
is written (exit 2). The previous version is kept in .actiongraph/history/: \`actiongraph undo <file>\` restores it.
Without a configured model the offline planner does simple edits (add, remove, replace, connect, set a field).

Examples:
  $ actiongraph edit graphs/approval.json "remove node 5" --yes
  $ actiongraph edit graphs/approval.json "add a step that prints the result after node 4"`,
    );
  addModelOptions(command);
  addRegistryOptions(command);
  command.action(async (file: string, instruction: string, flags: EditFlags) => {
    const [path, { loadProjectRegistry }, { planEdit, rejectEdit, commitEdit }, { PlannerError, UsageError }, { loadWorkflowShape }, { PlannerRejectedError }, { summaryLine }] =
      await Promise.all([
        import('node:path'),
        import('../registry.js'),
        import('../../planner/edit.js'),
        import('../../errors.js'),
        import('../files.js'),
        import('../../planner/repair-loop.js'),
        import('../../planner/setup.js'),
      ]);
    if (instruction.trim() === '') throw new UsageError('the instruction is empty: say what to change');
    const target = path.resolve(io.cwd, file);
    const { workflow, text } = await loadWorkflowShape(io, file);
    const registry = await loadProjectRegistry(io, { actions: flags.actions ?? [], strict: flags.strict ?? false });
    const model = await plannerFromFlags(io, flags);
    let plan;
    try {
      plan = await planEdit(workflow, instruction, { registry, model });
    } catch (error) {
      if (!(error instanceof PlannerError)) throw error;
      printProblems(io, error.problems);
      throw error instanceof PlannerRejectedError ? await rejectEdit(error, target, io.cwd) : error;
    }
    for (const line of plan.diff) out(io, line);
    err(io, `actiongraph: ${summaryLine(`planned ${plan.ops.length} change${plan.ops.length === 1 ? '' : 's'}`, plan, model)}`);

    if (!flags.yes) {
      const interactive = Boolean(io.stdin.isTTY) && Boolean(io.stderr.isTTY);
      if (!interactive) {
        throw new UsageError(`${file}: not changed: pass --yes to write the edit (input is not a terminal, so nobody can be asked)`, {
          code: 'CONFIRM_NEEDED',
        });
      }
      if (!(await confirm(io, `Write these changes to ${file}? [y/N] `))) {
        err(io, `actiongraph: ${file} not changed`);
        io.exitCode = 0;
        return;
      }
    }
    await commitEdit(target, text, plan, { projectDir: io.cwd });
    out(io, `wrote ${file} (undo with: actiongraph undo ${shellWord(file)})`);
    io.exitCode = 0;
  });
}

async function confirm(io: CliIO, question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/iu.test(answer.trim());
  } finally {
    rl.close();
  }
}
