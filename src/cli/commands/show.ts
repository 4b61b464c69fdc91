// `actiongraph show <file>`: draws a workflow as ASCII (levels and branches), Mermaid, DOT, or prints it as
// normalised JSON. Problems found on the way are printed to stderr; the drawing still appears when it can.
import { Option, type Command } from 'commander';
import { type CliIO, err, out } from '../io.js';

const FORMATS = ['ascii', 'mermaid', 'dot', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface ShowOptions {
  format: Format;
  width?: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('show')
    .argument('<file>', 'a workflow file')
    .description('draw a workflow: ASCII in the terminal, Mermaid for GitHub, DOT for Graphviz, or normalised JSON')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('ascii'))
    .option('-w, --width <columns>', 'width of the ASCII drawing (default: the terminal, or 80)')
    .addHelpText(
      'after',
      `
Problems are printed to stderr as \`validate\` prints them (exit 2 when one is an error); the drawing still appears
when there is something to draw. Actions are not checked here (\`actiongraph validate\` does that).

Examples:
  $ actiongraph show graphs/approval.json
  $ actiongraph show graphs/approval.json --format mermaid > approval.mmd
  $ actiongraph show graphs/approval.json --format dot | dot -Tsvg > approval.svg`,
    )
    .action(async (file: string, options: ShowOptions) => {
      const [{ UsageError }, { readWorkflowArg }, parse, check, { validateWorkflow }, render] = await Promise.all([
        import('../../errors.js'),
        import('../files.js'),
        import('../../graph/parse.js'),
        import('../../graph/check-file.js'),
        import('../../graph/validate.js'),
        import('../../graph/render.js'),
      ]);
      const width = options.width === undefined ? (io.stdout.isTTY ? io.stdout.columns : undefined) : wholeNumber(options.width);
      if (width !== undefined && (!Number.isInteger(width) || width < 30)) {
        throw new UsageError(`--width ${options.width}: expected a whole number of columns, at least 30`);
      }
      const text = await readWorkflowArg(io, file);
      // A syntax error throws (file:line:column); anything else is reported and whatever can be drawn is drawn.
      const { workflow, problems: readProblems } = parse.readWorkflowText(text, file);
      const problems = check.locateProblems(text, [...readProblems, ...validateWorkflow(workflow)]);
      for (const problem of problems) err(io, check.formatProblem(file, problem));
      io.exitCode = problems.some((problem) => problem.severity === 'error') ? 2 : 0;
      // A file that is not a workflow at all (a list, a number) reads as an empty one: drawing that would only mislead.
      if (io.exitCode !== 0 && workflow.nodes.size === 0) return;
      switch (options.format) {
        case 'ascii':
          out(io, render.renderAscii(workflow, width === undefined ? {} : { width }));
          break;
        case 'mermaid':
          out(io, render.renderMermaid(workflow));
          break;
        case 'dot':
          out(io, render.renderDot(workflow));
          break;
        case 'json':
          out(io, parse.serializeWorkflow(workflow));
          break;
      }
    });
}

/** Digits only, so "1e2" or "0x50" are refused rather than read as numbers. */
function wholeNumber(text: string): number {
  return /^\d+$/u.test(text) ? Number(text) : NaN;
}
