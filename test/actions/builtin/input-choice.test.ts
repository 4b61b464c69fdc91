import { describe, expect, it } from 'vitest';
import { inputChoiceAction } from '../../../src/actions/builtin/input-choice.js';
import { runWith } from '../context.js';

describe('input.choice', () => {
  const data = { prompt: 'Which?', choices: ['red', { value: 'blue', label: 'Blue sky' }] };

  it('asks a choice question and outputs {choice}', async () => {
    const { output, asked } = await runWith(inputChoiceAction, { data, answers: ['blue'] });
    expect(output).toEqual({ choice: 'blue' });
    expect(asked).toEqual([
      { kind: 'choice', message: 'Which?', choices: [{ value: 'red' }, { value: 'blue', label: 'Blue sky' }], default: 'red' },
    ]);
  });

  it('uses data.default as the default answer', async () => {
    const { output } = await runWith(inputChoiceAction, { data: { ...data, default: 'blue' } });
    expect(output).toEqual({ choice: 'blue' });
  });

  it('refuses an answer that is not a choice (retryable: the person can answer again)', async () => {
    await expect(runWith(inputChoiceAction, { data, answers: ['green'] })).rejects.toMatchObject({
      code: 'BAD_ANSWER',
      retryable: true,
    });
  });

  it('checks data when the graph loads: choices required, no duplicates, default among them', () => {
    expect(inputChoiceAction.data.safeParse({ choices: [] }).success).toBe(false);
    const duplicate = inputChoiceAction.data.safeParse({ choices: ['a', 'a'] });
    expect(duplicate.success).toBe(false);
    expect(duplicate.error?.issues[0]?.path).toEqual(['choices', 1]);
    const badDefault = inputChoiceAction.data.safeParse({ choices: ['a'], default: 'b' });
    expect(badDefault.error?.issues[0]?.path).toEqual(['default']);
  });
});
