// `actiongraph run <file>`: runs a workflow headless. Progress lines (one per settled node) or, with --json, one
// event per line and the result last. Questions are answered from --answer and --yes, asked on a terminal, or the
// run stops waiting (exit 2) with the command that resumes it. Ctrl-C cancels cleanly (exit 130).
// Also the shared runner for `actiongraph resume`.
import type { Command } from 'commander';
import type { Answer, AskRequest, ChatModel, IOPort } from '../../actions/define.js';
import type { ActionRegistry } from '../../actions/registry.js';
import type { RunEvent, RunHandle, RunHostOptions, RunResult } from '../../engine/index.js';
import type { Workflow } from '../../graph/schema.js';
import { RunError, type Problem } from '../../errors.js';
import { type CliIO, err, out, shellWord, visibleControls } from '../io.js';
import { addRegistryOptions } from '../registry.js';

export interface RunFlags {
  answer?: string[];
  yes?: boolean;
  json?: boolean;
  concurrency?: string;
  actions?: string[];
  strict?: boolean;
  model?: string;
  baseUrl?: string;
  provider?: string;
}

/** Exit code of a run that was interrupted (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

export function register(program: Command, io: CliIO): void {
  const command = program
    .command('run')
    .argument('<file>', 'the workflow file')
    .description('run a workflow: progress lines, or --json events; questions from --answer/--yes or the terminal')
    .option('--dry-run', 'run only actions without effects; read/write actions return a sample of their output')
    .addHelpText(
      'after',
      `
Exit codes: 0 succeeded, 1 a node failed, 2 invalid workflow, missing secret or input needed, 130 interrupted.
A run that needs input stops and prints how to continue: actiongraph resume <runId> --answer <nodeId>=<value>
Nodes whose action writes to the outside world (output.file, http.request, ...) ask for approval before they
run: --yes approves them all, --answer <nodeId>=yes approves one. Dry runs never ask. A project whose workflows
are all trusted can set "approval": "none" in actiongraph.config.json.

Examples:
  $ actiongraph run graphs/approval.json --yes
  $ actiongraph run graphs/weather-tweet.json --dry-run --json
  $ actiongraph run graphs/approval.json --answer 1='Buy milk' --yes`,
    );
  addRunOptions(command);
  command.action(async (file: string, flags: RunFlags & { dryRun?: boolean }) => {
    const [{ loadProjectRegistry }, { loadValidWorkflow }, engine] = await Promise.all([
      import('../registry.js'),
      import('../files.js'),
      import('../../engine/index.js'),
    ]);
    const registry = await loadProjectRegistry(io, { actions: flags.actions ?? [], strict: flags.strict === true });
    // Checked exactly as `actiongraph validate` checks it, so an invalid file reads the same (file:line:column).
    const { workflow, text } = await loadValidWorkflow(io, file, registry);
    const dryRun = flags.dryRun === true;
    const answers = engine.parseAnswerArgs(flags.answer ?? [], workflow.nodes.keys());
    const secrets = await engine.resolveRunSecrets(workflow, registry, { env: io.env, projectDir: io.cwd, dryRun }).catch((error: unknown) => {
      throw dryRun ? error : withDryRunHint(error, file);
    });
    const host = await hostOptions(io, flags, workflow, registry);
    const handle = engine.startRun({ workflow, workflowText: text, registry, file, dryRun, answers, secrets, projectDir: io.cwd, ...host });
    io.exitCode = await follow(io, handle, flags);
  });
}

/** Missing secrets, plus a last line saying how to try the workflow without them. */
function withDryRunHint(error: unknown, file: string): unknown {
  if (!(error instanceof RunError) || error.code !== 'SECRET_MISSING') return error;
  const problems: Problem[] = error.problems.length > 0 ? [...error.problems] : [{ code: error.code, path: [], message: error.message, severity: 'error' }];
  problems.push({
    code: 'HINT',
    path: [],
    message: `or try it without effects, which needs no secrets: actiongraph run ${shellWord(file)} --dry-run`,
    severity: 'warning',
  });
  return new RunError(error.code, error.message, { exitCode: 2, problems, cause: error, ...(error.nodeId === undefined ? {} : { nodeId: error.nodeId }) });
}

/** The options `run` and `resume` share. */
export function addRunOptions(command: Command): Command {
  command
    .option(
      '--answer <nodeId=value>',
      'answer a node\'s question (repeatable; a node asking twice takes its answers in order)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('-y, --yes', 'accept defaults, confirmations and approvals')
    .option('--json', 'print one JSON event per line, and the result last')
    .option('--concurrency <n>', 'how many nodes may run at once (default: config, else 64)')
    .option('--model <name>', 'the model for llm.* actions (overrides ACTIONGRAPH_MODEL and the config file)')
    .option('--base-url <url>', 'an OpenAI-compatible endpoint for llm.* actions')
    .option('--provider <name>', 'an endpoint preset: openai, together, ollama, vllm, lmstudio, llamacpp');
  return addRegistryOptions(command);
}

type HostOptions = Pick<RunHostOptions, 'concurrency' | 'io' | 'model' | 'print' | 'env' | 'approval'>;

/** Concurrency, IO port, approval, model and printer: what `run` and `resume` hand the engine besides the workflow. */
export async function hostOptions(
  io: CliIO,
  flags: RunFlags,
  workflow: Workflow,
  registry: ActionRegistry,
): Promise<HostOptions> {
  const [{ loadConfig }, { UsageError }, { createHeadlessPort }] = await Promise.all([
    import('../../config.js'),
    import('../../errors.js'),
    import('../../engine/index.js'),
  ]);
  const config = await loadConfig(io.cwd);
  let concurrency = config.concurrency;
  if (flags.concurrency !== undefined) {
    // Digits only: Number() would also take "1e3", "0x10" and " 8".
    concurrency = /^\d+$/u.test(flags.concurrency) ? Number(flags.concurrency) : NaN;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new UsageError(`--concurrency ${flags.concurrency}: expected a whole number of at least 1`);
    }
  }
  const interactive = !flags.yes && !flags.json && io.stdin.isTTY === true && io.stdout.isTTY === true;
  const port = interactive ? terminalPort(io) : createHeadlessPort({ yes: flags.yes === true });
  const model = await modelFor(io, flags, config, workflow, registry);
  const options: HostOptions = { io: port, env: io.env, approval: config.approval };
  if (concurrency !== undefined) options.concurrency = concurrency;
  if (model !== undefined) options.model = model;
  // With --json stdout carries events only; printed text is in the node's output event anyway.
  if (!flags.json) options.print = (text) => out(io, visibleControls(text));
  return options;
}

/**
 * The configured model, for workflows that use actions which need one. Imported lazily and guarded: a run of a
 * workflow without model actions must not depend on the planner module, or fail over model settings it never uses.
 */
async function modelFor(
  io: CliIO,
  flags: RunFlags,
  config: Awaited<ReturnType<typeof import('../../config.js').loadConfig>>,
  workflow: Workflow,
  registry: ActionRegistry,
): Promise<ChatModel | undefined> {
  const explicit = flags.model !== undefined || flags.baseUrl !== undefined || flags.provider !== undefined;
  const needsModel = [...workflow.nodes.values()].some((node) => node.action.startsWith('llm.') && registry.has(node.action));
  if (!explicit && !needsModel) return undefined;
  let planner: { resolveModelConfig: typeof import('../../planner/model-config.js').resolveModelConfig; createChatModel: typeof import('../../planner/client.js').createChatModel };
  try {
    const [{ resolveModelConfig }, { createChatModel }] = await Promise.all([import('../../planner/model-config.js'), import('../../planner/client.js')]);
    planner = { resolveModelConfig, createChatModel };
  } catch {
    return undefined;
  }
  const resolved = planner.resolveModelConfig({
    config,
    env: io.env,
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.baseUrl === undefined ? {} : { baseURL: flags.baseUrl }),
    ...(flags.provider === undefined ? {} : { provider: flags.provider }),
  });
  return resolved === undefined ? undefined : planner.createChatModel(resolved);
}

/** Prints the run as it goes, cancels it on Ctrl-C, and returns the exit code. */
export async function follow(io: CliIO, handle: RunHandle, flags: RunFlags): Promise<number> {
  const actions = new Map<string, string>();
  handle.subscribe(flags.json ? (event) => out(io, JSON.stringify(event)) : (event) => progress(io, event, actions));
  const onSigint = (): void => {
    err(io, 'actiongraph: interrupted, cancelling the run (Ctrl-C again to force)');
    process.removeListener('SIGINT', onSigint);
    handle.cancel('interrupted');
  };
  process.on('SIGINT', onSigint);
  let result: RunResult;
  try {
    result = await handle.done;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (flags.json) {
    out(io, JSON.stringify({ type: 'result', runId: result.runId, status: result.status, outputs: Object.fromEntries(result.finalOutputs) }));
  } else {
    summary(io, result);
    results(io, result);
  }
  if (result.status === 'waiting') explainWaiting(io, result);
  switch (result.status) {
    case 'succeeded':
      return 0;
    case 'failed':
      return 1;
    case 'waiting':
      return 2;
    case 'cancelled':
      return EXIT_INTERRUPTED;
  }
}

function progress(io: CliIO, event: RunEvent, actions: Map<string, string>): void {
  switch (event.type) {
    case 'run.started':
      err(io, `run ${event.runId}${event.dryRun ? ' (dry run)' : ''}${event.resumes > 0 ? `: resumed, ${event.restored} node${event.restored === 1 ? '' : 's'} already done` : ''}`);
      break;
    case 'node.started':
      actions.set(event.nodeId, event.action);
      break;
    case 'node.succeeded':
      out(io, `✓ ${event.nodeId} ${event.action} ${event.ms}ms${event.sampled ? ' (dry run: sample output)' : ''}`);
      break;
    case 'node.failed':
      out(io, `✗ ${event.nodeId} ${event.action} ${event.error.code}: ${event.error.message}`);
      break;
    case 'node.retrying':
      out(io, `↻ ${event.nodeId} ${event.action} attempt ${event.attempt} failed (${event.error.code}); retrying in ${event.delayMs}ms`);
      break;
    case 'node.skipped':
      out(io, `- ${event.nodeId} skipped (${event.reason === 'inactive' ? 'no active incoming edge' : 'an upstream node failed'})`);
      break;
    case 'node.cancelled':
      out(io, `■ ${event.nodeId} ${actions.get(event.nodeId) ?? ''} cancelled`.replace('  ', ' '));
      break;
    case 'node.waiting':
      out(io, `? ${event.nodeId} ${actions.get(event.nodeId) ?? ''} waiting for input`.replace('  ', ' '));
      break;
    case 'node.log':
      if (event.level !== 'debug') err(io, `  ${event.nodeId}: ${event.level === 'warn' ? 'warning: ' : ''}${event.message}`);
      break;
    default:
      break;
  }
}

function summary(io: CliIO, result: RunResult): void {
  const counts = Object.entries(result.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const seconds = (result.ms / 1000).toFixed(result.ms < 10_000 ? 2 : 1);
  const reason = result.reason ? ` (${result.reason})` : '';
  err(io, `run ${result.runId} ${result.status}${reason} in ${seconds}s: ${counts || 'no nodes'}`);
  for (const { nodeId, error } of result.failures) err(io, `actiongraph: node "${nodeId}" failed: ${error.message} [${error.code}]`);
}

const RESULT_CHARS = 300;

/** The run's final results (outputs of nodes with no successors), one line each; --json has them in full. */
function results(io: CliIO, result: RunResult): void {
  for (const [nodeId, output] of result.finalOutputs) {
    if (output === undefined) continue;
    const text = typeof output === 'string' ? JSON.stringify(output) : (JSON.stringify(output) ?? String(output));
    out(io, `= ${nodeId} ${text.length > RESULT_CHARS ? `${text.slice(0, RESULT_CHARS - 1)}… (--json prints it all)` : text}`);
  }
}

function explainWaiting(io: CliIO, result: RunResult): void {
  for (const { nodeId, request } of result.waiting) {
    const firstLine = visibleControls(request.message.split('\n')[0] ?? '');
    err(io, `actiongraph: node "${nodeId}" is waiting for input (${request.kind}): ${firstLine}`);
    if (request.kind === 'edit') {
      err(io, `actiongraph: node "${nodeId}" takes the edited text as its answer; an empty answer (--answer ${nodeId}=) rejects it, --yes keeps it as it is`);
    }
  }
  const example = result.waiting
    .map(({ nodeId, request }) => `--answer ${shellWord(`${nodeId}=${exampleAnswer(request)}`)}`)
    .join(' ');
  err(io, `actiongraph: answer with: actiongraph resume ${result.runId} ${example}`);
}

function exampleAnswer(request: AskRequest): string {
  if (request.kind === 'confirm') return 'yes';
  if (request.kind === 'choice' && request.choices?.[0]) return request.choices[0].value;
  return '...';
}


/**
 * Questions on a terminal: one line each, the default in brackets, Enter takes it. Edits are prefilled.
 * Only used when stdin and stdout are a TTY; the TUI has its own port.
 */
export function terminalPort(io: CliIO): IOPort {
  return {
    async ask(request, signal): Promise<Answer> {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
      try {
        const choices = request.choices ?? [];
        if (request.kind === 'choice') {
          choices.forEach((choice, i) => out(io, `  ${i + 1}) ${visibleControls(choice.label ?? choice.value)}`));
        }
        const hint =
          request.kind === 'confirm'
            ? request.default === false
              ? ' [y/N]'
              : ' [Y/n]'
            : request.default !== undefined && request.kind !== 'edit'
              ? ` [${String(request.default)}]`
              : '';
        const pending = rl.question(`? node ${visibleControls(`${request.nodeId}: ${request.message}`)}${hint} `, { signal });
        if (request.kind === 'edit' && typeof request.default === 'string') rl.write(request.default);
        const text = (await pending).trim();
        if (request.kind === 'confirm') {
          if (text === '') return request.default !== false;
          return /^(y|yes|true|1)$/iu.test(text);
        }
        if (request.kind === 'choice') {
          if (text === '' && request.default !== undefined) return String(request.default);
          const byNumber = choices[Number(text) - 1];
          return byNumber?.value ?? text;
        }
        if (text === '' && typeof request.default === 'string' && request.kind === 'text') return request.default;
        return text;
      } finally {
        rl.close();
      }
    },
  };
}
