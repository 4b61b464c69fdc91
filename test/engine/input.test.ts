// Human input through the IO port: headless answers, --yes defaults, stopping to wait, interactive hosts.
import { describe, expect, it } from 'vitest';
import type { Answer, AskRequest, IOPort } from '../../src/actions/define.js';
import { RunError } from '../../src/errors.js';
import { coerceAnswer, createHeadlessPort, parseAnswerArgs, startRun } from '../../src/engine/index.js';
import { asker, echo, gated } from './actions.js';
import { deferred, flush, ofType, record, registryOf, workflow } from './helpers.js';

const base = { journal: false, env: {} } as const;

describe('headless input', () => {
  it('stops waiting with the question when nobody can answer; other branches still finish', async () => {
    const wf = workflow(
      { q: { action: 't.ask', data: { message: 'Tweet text?' } }, after: { action: 't.echo' }, other: { action: 't.echo', data: 'x' } },
      [{ from: 'q', to: 'after' }],
    );
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(asker, echo) });
    const events = record(handle);
    const result = await handle.done;
    expect(result.status).toBe('waiting');
    expect(result.waiting).toEqual([{ nodeId: 'q', index: 0, request: { kind: 'text', message: 'Tweet text?' } }]);
    expect(Object.fromEntries(handle.snapshot().nodes)).toEqual({ q: 'waiting', after: 'pending', other: 'succeeded' });
    expect(ofType(events, 'input.asked')).toHaveLength(1);
    expect(ofType(events, 'node.waiting')).toMatchObject([{ nodeId: 'q', index: 0 }]);
    expect(ofType(events, 'run.finished')[0]).toMatchObject({ status: 'waiting', waiting: [{ nodeId: 'q' }] });
  });

  it('answers given up front are used in order and journaled as provided', async () => {
    const wf = workflow({ q: { action: 't.ask', data: { twice: true } } });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(asker), answers: { q: ['first', 'second'] } });
    const events = record(handle);
    const result = await handle.done;
    expect(result.outputs.get('q')).toEqual({ answer: 'first', second: 'second' });
    expect(ofType(events, 'input.answered').map((e) => [e.index, e.answer, e.source])).toEqual([
      [0, 'first', 'provided'],
      [1, 'second', 'provided'],
    ]);
    expect(ofType(events, 'input.asked')).toHaveLength(0);
  });

  it('coerces answers to the question: yes/no for confirm, a listed value for choice', async () => {
    const wf = workflow({
      c: { action: 't.ask', data: { kind: 'confirm' } },
      k: { action: 't.ask', data: { kind: 'choice', choices: [{ value: 'fast', label: 'Fast lane' }, { value: 'slow' }] } },
    });
    const result = await startRun({ ...base, workflow: wf, registry: registryOf(asker), answers: new Map([['c', ['yes']], ['k', ['fast lane']]]) }).done;
    expect(result.outputs.get('c')).toEqual({ answer: true });
    expect(result.outputs.get('k')).toEqual({ answer: 'fast' });
  });

  it('a wrong answer does not fail the run: the node waits again, saying what was wrong', async () => {
    const wf = workflow({ c: { action: 't.ask', data: { kind: 'confirm', message: 'Post it?' } } });
    const result = await startRun({ ...base, workflow: wf, registry: registryOf(asker), answers: { c: 'maybe' } }).done;
    expect(result.status).toBe('waiting');
    expect(result.waiting[0]!.request.message).toContain('must be yes or no');
  });

  it('--yes takes defaults and confirms; a question without a default still waits', async () => {
    const wf = workflow({
      c: { action: 't.ask', data: { kind: 'confirm' } },
      e: { action: 't.ask', data: { kind: 'edit', default: 'draft text' } },
      t: { action: 't.ask', data: { kind: 'text' } },
    });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(asker), io: createHeadlessPort({ yes: true }) });
    const events = record(handle);
    const result = await handle.done;
    expect(result.outputs.get('c')).toEqual({ answer: true });
    expect(result.outputs.get('e')).toEqual({ answer: 'draft text' });
    expect(result.status).toBe('waiting');
    expect(result.waiting.map((w) => w.nodeId)).toEqual(['t']);
    expect(ofType(events, 'input.answered').every((e) => e.source === 'default')).toBe(true);
  });

  it('answers for a node the workflow does not have are refused before the run starts', () => {
    expect(() => startRun({ ...base, workflow: workflow({ q: { action: 't.ask' } }), registry: registryOf(asker), answers: { qq: 'x' } })).toThrow(
      expect.objectContaining({ code: 'ANSWER_INVALID', exitCode: 2 }),
    );
  });

  it('a failure with onError "fail" wins over nodes waiting for input', async () => {
    const failing = gated();
    const wf = workflow({ q: { action: 't.ask' }, g: { action: 't.gate' } });
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(asker, failing.action) });
    await flush();
    failing.fail('g', new Error('down'));
    const result = await handle.done;
    expect(result.status).toBe('failed');
    expect(result.failures).toMatchObject([{ nodeId: 'g', error: { message: 'down' } }]);
    expect(handle.nodeStatus('q')).toBe('waiting');
  });
});

describe('interactive hosts', () => {
  it('the run is waiting while a person is asked, and carries on with the answer', async () => {
    const asked: (AskRequest & { nodeId: string })[] = [];
    const answer = deferred<Answer>();
    const port: IOPort = {
      ask(request) {
        asked.push(request);
        return answer.promise;
      },
    };
    const wf = workflow({ q: { action: 't.ask', data: { message: 'Approve?', kind: 'confirm' } }, n: { action: 't.echo' } }, [{ from: 'q', to: 'n' }]);
    const handle = startRun({ ...base, workflow: wf, registry: registryOf(asker, echo), io: port });
    const events = record(handle);
    await flush();
    expect(asked).toEqual([{ kind: 'confirm', message: 'Approve?', nodeId: 'q' }]);
    expect(handle.snapshot().status).toBe('waiting');
    expect(handle.nodeStatus('q')).toBe('waiting');
    answer.resolve(false);
    const result = await handle.done;
    expect(result.status).toBe('succeeded');
    expect(result.outputs.get('n')).toEqual({ answer: false });
    expect(ofType(events, 'input.answered')).toMatchObject([{ nodeId: 'q', answer: false, source: 'host' }]);
  });

  it('cancelling while a person is asked aborts the question', async () => {
    let signal: AbortSignal | undefined;
    const port: IOPort = {
      ask(_request, s) {
        signal = s;
        return new Promise((_resolve, reject) => s.addEventListener('abort', () => reject(s.reason)));
      },
    };
    const handle = startRun({ ...base, workflow: workflow({ q: { action: 't.ask' } }), registry: registryOf(asker), io: port });
    await flush();
    handle.cancel();
    expect((await handle.done).status).toBe('cancelled');
    expect(signal?.aborted).toBe(true);
  });
});

describe('answers from the command line', () => {
  it('parses <nodeId>=<value> against the ids, ids with "=" included', () => {
    const answers = parseAnswerArgs(['3=hello=world', 'a=b=c', 'a=b=d', '3='], ['3', 'a=b', 'a']);
    expect(Object.fromEntries(answers)).toEqual({ '3': ['hello=world', ''], 'a=b': ['c', 'd'] });
  });

  it('refuses unknown ids with a suggestion', () => {
    expect(() => parseAnswerArgs(['4=x'], ['3', '42'])).toThrow(/no node "4"/);
    expect(() => parseAnswerArgs(['novalue'], ['3'])).toThrow(RunError);
  });

  it('coerceAnswer', () => {
    expect(coerceAnswer('n', { kind: 'confirm', message: 'm' }, 'N')).toBe(false);
    expect(coerceAnswer('n', { kind: 'text', message: 'm' }, 'free text')).toBe('free text');
    expect(() => coerceAnswer('n', { kind: 'choice', message: 'm', choices: [{ value: 'a' }] }, 'b')).toThrow(/not one of: a/);
  });
});
