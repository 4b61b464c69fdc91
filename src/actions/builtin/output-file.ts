// output.file: writes text or JSON to a file inside the project folder, atomically.
import path from 'node:path';
import { z } from 'zod';
import { defineAction } from '../define.js';
import { relativePathProblem, resolveInsideDir, writeFileAtomic } from '../fs-safe.js';
import { inputText } from '../text.js';

export const outputFileAction = defineAction({
  name: 'output.file',
  description:
    'Write text (data.content, else the incoming text) or the input as JSON (format "json") to a file inside ' +
    'the project folder. Absolute paths, ".." and symlinks that lead out are refused. Outputs {path, bytes}.',
  data: z
    .object({
      path: z
        .string()
        .superRefine((value, ctx) => {
          const problem = relativePathProblem(value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .describe('relative to the project folder, e.g. "out/summary.md"'),
      content: z.string().optional().describe('the text to write; defaults to the incoming text'),
      format: z.enum(['text', 'json']).default('text').describe('"json" writes the input as pretty JSON'),
      overwrite: z.boolean().default(true).describe('false: fail with FILE_EXISTS when the file exists'),
    })
    .strict(),
  output: z.object({ path: z.string(), bytes: z.number().int() }),
  effects: 'write',
  examples: ['save the result to a file', 'write the summary to out/summary.md'],
  async run({ data, input, run, signal }) {
    const target = await resolveInsideDir(run.projectDir, data.path);
    const content =
      data.content ?? (data.format === 'json' ? `${JSON.stringify(input ?? null, null, 2)}\n` : inputText(input));
    signal.throwIfAborted();
    await writeFileAtomic(target, content, { overwrite: data.overwrite });
    return {
      path: path.posix.normalize(data.path.replace(/\\/g, '/')),
      bytes: Buffer.byteLength(content),
    };
  },
});
