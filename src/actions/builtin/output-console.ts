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
    print?.(visibleControls(text));
    return { text };
  },
});

// C0 controls but tab and newline, DEL and C1 controls: what a terminal obeys rather than shows.
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/gu;

/**
 * The text to print, with terminal controls written out (`\u001b`). The text often comes from a web page or a
 * model: an escape sequence in it could rewrite the lines above (a question already answered), set the window
 * title or, through OSC 52, the clipboard. The output keeps the text exactly.
 */
export function visibleControls(text: string): string {
  return text.replace(/\r\n/gu, '\n').replace(TERMINAL_CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
