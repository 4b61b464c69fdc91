// `actiongraph schema`: prints the JSON Schema of workflow files, with the project's action names and data schemas,
// for editors (`"$schema": "./actiongraph.schema.json"` in a graph file). `-o FILE` writes it atomically.
import path from 'node:path';
import type { Command } from 'commander';
import { type CliIO, out } from '../io.js';
import { addRegistryOptions } from '../registry.js';

interface SchemaOptions {
  output?: string;
  plain?: boolean;
  actions: string[];
  strict?: boolean;
}

export function register(program: Command, io: CliIO): void {
  addRegistryOptions(
    program
      .command('schema')
      .description("print the JSON Schema of workflow files (with the project's actions), for editor checking")
      .option('-o, --output <file>', 'write the schema to this file instead of printing it')
      .option('--plain', "the file format only, without the project's action names and data schemas")
      .addHelpText(
        'after',
        `
Prints to stdout unless -o is given; -o writes atomically (a temp file, then a rename) into an existing folder.

Examples:
  $ actiongraph schema -o actiongraph.schema.json     then "$schema": "./actiongraph.schema.json" in a graph
  $ actiongraph schema --plain > schema.json`,
      ),
  ).action(async (options: SchemaOptions) => {
    const [{ workflowJsonSchema }, { writeFileAtomic }, { checkOutputFile }] = await Promise.all([
      import('../../graph/json-schema.js'),
      import('../../graph/file.js'),
      import('../files.js'),
    ]);
    if (options.output !== undefined) await checkOutputFile(io, '-o', options.output);
    let catalog;
    if (!options.plain) {
      const { loadProjectRegistry } = await import('../registry.js');
      catalog = await loadProjectRegistry(io, { actions: options.actions, strict: options.strict === true });
    }
    const text = `${JSON.stringify(workflowJsonSchema(catalog), null, 2)}\n`;
    if (options.output === undefined) {
      io.stdout.write(text);
    } else {
      await writeFileAtomic(path.resolve(io.cwd, options.output), text);
      out(io, `wrote ${options.output}`);
    }
    io.exitCode = 0;
  });
}
