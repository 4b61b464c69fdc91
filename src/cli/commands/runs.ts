// `actiongraph runs`: the project's runs, oldest first, with their status (`interrupted`: the process running it
// died; `actiongraph resume <runId>` continues it). --json prints the list as one JSON array.
import type { Command } from 'commander';
import { type CliIO, err, out } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('runs')
    .description('list the runs in this project (.actiongraph/runs) and their status')
    .option('--json', 'print the runs as a JSON array')
    .addHelpText(
      'after',
      `
Statuses: running, waiting (for an answer), succeeded, failed, cancelled, and interrupted (the process running it
died). DONE counts succeeded nodes out of all. A waiting, failed, cancelled or interrupted run continues with
\`actiongraph resume <runId>\`.

Examples:
  $ actiongraph runs
  $ actiongraph runs --json`,
    )
    .action(async (flags: { json?: boolean }) => {
      const { listRuns } = await import('../../engine/index.js');
      const runs = listRuns(io.cwd, { onSkipped: (problem) => err(io, `actiongraph: warning: ${problem.message}; skipped`) });
      if (flags.json) {
        out(io, JSON.stringify(runs, null, 2));
      } else if (runs.length === 0) {
        out(io, 'no runs yet (actiongraph run <file> starts one)');
      } else {
        const rows = runs.map((run) => [
          run.runId,
          run.status + (run.dryRun === true ? ' (dry run)' : ''),
          run.createdAt.replace('T', ' ').slice(0, 19),
          `${typeof run.counts?.succeeded === 'number' ? run.counts.succeeded : '?'}/${typeof run.nodes === 'number' ? run.nodes : '?'}`,
          String(run.file ?? run.workflow ?? ''),
        ]);
        const header = ['RUN', 'STATUS', 'STARTED (UTC)', 'DONE', 'WORKFLOW'];
        const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
        for (const row of [header, ...rows]) out(io, row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
      }
      io.exitCode = 0;
    });
}
