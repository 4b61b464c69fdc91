// Security: node ids and data keys such as __proto__, constructor and prototype are ordinary names all the way
// through a run: compile, inputs keyed by predecessor, templates, conditions, --answer, the journal and resume.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../src/actions/define.js';
import { dataJsonAction } from '../../src/actions/builtin/data-json.js';
import { dataTemplateAction } from '../../src/actions/builtin/data-template.js';
import { parseAnswerArgs, readJournal, resumeRun, runDir, startRun } from '../../src/engine/index.js';
import { echo } from '../engine/actions.js';
import { registryOf, removeDir, tempDir, workflow } from '../engine/helpers.js';
import { runWith } from '../actions/context.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
  // Nothing any test did may leak onto the shared prototypes.
  expect(Object.getOwnPropertyNames(Object.prototype).filter((name) => ['polluted', 'admin', 'x'].includes(name))).toEqual([]);
});

/** Asks one text question and returns the answer under a key named like a prototype member. */
const asker = defineAction({
  name: 't.ask',
  description: 'asks',
  data: z.unknown(),
  run: async ({ io }) => ({ constructor: await io.ask({ kind: 'text', message: 'value?' }) }),
});

const IDS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'];

describe('prototype-like names through the engine', () => {
  it('runs a graph whose node ids and data keys are prototype members, with answers, a journal and a resume', async () => {
    const projectDir = tempDir();
    dirs.push(projectDir);
    const nodes = Object.fromEntries(IDS.map((id) => [id, { action: 't.echo', data: JSON.parse(`{"__proto__": {"polluted": "${id}"}}`) as unknown }]));
    const wf = workflow(
      [
        ...Object.entries(nodes),
        ['ask', { action: 't.ask' }],
        ['join', { action: 't.echo', data: { p: '{{input.__proto__.__proto__.polluted}}', c: '{{nodes.constructor.output}}', a: '{{nodes.ask.output.constructor}}' } }],
      ],
      [
        ...IDS.map((id) => ({ from: id, to: 'join', when: { path: '__proto__.polluted', equals: id } })),
        { from: 'ask', to: 'join' },
      ],
    );
    const registry = registryOf(echo, asker);
    const first = await startRun({ workflow: wf, registry, projectDir, fsync: false }).done;
    expect(first.status).toBe('waiting');
    expect(first.waiting.map((question) => question.nodeId)).toEqual(['ask']);

    // --answer with ids that are prototype members parses into a Map, never onto an object.
    const answers = parseAnswerArgs(['ask=hello', '__proto__=ignored'], [...IDS, 'ask', 'join']);
    expect(answers.get('__proto__')).toEqual(['ignored']);
    answers.delete('__proto__');
    const resumed = await resumeRun(first.runId, { registry, projectDir, fsync: false, answers }).done;
    expect(resumed.status).toBe('succeeded');
    expect(resumed.outputs.get('join')).toEqual({ p: '__proto__', c: JSON.parse('{"__proto__": {"polluted": "constructor"}}'), a: 'hello' });
    // Restored from the journal on resume: the outputs of prototype-named nodes kept their own __proto__ keys.
    const restored = resumed.outputs.get('__proto__') as object;
    expect(Object.getPrototypeOf(restored)).toBe(Object.prototype);
    expect(Object.keys(restored)).toEqual(['__proto__']);
    const { events } = readJournal(`${runDir(projectDir, first.runId)}/journal.jsonl`);
    expect(events.filter((event) => event.type === 'node.succeeded').map((event) => (event as { nodeId: string }).nodeId).sort()).toEqual(
      [...IDS, 'ask', 'join'].sort(),
    );
  });

  it('refuses an answer for a node the graph does not have, even one named like a prototype member', () => {
    expect(() => parseAnswerArgs(['constructor=1'], ['a'])).toThrow(expect.objectContaining({ code: 'ANSWER_INVALID' }));
    expect(() =>
      startRun({ workflow: workflow({ a: { action: 't.echo' } }), registry: registryOf(echo), journal: false, answers: JSON.parse('{"__proto__": "x"}') as never }),
    ).toThrow(expect.objectContaining({ code: 'ANSWER_INVALID' }));
  });
});

describe('data.json and data.template never reach a prototype', () => {
  it.each(['__proto__', 'constructor', 'constructor.name', 'toString', '["__proto__"].polluted', 'items.length', 'items.constructor'])(
    'data.json %s finds nothing on plain data',
    async (path) => {
      await expect(runWith(dataJsonAction, { data: path, input: { items: [1, 2] } })).rejects.toMatchObject({ code: 'JSON_PATH_MISSING' });
    },
  );

  it('data.json: a field named __proto__ never sets a prototype, and an own __proto__ key of the input is readable', async () => {
    const input = JSON.parse('{"__proto__": {"admin": true}, "name": "n"}') as unknown;
    // Parsed, as graph data is: a `__proto__:` key in an object literal would set the prototype instead.
    const data = JSON.parse('{"fields": {"__proto__": "name", "admin": "[\\"__proto__\\"].admin"}}') as unknown;
    const { output } = await runWith(dataJsonAction, { data, input });
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    // The data schema (a zod record) drops the key; if it ever keeps it, Object.fromEntries makes it an own field.
    expect(Object.getOwnPropertyDescriptor(output, '__proto__')?.value ?? 'n').toBe('n');
    expect((output as { admin: unknown }).admin).toBe(true);
  });

  it('data.template placeholders read own properties only and cannot name anything but the input', async () => {
    await expect(runWith(dataTemplateAction, { data: 'x{{input.constructor}}', input: {} })).rejects.toMatchObject({
      code: 'TEMPLATE_VALUE_MISSING',
    });
    const { output } = await runWith(dataTemplateAction, { data: { template: '[{{input.toString}}]', missing: 'empty' }, input: 'text' });
    expect(output).toEqual({ text: '[]' });
    for (const template of ['{{process.env.HOME}}', '{{this.constructor}}', '{{secrets.KEY}}']) {
      expect(dataTemplateAction.data.safeParse(template).success, template).toBe(false);
    }
  });
});
