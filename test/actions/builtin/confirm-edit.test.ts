import { describe, expect, it } from 'vitest';
import { confirmEditAction } from '../../../src/actions/builtin/confirm-edit.js';
import { runWith } from '../context.js';

describe('confirm.edit', () => {
  const input = { text: 'It is 18 °C and sunny in San Francisco' };

  it('shows the incoming text for editing and approves it unchanged', async () => {
    const { output, asked } = await runWith(confirmEditAction, { input, answers: [input.text] });
    expect(output).toEqual({ approved: true, text: input.text, edited: false });
    expect(asked[0]).toMatchObject({ kind: 'edit', default: input.text });
  });

  it('works without data, as in the seed graph, and accepts plain-string input', async () => {
    const { output } = await runWith(confirmEditAction, { input: 'plain' });
    expect(output).toEqual({ approved: true, text: 'plain', edited: false });
  });

  it('outputs the edited text', async () => {
    const { output } = await runWith(confirmEditAction, { input, answers: ['Sunny, 18 °C'] });
    expect(output).toEqual({ approved: true, text: 'Sunny, 18 °C', edited: true });
  });

  it('fails with REJECTED (not retryable) when the text is cleared', async () => {
    await expect(runWith(confirmEditAction, { input, answers: ['  '], nodeId: '3' })).rejects.toMatchObject({
      code: 'REJECTED',
      retryable: false,
      message: expect.stringContaining('node "3"'),
    });
  });

  it('with onReject "skip", a rejection is an output to route on', async () => {
    const { output } = await runWith(confirmEditAction, { data: { onReject: 'skip' }, input, answers: [''] });
    expect(output).toEqual({ approved: false, text: input.text, edited: false });
  });

  it('with edit false, asks a yes/no question that shows the text', async () => {
    const yes = await runWith(confirmEditAction, { data: { edit: false }, input, answers: [true] });
    expect(yes.output).toEqual({ approved: true, text: input.text, edited: false });
    expect(yes.asked[0]).toMatchObject({ kind: 'confirm', default: true, message: expect.stringContaining(input.text) });
    await expect(runWith(confirmEditAction, { data: { edit: false }, input, answers: [false] })).rejects.toMatchObject({
      code: 'REJECTED',
    });
  });

  it('takes a boolean answer to an edit question as approve or reject', async () => {
    const { output } = await runWith(confirmEditAction, { data: { onReject: 'skip' }, input, answers: [false] });
    expect(output).toMatchObject({ approved: false });
  });

  it('refuses unknown data fields', () => {
    expect(confirmEditAction.data.safeParse({ onreject: 'skip' }).success).toBe(false);
    expect(confirmEditAction.data.safeParse({ onReject: 'ignore' }).success).toBe(false);
  });
});
