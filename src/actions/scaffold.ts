// The files `actiongraph new action <name>` writes: a ready-to-edit plugin and a vitest test for it.
import { ActionNameSchema } from '../graph/schema.js';

/** Why `name` cannot name a new action, or undefined. */
export function actionNameProblem(name: string): string | undefined {
  if (!ActionNameSchema.safeParse(name).success) {
    return `"${name}" is not an action name: use "namespace.name" (letters, digits, _ and -), e.g. "weather.forecast"`;
  }
  return undefined;
}

/** The plugin's file name without extension: `weather.get_forecast` → `weather-get-forecast`. */
export function pluginFileBase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/gu, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '');
}

export function pluginSource(name: string, fileBase: string): string {
  return `// actions/${fileBase}.ts: the "${name}" action. Edit the schemas and run(), then check it with
// \`actiongraph actions ${name}\` and \`npx vitest run actions/${fileBase}.test.ts\`.
import { ActionError, defineAction, inputText, z } from 'actiongraph';

export default defineAction({
  name: '${name}',
  description: 'Say in one sentence what ${name} does: planners and people choose actions by it.',
  // What a graph may write in the node's "data". Strict, so a misspelt field is reported when the graph loads.
  data: z
    .object({
      text: z.string().optional().describe('the text to work on; defaults to the incoming text'),
    })
    .strict()
    .prefault({}),
  // What run() returns: the engine checks it, and the next node receives it as its input.
  output: z.object({ text: z.string() }),
  // Environment variables the action needs, e.g. ['MY_API_KEY']: read from the environment or .env, never from a graph.
  secrets: [],
  // 'none' | 'read' | 'write': what the action does to the world. Dry runs skip 'read' and 'write' actions.
  effects: 'none',
  // Short phrases of tasks this action does, for planners.
  examples: ['shout the text'],
  async run({ data, input, signal }) {
    // Long work should pass \`signal\` on (fetch, timers) so cancelling a run stops it.
    signal.throwIfAborted();
    const text = data.text ?? inputText(input);
    if (text === '') {
      // retryable: false tells the engine that trying again cannot help.
      throw new ActionError('TEXT_EMPTY', '${name}: there is no text to work on', { retryable: false });
    }
    return { text: text.toUpperCase() };
  },
});
`;
}

export function pluginTestSource(name: string, fileBase: string): string {
  return `// Tests for the "${name}" action: runAction calls it directly, checking data and output like the engine does.
import { runAction } from 'actiongraph';
import { describe, expect, it } from 'vitest';
import action from './${fileBase}.js';

describe('${name}', () => {
  it('works on the incoming text', async () => {
    await expect(runAction(action, { input: 'hello' })).resolves.toEqual({ text: 'HELLO' });
  });

  it('prefers data.text over the input', async () => {
    await expect(runAction(action, { data: { text: 'from data' }, input: 'ignored' })).resolves.toEqual({ text: 'FROM DATA' });
  });

  it('refuses empty text with TEXT_EMPTY', async () => {
    await expect(runAction(action, { input: '' })).rejects.toMatchObject({ code: 'TEXT_EMPTY', retryable: false });
  });
});
`;
}
