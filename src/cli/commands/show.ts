// `actiongraph show <file>`: draws a workflow as ASCII (levels and branches), Mermaid, DOT, or prints it as
// normalised JSON. Problems found on the way are printed to stderr; the drawing still appears when it can.
import path from 'node:path';
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
    .action(async (file: string, options: ShowOptions) => {
      const [{ UsageError }, { readWorkflowFileText }, parse, check, { validateWorkflow }, render] = await Promise.all([
        import('../../errors.js'),
        import('../../graph/file.js'),
        import('../../graph/parse.js'),
        import('../../graph/check-file.js'),
        import('../../graph/validate.js'),
        import('../../graph/render.js'),
      ]);
      const width = options.width === undefined ? (io.stdout.isTTY ? io.stdout.columns : undefined) : Number(options.width);
      if (width !== undefined && (!Number.isInteger(width) || width < 30)) {
        throw new UsageError(`--width ${options.width}: expected a whole number of columns, at least 30`);
      }
      const text = await readWorkflowFileText(path.resolve(io.cwd, file));
      // A syntax error throws (file:line:column); anything else is reported and whatever can be drawn is drawn.
      const { workflow, problems: readProblems } = parse.readWorkflowText(text, file);
      const problems = check.locateProblems(text, [...readProblems, ...validateWorkflow(workflow)]);
      for (const problem of problems) err(io, check.formatProblem(file, problem));
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
      io.exitCode = problems.some((problem) => problem.severity === 'error') ? 2 : 0;
    });
}
