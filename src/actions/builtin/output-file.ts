// output.file: writes text or JSON to a file inside the project folder, atomically.
import path from 'node:path';
import { z } from 'zod';
import { ActionError, ActionGraphError } from '../../errors.js';
import { writeFileAtomic } from '../../graph/file.js';
import { defineAction } from '../define.js';
import { relativePathProblem, resolveInsideDir } from '../fs-safe.js';
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
    try {
      await writeFileAtomic(target, content, { overwrite: data.overwrite, createFolders: true });
    } catch (error) {
      throw asActionError(error);
    }
    return {
      path: path.posix.normalize(data.path.replace(/\\/g, '/')),
      bytes: Buffer.byteLength(content),
    };
  },
});

/**
 * The write's error as an ActionError, which says whether the engine should retry: never for a file that must not
 * be replaced; yes for other write failures (a full disk or a busy file may clear up).
 */
function asActionError(error: unknown): unknown {
  if (!(error instanceof ActionGraphError)) return error;
  return new ActionError(error.code, error.message, { retryable: error.code !== 'FILE_EXISTS', cause: error });
}
