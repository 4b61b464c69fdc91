import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatModel } from '../../../src/actions/define.js';
import { choiceValuesOf, llmChooseAction } from '../../../src/actions/builtin/llm-choose.js';
import { llmCompleteAction } from '../../../src/actions/builtin/llm-complete.js';
import { runWith } from '../context.js';

/** A model that answers from a script and records what it was asked. */
function scriptedModel(...answers: string[]): ChatModel & { calls: { messages: ChatMessage[]; options: object }[] } {
  const calls: { messages: ChatMessage[]; options: object }[] = [];
  return {
    model: 'test-model',
    calls,
    async complete(messages, options) {
      calls.push({ messages, options });
      const text = answers.shift();
      if (text === undefined) throw new Error('the script ran out');
      return { text };
    },
  };
}

describe('llm.complete', () => {
  it('sends the prompt and the incoming text, and returns the text and model', async () => {
    const model = scriptedModel('A short summary.');
    const { output } = await runWith(llmCompleteAction, {
      data: { prompt: 'Summarise:', system: 'Be brief.', temperature: 0.2 },
      input: { text: 'A long text.' },
      model,
    });
    expect(output).toEqual({ text: 'A short summary.', model: 'test-model' });
    expect(model.calls[0]?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Summarise:\n\nA long text.' },
    ]);
    expect(model.calls[0]?.options).toMatchObject({ temperature: 0.2 });
  });

  it('parses a JSON answer (also inside a code fence) when data.json is set', async () => {
    const { output } = await runWith(llmCompleteAction, {
      data: { prompt: 'Give JSON', json: true, includeInput: false },
      model: scriptedModel('```json\n{"ok": true}\n```'),
    });
    expect(output).toMatchObject({ json: { ok: true } });
    await expect(
      runWith(llmCompleteAction, { data: { prompt: 'x', json: true }, model: scriptedModel('no json here') }),
    ).rejects.toMatchObject({ code: 'MODEL_BAD_OUTPUT', retryable: true });
  });

  it('fails with MODEL_NOT_CONFIGURED (not retryable) without a model', async () => {
    await expect(runWith(llmCompleteAction, { data: 'hi', nodeId: '7' })).rejects.toMatchObject({
      code: 'MODEL_NOT_CONFIGURED',
      retryable: false,
      message: expect.stringContaining('node "7"'),
    });
  });

  it('fails with PROMPT_EMPTY when there is nothing to ask', async () => {
    await expect(runWith(llmCompleteAction, { model: scriptedModel('x') })).rejects.toMatchObject({ code: 'PROMPT_EMPTY' });
  });

  it('passes the run signal to the model', async () => {
    const model = scriptedModel('ok');
    const { context } = await runWith(llmCompleteAction, { data: 'hi', model });
    expect(model.calls[0]?.options).toMatchObject({ signal: context.signal });
  });
});

describe('llm.choose', () => {
  const outgoing = [
    { to: '3', label: 'post a video to Discord', when: { path: 'choice', equals: 'discord_post.youtube' } },
    { to: '4', when: { any: [{ path: 'choice', in: ['output.tweet'] }] } },
    { to: '5' },
  ];

  it('offers the branches the edges route on, and returns the choice with its arguments (the seed example)', async () => {
    const model = scriptedModel('{"tool": "discord_post.youtube", "query": "Peter falling on his knee"}');
    const { output } = await runWith(llmChooseAction, {
      input: { text: 'Ok Billy, send that video of Peter falling on his knee' },
      outgoing,
      model,
    });
    expect(output).toEqual({ choice: 'discord_post.youtube', query: 'Peter falling on his knee' });
    const system = model.calls[0]?.messages[0]?.content ?? '';
    expect(system).toContain('- discord_post.youtube: post a video to Discord');
    expect(system).toContain('- output.tweet');
    expect(model.calls[0]?.messages[1]).toEqual({ role: 'user', content: 'Ok Billy, send that video of Peter falling on his knee' });
    expect(model.calls[0]?.options).toMatchObject({ json: true, temperature: 0 });
  });

  it('maps "no_tool" (the seed\'s answer) and null to the choice "none"', async () => {
    for (const answer of ['{"tool": "no_tool"}', '{"tool": null}', '{"choice": "none"}']) {
      const { output } = await runWith(llmChooseAction, { input: 'rock paper scissors', outgoing, model: scriptedModel(answer) });
      expect(output).toEqual({ choice: 'none' });
    }
  });

  it('refuses "none" when allowNone is false, and unknown tools (retryable)', async () => {
    await expect(
      runWith(llmChooseAction, { data: { allowNone: false }, input: 'x', outgoing, model: scriptedModel('{"tool": "none"}') }),
    ).rejects.toMatchObject({ code: 'MODEL_BAD_CHOICE', retryable: true });
    await expect(
      runWith(llmChooseAction, { input: 'x', outgoing, model: scriptedModel('{"tool": "rm.rf"}') }),
    ).rejects.toMatchObject({ code: 'MODEL_BAD_CHOICE' });
    await expect(runWith(llmChooseAction, { input: 'x', outgoing, model: scriptedModel('["a"]') })).rejects.toMatchObject({
      code: 'MODEL_BAD_OUTPUT',
    });
  });

  it('uses data.choices with descriptions, and matches the answer case-insensitively', async () => {
    const model = scriptedModel('{"tool": "WEATHER.NOW"}');
    const { output } = await runWith(llmChooseAction, {
      data: { choices: [{ value: 'weather.now', description: 'current weather' }] },
      input: 'is it raining',
      model,
    });
    expect(output).toEqual({ choice: 'weather.now' });
    expect(model.calls[0]?.messages[0]?.content).toContain('- weather.now: current weather');
  });

  it('drops argument keys that would shadow the choice or touch prototypes', async () => {
    const { output } = await runWith(llmChooseAction, {
      input: 'x',
      outgoing,
      model: scriptedModel('{"tool": "output.tweet", "choice": "other", "__proto__": {"polluted": true}, "text": "hi"}'),
    });
    expect(output).toEqual({ choice: 'output.tweet', text: 'hi' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('fails with NO_CHOICES when neither data nor edges name a choice, and MODEL_NOT_CONFIGURED without a model', async () => {
    await expect(runWith(llmChooseAction, { input: 'x', outgoing: [{ to: '2' }], model: scriptedModel('{}') })).rejects.toMatchObject({
      code: 'NO_CHOICES',
    });
    await expect(runWith(llmChooseAction, { input: 'x', outgoing })).rejects.toMatchObject({ code: 'MODEL_NOT_CONFIGURED' });
  });

  it('reads choice values from equals, in, any and all, but not from not or other paths', () => {
    expect(choiceValuesOf({ path: 'choice', equals: 'a' })).toEqual(['a']);
    expect(choiceValuesOf({ all: [{ path: 'choice', in: ['b', 'c', 1] }, { path: 'other', equals: 'x' }] })).toEqual(['b', 'c']);
    expect(choiceValuesOf({ not: { path: 'choice', equals: 'a' } })).toEqual([]);
    expect(choiceValuesOf({ path: 'choice', equals: 'none' })).toEqual([]);
    expect(choiceValuesOf(undefined)).toEqual([]);
  });
});
