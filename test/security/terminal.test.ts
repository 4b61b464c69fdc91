// Security: output.console prints text that often comes from a web page or a model. Terminal control sequences in
// it are shown, not obeyed; the node's output keeps the text exactly.
import { describe, expect, it } from 'vitest';
import { outputConsoleAction } from '../../src/actions/builtin/output-console.js';
import { runWith } from '../actions/context.js';

describe('output.console and terminal controls', () => {
  it.each([
    ['an OSC 52 clipboard write', 'hi\u001b]52;c;ZWNobyBwd25lZA==\u0007'],
    ['a line erase and carriage return that fake an answered question', 'Run node "x"?\u001b[2K\rall good'],
    ['a C1 control sequence introducer', 'a\u009b31mred'],
    ['a backspace run', 'rm -rf /\b\b\b\b\b\b\b\bls     '],
  ])('prints %s escaped, returns it as is', async (_, text) => {
    const { output, printed } = await runWith(outputConsoleAction, { input: text });
    expect(output).toEqual({ text });
    expect(printed).toHaveLength(1);
    expect(printed[0]).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u);
    expect(printed[0]).toMatch(/\\u00(1b|9b|08)/u);
  });

  it('leaves ordinary text alone: newlines, tabs, Windows line ends, Unicode', async () => {
    const { printed } = await runWith(outputConsoleAction, { input: 'a\tb\r\nc\nd — é 中 😀' });
    expect(printed).toEqual(['a\tb\nc\nd — é 中 😀']);
  });
});
