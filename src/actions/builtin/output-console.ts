// output.console: shows text as the run's output. It prints through ctx.print, the host's writer (the terminal
// in the headless CLI, the TUI's output pane), and also returns {text}, so events and the journal carry it
// and hosts without a writer can still show it.
import { z } from 'zod';
import { defineAction } from '../define.js';
import { inputText } from '../text.js';

export const outputConsoleAction = defineAction({
  name: 'output.console',
  description:
    "Show text as the run's output: data as a plain string or {text}, else the incoming text. Outputs {text}.",
  data: z
    .union([z.string(), z.object({ text: z.string().optional().describe('the text; defaults to the input') }).strict()])
    .optional(),
  output: z.object({ text: z.string() }),
  effects: 'none',
  examples: ['print the result', 'show the answer'],
  async run({ data, input, print }) {
    const text = typeof data === 'string' ? data : (data?.text ?? inputText(input));
    print?.(text);
    return { text };
  },
});
