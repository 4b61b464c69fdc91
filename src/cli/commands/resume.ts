// `actiongraph resume <runId>`: continues a run that crashed, was cancelled, failed or stopped for input. Nodes
// that succeeded keep their journaled outputs; answers already given are not asked again.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { addRunOptions, follow, hostOptions, type RunFlags } from './run.js';

export function register(program: Command, io: CliIO): void {
  const command = program
    .command('resume')
    .argument('<runId>', 'the run to continue (see `actiongraph runs`)')
    .description('continue a run that crashed, was cancelled, failed or waits for input')
    .addHelpText(
      'after',
      `
The run continues from its own copy of the workflow (.actiongraph/runs/<runId>/); nodes that succeeded keep their
outputs and are not run again, answers already given are not asked again. Exit codes as for \`actiongraph run\`.

Examples:
  $ actiongraph runs
  $ actiongraph resume 20260102-030405-678-k3j9x2ab --answer 3=yes
  $ actiongraph resume 20260102-030405-678-k3j9x2ab --yes`,
    );
  addRunOptions(command);
  command.action(async (runId: string, flags: RunFlags) => {
    const [{ loadProjectRegistry }, engine] = await Promise.all([import('../registry.js'), import('../../engine/index.js')]);
    const registry = await loadProjectRegistry(io, { actions: flags.actions ?? [], strict: flags.strict === true });
    // The run's own copy of its workflow: the file it came from may have changed since.
    const { workflow, meta } = engine.readRunWorkflow(io.cwd, runId);
    const answers = engine.parseAnswerArgs(flags.answer ?? [], workflow.nodes.keys());
    const secrets = await engine.resolveRunSecrets(workflow, registry, { env: io.env, projectDir: io.cwd, dryRun: meta.dryRun });
    const host = await hostOptions(io, flags, workflow, registry);
    const handle = engine.resumeRun(runId, { registry, answers, secrets, projectDir: io.cwd, ...host });
    io.exitCode = await follow(io, handle, flags);
  });
}
