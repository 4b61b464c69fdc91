// `actiongraph generate "<task>"`: plans a workflow with the configured model (or the offline planner), validates
// and repairs it, and prints it or writes it with -o.
import type { Command } from 'commander';
import { type Problem, formatPath } from '../../errors.js';
import type { ModelPlannerOptions } from '../../planner/repair-loop.js';
import type { PlannerFlags } from '../../planner/setup.js';
import { type CliIO, err, out } from '../io.js';
import { addRegistryOptions } from '../registry.js';

interface GenerateFlags extends PlannerFlags {
  output?: string;
  yes?: boolean;
  force?: boolean;
  actions?: string[];
  strict?: boolean;
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command('generate')
    .argument('<task>', 'what the workflow should do, in plain words')
    .description('plan a workflow for a task with the configured model (or offline) and validate it')
    .option('-o, --output <file>', 'write the workflow here (refuses to replace a file unless --force or --yes)')
    .option('-y, --yes', 'replace an existing output file')
    .option('--force', 'replace an existing output file')
    .addHelpText(
      'after',
      `
Without -o the workflow is drawn and printed to stdout. With -o it is written atomically (missing folders are
created); a file it replaces is kept for \`actiongraph undo\`. Without a configured model (--model,
ACTIONGRAPH_MODEL or "model" in actiongraph.config.json) the offline planner matches each step to an action.

Examples:
  $ actiongraph generate "ask for a city, then print a greeting for it"
  $ actiongraph generate "summarise a web page, then save it to a file" -o graphs/summary.json
  $ actiongraph generate "post the weather" --provider ollama --model llama3.1 -o graphs/weather.json`,
    );
  addModelOptions(command);
  addRegistryOptions(command);
  command.action(async (task: string, flags: GenerateFlags) => {
    const [{ loadProjectRegistry }, { generateWorkflowFile, displayPath }, { PlannerError, UsageError }, { renderAscii }, { serializeWorkflow }, { summaryLine }] =
      await Promise.all([
        import('../registry.js'),
        import('../../planner/create.js'),
        import('../../errors.js'),
        import('../../graph/render.js'),
        import('../../graph/parse.js'),
        import('../../planner/setup.js'),
      ]);
    if (task.trim() === '') throw new UsageError('the task is empty: say what the workflow should do');
    if (flags.output !== undefined) {
      const { checkOutputFile } = await import('../files.js');
      await checkOutputFile(io, '-o', flags.output, { createFolders: true });
    }
    const registry = await loadProjectRegistry(io, { actions: flags.actions ?? [], strict: flags.strict ?? false });
    const model = await plannerFromFlags(io, flags);
    let result;
    try {
      result = await generateWorkflowFile({
        task,
        registry,
        projectDir: io.cwd,
        output: flags.output,
        force: Boolean(flags.force || flags.yes),
        model,
      });
    } catch (error) {
      if (error instanceof PlannerError) printProblems(io, error.problems);
      throw error;
    }
    const nodes = result.workflow.nodes.size;
    const edges = result.workflow.edges.length;
    const counts = `${nodes} node${nodes === 1 ? '' : 's'}, ${edges} edge${edges === 1 ? '' : 's'}`;
    if (result.written) {
      out(io, `wrote ${displayPath(io.cwd, result.written)} (${counts})`);
    } else {
      out(io, renderAscii(result.workflow));
      out(io, serializeWorkflow(result.workflow));
    }
    err(io, `actiongraph: ${summaryLine(`planned ${counts}`, result, model)}`);
    io.exitCode = 0;
  });
}

/** The model flags generate and edit share. */
export function addModelOptions(command: Command): Command {
  return command
    .option('--model <name>', 'the model (overrides ACTIONGRAPH_MODEL and the config file)')
    .option('--base-url <url>', 'an OpenAI-compatible endpoint (overrides OPENAI_BASE_URL and the config file)')
    .option('--provider <name>', 'an endpoint preset: openai, together, ollama, vllm, lmstudio, llamacpp')
    .option('--schema <variant>', 'the answer schema: auto, full (one branch per action) or compact', 'auto')
    .option('--max-repairs <n>', 'follow-up requests when an answer is invalid', '2');
}

/** The model planner from flags, environment and config; undefined (with a note on stderr) for the offline planner. */
export async function plannerFromFlags(io: CliIO, flags: PlannerFlags): Promise<ModelPlannerOptions | undefined> {
  const [{ loadConfig }, { modelPlannerOptions }, { OFFLINE_NOTE }] = await Promise.all([
    import('../../config.js'),
    import('../../planner/setup.js'),
    import('../../planner/offline.js'),
  ]);
  const model = modelPlannerOptions({
    projectDir: io.cwd,
    env: io.env,
    config: await loadConfig(io.cwd),
    flags,
    notify: (line) => err(io, `actiongraph: ${line}`),
  });
  if (!model) err(io, `actiongraph: ${OFFLINE_NOTE}`);
  return model;
}

/** One line per problem, as main prints validation errors. */
export function printProblems(io: CliIO, problems: readonly Problem[]): void {
  for (const problem of problems) {
    err(io, `${problem.message} [${problem.code} at ${formatPath(problem.path) || '(top level)'}]`);
  }
}
