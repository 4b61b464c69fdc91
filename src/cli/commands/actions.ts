// `actiongraph actions [name]`: lists the registered actions, or shows one with its schemas (as JSON Schema),
// secrets (whether each is set, never its value), examples and a node snippet ready to paste into a graph.
import type { Command } from 'commander';
import type { ActionDescription, ActionSummary } from '../../actions/describe.js';
import { type CliIO, out } from '../io.js';
import { addRegistryOptions } from '../registry.js';

interface ActionsOptions {
  json?: boolean;
  actions?: string[];
  strict?: boolean;
}

export function register(program: Command, io: CliIO): void {
  addRegistryOptions(
    program
      .command('actions')
      .argument('[name]', 'show this action in detail')
      .description('list the registered actions, or show one: schemas, secrets, examples and a node snippet')
      .option('--json', 'print JSON')
      .addHelpText(
        'after',
        `
Lists the built-in actions and the project's plugins (actions/, --actions DIR, "actionsDirs" and "plugins" in
actiongraph.config.json). With a name: its effects, its secrets (set or not, never their values), its data, input
and output as JSON Schema, and a node to paste into a workflow.

Examples:
  $ actiongraph actions
  $ actiongraph actions output.file
  $ actiongraph actions --json`,
      ),
  ).action(async (name: string | undefined, options: ActionsOptions) => {
    const [{ loadProjectRegistry }, { describeAction, summarizeAction }] = await Promise.all([
      import('../registry.js'),
      import('../../actions/describe.js'),
    ]);
    const registry = await loadProjectRegistry(io, { actions: options.actions ?? [], strict: options.strict === true });
    if (name === undefined) {
      const summaries = registry.list().map(({ definition, source }) => summarizeAction(definition, source));
      if (options.json) out(io, JSON.stringify(summaries, null, 2));
      else out(io, formatTable(summaries, io.stdout.isTTY ? io.stdout.columns : undefined));
      return;
    }
    // require() throws ActionNotFoundError (exit 2) with a "did you mean".
    const definition = registry.require(name);
    const description = describeAction(definition, registry.sourceOf(name) ?? 'builtin');
    const missingSecrets = await findMissingSecrets(io, description.secrets);
    if (options.json) {
      out(io, JSON.stringify({ ...description, missingSecrets }, null, 2));
      return;
    }
    out(io, formatDetail(description, missingSecrets));
  });
}


function formatTable(summaries: ActionSummary[], columns: number | undefined): string {
  const headers = { name: 'NAME', effects: 'EFFECTS', source: 'SOURCE' };
  const width = (key: keyof typeof headers): number => Math.max(headers[key].length, ...summaries.map((s) => String(s[key]).length));
  const widths = { name: width('name'), effects: width('effects'), source: width('source') };
  const lead = widths.name + widths.effects + widths.source + 6;
  const room = columns === undefined ? Infinity : Math.max(20, columns - lead - 1);
  const row = (name: string, effects: string, source: string, description: string): string =>
    `${name.padEnd(widths.name)}  ${effects.padEnd(widths.effects)}  ${source.padEnd(widths.source)}  ${description}`.trimEnd();
  const lines = [row(headers.name, headers.effects, headers.source, 'DESCRIPTION')];
  for (const summary of summaries) {
    lines.push(row(summary.name, summary.effects, summary.source, clip(firstSentence(summary.description), room)));
  }
  const plugins = summaries.filter((s) => s.source !== 'builtin').length;
  lines.push('', `${summaries.length} actions (${summaries.length - plugins} built-in, ${plugins} from plugins)`);
  return lines.join('\n');
}

function formatDetail(action: ActionDescription, missingSecrets: string[]): string {
  const lines = [`${action.name}  (${action.source})`, action.description, '', `effects:  ${action.effects}`];
  const secrets = action.secrets.map((s) => `${s} (${missingSecrets.includes(s) ? 'not set' : 'set'})`);
  lines.push(`secrets:  ${secrets.length > 0 ? secrets.join(', ') : 'none'}`);
  if (action.examples.length > 0) lines.push('examples:', ...action.examples.map((example) => `  - ${example}`));
  lines.push('', 'data (JSON Schema):', JSON.stringify(action.data, null, 2));
  if (Object.keys(action.input).length > 0) lines.push('', 'input (JSON Schema):', JSON.stringify(action.input, null, 2));
  lines.push('', 'output (JSON Schema):', JSON.stringify(action.output, null, 2));
  lines.push('', 'node:', JSON.stringify(action.node, null, 2));
  return lines.join('\n');
}

/** The declared secrets that neither the environment nor the project's .env sets. */
async function findMissingSecrets(io: CliIO, secrets: string[]): Promise<string[]> {
  if (secrets.length === 0) return [];
  const { resolveSecrets } = await import('../../actions/secrets.js');
  const { byAction } = await resolveSecrets({
    nodes: [{ nodeId: '-', action: { name: '-', secrets } }],
    env: io.env,
    projectDir: io.cwd,
  });
  const found = byAction.get('-') ?? {};
  return secrets.filter((secret) => !Object.hasOwn(found, secret));
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/u);
  return end === -1 ? text : text.slice(0, end + 1);
}

function clip(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1))}…`;
}
