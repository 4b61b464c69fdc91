// `actiongraph validate <files...>`: checks each workflow file completely (syntax, shape, graph, actions and their
// data) and prints every problem as `file:line:column: message`. Exit 0 when all are valid (warnings allowed), 2 otherwise.
import path from 'node:path';
import type { Command } from 'commander';
import { type CliIO, err, out } from '../io.js';
import { addRegistryOptions } from '../registry.js';

interface ValidateOptions {
  json?: boolean;
  actions: string[];
  strict?: boolean;
}

export function register(program: Command, io: CliIO): void {
  addRegistryOptions(
    program
      .command('validate')
      .argument('<files...>', 'workflow files (JSON or JSON5)')
      .description('check workflow files: syntax, shape, edges, cycles, actions and their data')
      .option('--json', 'print [{file, valid, problems}] as JSON (problems with line and column)')
      .addHelpText(
        'after',
        `
Problems go to stderr, one per line, as file:line:column: message; each valid file gets "ok" on stdout.
Exit 0 when every file is valid (warnings allowed), 2 otherwise.

Examples:
  $ actiongraph validate graphs/*.json
  $ actiongraph validate graphs/approval.json --json`,
      ),
  ).action(async (files: string[], options: ValidateOptions) => {
    const [{ loadProjectRegistry }, { formatProblem, checkWorkflowFile }] = await Promise.all([
      import('../registry.js'),
      import('../../graph/check-file.js'),
    ]);
    const registry = await loadProjectRegistry(io, { actions: options.actions, strict: options.strict === true });
    const reports = [];
    for (const file of files) reports.push(await checkWorkflowFile(path.resolve(io.cwd, file), { catalog: registry, display: file }));
    if (options.json) {
      out(io, JSON.stringify(reports.map(({ file, valid, problems }) => ({ file, valid, problems })), null, 2));
    } else {
      for (const report of reports) {
        for (const problem of report.problems) err(io, formatProblem(report.file, problem));
        if (report.valid && report.workflow) {
          const warnings = report.problems.length;
          const counts = `${report.workflow.nodes.size} nodes, ${report.workflow.edges.length} edges`;
          out(io, `${report.file}: ok (${counts}${warnings > 0 ? `, ${warnings} warning${warnings > 1 ? 's' : ''}` : ''})`);
        }
      }
      const invalid = reports.filter((report) => !report.valid).length;
      if (invalid > 0 && files.length > 1) err(io, `${invalid} of ${files.length} files are invalid`);
    }
    io.exitCode = reports.every((report) => report.valid) ? 0 : 2;
  });
}
