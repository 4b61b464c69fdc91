// actiongraph.config.json: the project's settings. Read once by the CLI and handed to the modules that need them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import JSON5 from 'json5';
import { z } from 'zod';
import { ActionGraphError, formatPath } from './errors.js';
import { locatePath } from './graph/locate.js';
import { didYouMean } from './graph/suggest.js';

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
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return ConfigSchema.parse({});
    const reason = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ConfigError(`${CONFIG_FILE}: cannot read: ${reason}`, { cause: error });
  }
  // An empty file is most likely a settings file someone started: say what it needs rather than "invalid end of input".
  if (text.trim() === '') throw new ConfigError(`${CONFIG_FILE}: the file is empty: write {} (or delete the file) for the defaults`);
  let raw: unknown;
  try {
    raw = JSON5.parse(text);
  } catch (error) {
    const e = error as { lineNumber?: number; columnNumber?: number; message: string };
    // JSON5 ends its messages with " at line:column"; the line and column lead ours already.
    const message = e.message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/u, '');
    throw new ConfigError(`${CONFIG_FILE}:${e.lineNumber ?? 1}:${e.columnNumber ?? 1}: ${message}`, { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const what = raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;
    throw new ConfigError(`${CONFIG_FILE}: expected an object of settings, like {"concurrency": 8}, not ${what}`);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    // Every problem at once, on one line, which starts where the first one is written.
    const { issues } = parsed.error;
    const first = issues[0];
    const position = first === undefined ? undefined : locatePath(text, issuePath(first));
    const where = position === undefined ? CONFIG_FILE : `${CONFIG_FILE}:${position.line}:${position.column}`;
    throw new ConfigError(`${where}: ${issues.map(describeIssue).join('; ')}`);
  }
  return parsed.data;
}

/** Where an issue is written: an unknown key's own path, not its object's. */
function issuePath(issue: z.core.$ZodIssue): (string | number)[] {
  const at = issue.path as (string | number)[];
  return issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...at, issue.keys[0]] : at;
}

const SETTINGS = Object.keys(ConfigSchema.shape);

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys.map((key) => `unknown setting ${JSON.stringify(key)}${didYouMean(key, SETTINGS)}`);
    return `${unknown.join('; ')} (the settings are ${SETTINGS.join(', ')})`;
  }
  return `${formatPath(issue.path as (string | number)[]) || '(top level)'}: ${issue.message}`;
}
