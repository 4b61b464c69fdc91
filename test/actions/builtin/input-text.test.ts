import { describe, expect, it } from 'vitest';
import { inputTextAction } from '../../../src/actions/builtin/input-text.js';
import { runWith } from '../context.js';

describe('input.text', () => {
  it('outputs plain-string data without asking (the seed node 1)', async () => {
    const { output, asked } = await runWith(inputTextAction, { data: 'Post a tweet about the weather in San Francisco' });
    expect(output).toEqual({ text: 'Post a tweet about the weather in San Francisco' });
    expect(asked).toEqual([]);
  });

  it('asks with the prompt and default from {prompt, default}', async () => {
    const { output, asked } = await runWith(inputTextAction, { data: { prompt: 'Topic?', default: 'cats' }, answers: ['dogs'] });
    expect(output).toEqual({ text: 'dogs' });
    expect(asked).toEqual([{ kind: 'text', message: 'Topic?', default: 'cats' }]);
  });

  it('asks with a generic prompt when there is no data', async () => {
    const { output, asked } = await runWith(inputTextAction, { answers: ['hello'] });
    expect(output).toEqual({ text: 'hello' });
    expect(asked[0]).toMatchObject({ kind: 'text' });
    expect(asked[0]).not.toHaveProperty('default');
  });

  it('fails with BAD_ANSWER when the host answers with something other than text', async () => {
    await expect(runWith(inputTextAction, { answers: [true] })).rejects.toMatchObject({ code: 'BAD_ANSWER' });
  });

  it('has a strict data schema that catches misspelt fields', () => {
    expect(inputTextAction.data.safeParse({ promt: 'x' }).success).toBe(false);
    expect(inputTextAction.data.safeParse(undefined).success).toBe(true);
  });
});
