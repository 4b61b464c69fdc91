// llm.complete: one chat completion through the configured model (ctx.model); actions never build clients.
import { z } from 'zod';
import { ActionError } from '../../errors.js';
import { type ChatMessage, defineAction } from '../define.js';
import { inputText } from '../text.js';
import { parseModelJson } from './model-output.js';

export const llmCompleteAction = defineAction({
  name: 'llm.complete',
  description:
    'Ask the configured language model for one completion. The user message is data.prompt followed by the ' +
    'incoming text (data.includeInput: false leaves the input out). With data.json the answer is parsed as JSON. ' +
    'Outputs {text, json?, model}. Fails with MODEL_NOT_CONFIGURED when no model is configured.',
  data: z
    .union([
      z.string().describe('the prompt'),
      z
        .object({
          prompt: z.string().optional(),
          system: z.string().optional().describe('the system message'),
          includeInput: z.boolean().default(true),
          json: z.boolean().default(false).describe('ask for and parse a JSON answer'),
          temperature: z.number().min(0).max(2).optional(),
          maxTokens: z.number().int().positive().optional(),
        })
        .strict(),
    ])
    .optional(),
  output: z.object({ text: z.string(), json: z.unknown().optional(), model: z.string() }),
  effects: 'read',
  examples: ['summarise the text', 'translate the text to French', 'write a tweet about the result'],
  async run({ data, input, model, signal, node }) {
    if (!model) {
      throw new ActionError(
        'MODEL_NOT_CONFIGURED',
        `node "${node.id}": llm.complete needs a model: set "model" (and "provider" or "baseURL") in actiongraph.config.json`,
        { retryable: false },
      );
    }
    const options = typeof data === 'string' ? { prompt: data, includeInput: true, json: false } : (data ?? { includeInput: true, json: false });
    const user = [options.prompt, options.includeInput ? inputText(input) : undefined]
      .filter((part): part is string => part !== undefined && part.trim() !== '')
      .join('\n\n');
    if (user === '') {
      throw new ActionError('PROMPT_EMPTY', `node "${node.id}": llm.complete has no prompt and no input text`, { retryable: false });
    }
    const messages: ChatMessage[] = [];
    if ('system' in options && options.system) messages.push({ role: 'system', content: options.system });
    messages.push({ role: 'user', content: user });
    const answer = await model.complete(messages, {
      signal,
      ...(options.json ? { json: true } : {}),
      ...('temperature' in options && options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...('maxTokens' in options && options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
    });
    if (!options.json) return { text: answer.text, model: model.model };
    return { text: answer.text, json: parseModelJson(answer.text, `node "${node.id}"`), model: model.model };
  },
});
