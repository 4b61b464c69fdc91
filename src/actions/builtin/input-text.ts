// input.text: a piece of text from a person, or fixed text given in the node's data (the seed's node 1).
import { z } from 'zod';
import { ActionError } from '../../errors.js';
import { defineAction } from '../define.js';

export const inputTextAction = defineAction({
  name: 'input.text',
  description:
    'Provide text to the workflow. With data as a plain string the node outputs that text without asking; ' +
    'with {prompt, default} (or no data) it asks a person. Outputs {text}.',
  data: z
    .union([
      z.string().describe('the text itself: nobody is asked'),
      z
        .object({
          prompt: z.string().optional().describe('the question shown to the person'),
          default: z.string().optional().describe('the prefilled answer (used as is with --yes)'),
        })
        .strict(),
    ])
    .optional(),
  output: z.object({ text: z.string() }),
  effects: 'none',
  examples: ['ask the user for a topic', 'start from the text "..."'],
  async run({ data, io }) {
    if (typeof data === 'string') return { text: data };
    const answer = await io.ask({
      kind: 'text',
      message: data?.prompt ?? 'Enter the text',
      ...(data?.default === undefined ? {} : { default: data.default }),
    });
    if (typeof answer !== 'string') {
      throw new ActionError('BAD_ANSWER', `input.text expected text, got ${typeof answer}`, { retryable: false });
    }
    return { text: answer };
  },
});
