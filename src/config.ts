// actiongraph.config.json: the project's settings. Read once by the CLI and handed to the modules that need them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import JSON5 from 'json5';
import { z } from 'zod';
import { ActionGraphError, formatPath } from './errors.js';

export const CONFIG_FILE = 'actiongraph.config.json';

export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    /** Extra folders of action plugins, relative to the project folder (actions/ is always read). */
    actionsDirs: z.array(z.string()).default([]),
    /** npm packages whose exports are action definitions. */
    plugins: z.array(z.string()).default([]),
    /** A named endpoint preset: openai, together, ollama, vllm, lmstudio, llamacpp. */
    provider: z.string().optional(),
    model: z.string().optional(),
    baseURL: z.string().optional(),
    /** The environment variable that holds the API key (default OPENAI_API_KEY or the preset's). */
    apiKeyEnv: z.string().optional(),
    /** Default concurrency for runs. */
    concurrency: z.number().int().positive().optional(),
    /**
     * `write` (default): runs ask before each node whose action writes to the outside world (--yes approves).
     * `none`: never ask, for a project whose workflows are all trusted. Set here, never in a workflow file.
     */
    approval: z.enum(['write', 'none']).default('write'),
  })
  .strict();
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends ActionGraphError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

/** Reads `actiongraph.config.json` from the project folder; a missing file is the default config. */
export async function loadConfig(projectDir: string): Promise<Config> {
  const file = path.join(projectDir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ConfigSchema.parse({});
    throw new ConfigError(`${CONFIG_FILE}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON5.parse(text);
  } catch (error) {
    const e = error as { lineNumber?: number; columnNumber?: number; message: string };
    throw new ConfigError(`${CONFIG_FILE}:${e.lineNumber ?? 1}:${e.columnNumber ?? 1}: ${e.message.replace(/^JSON5: /, '')}`, {
      cause: error,
    });
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${CONFIG_FILE}: ${formatPath(issue?.path as (string | number)[]) || '(top level)'}: ${issue?.message}`);
  }
  return parsed.data;
}
