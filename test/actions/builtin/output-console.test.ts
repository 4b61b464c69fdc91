import { describe, expect, it } from 'vitest';
import { outputConsoleAction } from '../../../src/actions/builtin/output-console.js';
import { runWith } from '../context.js';

describe('output.console', () => {
  it('prints the incoming text through the host and returns it', async () => {
    const { output, printed } = await runWith(outputConsoleAction, { input: { text: 'done' } });
    expect(output).toEqual({ text: 'done' });
    expect(printed).toEqual(['done']);
  });

  it('prints data text (a plain string or {text}) instead of the input', async () => {
    expect((await runWith(outputConsoleAction, { data: 'fixed', input: 'x' })).printed).toEqual(['fixed']);
    expect((await runWith(outputConsoleAction, { data: { text: 'also fixed' }, input: 'x' })).output).toEqual({ text: 'also fixed' });
  });

  it('shows non-text input as JSON', async () => {
    const { output } = await runWith(outputConsoleAction, { input: { a: 1 } });
    expect(JSON.parse((output as { text: string }).text)).toEqual({ a: 1 });
  });

  it('still returns the text when the host has no writer', async () => {
    const made = await runWith(outputConsoleAction, { input: 'x' });
    const { print: _print, ...withoutPrint } = made.context;
    await expect(outputConsoleAction.run(withoutPrint)).resolves.toEqual({ text: 'x' });
  });
});
