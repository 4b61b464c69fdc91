// The offline planner: steps, matching, data from the text, branches, and output that always validates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinActions } from '../../src/actions/builtin/index.js';
import { ActionRegistry } from '../../src/actions/registry.js';
import { PlannerError } from '../../src/errors.js';
import type { Workflow } from '../../src/graph/schema.js';
import { validateWorkflow } from '../../src/graph/validate.js';
import { OfflinePlanner } from '../../src/planner/offline.js';
import { dates, emails, fileNames, phoneNumbers, splitSteps, times, urls } from '../../src/planner/offline-text.js';
import { stem, terms } from '../../src/planner/text-match.js';
import { testRegistry } from './helpers/fixtures.js';

const registry = testRegistry();
const planner = new OfflinePlanner(registry);
const actions = (wf: Workflow) => [...wf.nodes.values()].map((n) => n.action);
const errors = (wf: Workflow, catalog = registry) => validateWorkflow(wf, { catalog }).filter((p) => p.severity === 'error');

describe('splitting a task into steps', () => {
  it('splits on then, after that, commas and "and", keeping URLs, quotes and dates whole', () => {
    expect(splitSteps('Fetch https://a.example/x.html, summarise it and then save it to "out, final.md". After that print it').map((s) => s.text)).toEqual([
      'Fetch https://a.example/x.html',
      'summarise it',
      'save it to "out, final.md"',
      'print it',
    ]);
    expect(splitSteps('Book a car on August 1, 2023 and print a note').map((s) => s.text)).toEqual(['Book a car on August 1, 2023', 'print a note']);
  });

  it('reads "if ..., ... otherwise ..." as two branches', () => {
    const steps = splitSteps('Review the draft, and if I approve it, save it to out.md, otherwise print it');
    expect(steps.map((s) => [s.text, s.branch?.side])).toEqual([
      ['Review the draft', undefined],
      ['save it to out.md', 'then'],
      ['print it', 'else'],
    ]);
    expect(steps[1]?.branch?.condition).toBe('I approve it');
  });
});

describe('values in text', () => {
  it('finds URLs, e-mail addresses, file names, phone numbers, dates and times', () => {
    const text = 'Mail bob@example.com the file out/report.pdf from https://x.example/a?b=1, call +1 555-123-4567 on August 1st, 2023 at 9:30 AM';
    expect(urls(text)).toEqual(['https://x.example/a?b=1']);
    expect(emails(text)).toEqual(['bob@example.com']);
    expect(fileNames(text)).toEqual(['out/report.pdf']);
    expect(phoneNumbers(text)).toEqual(['+1 555-123-4567']);
    expect(dates(text)).toEqual(['2023-08-01']);
    expect(dates('on the 1st of November, 2022 and 2024-02-29')).toEqual(['2024-02-29', '2022-11-01']);
    expect(times(text)).toEqual(['9:30 AM']);
  });

  it('stems and maps synonyms so different words meet', () => {
    expect(stem('posting')).toBe(stem('posted'));
    expect(stem('approved')).toBe(stem('approve'));
    expect(terms('purchase')).toEqual(terms('buy'));
    expect(terms('the summarised articles')).toEqual(terms('summary news'));
    expect(terms('the summarised articles')).not.toEqual(terms('weather news'));
  });
});

describe('planning', () => {
  it('matches steps to actions and fills obvious data fields', () => {
    const wf = planner.plan('Fetch https://example.com/news, summarise it in 3 sentences and save it to out/news.md');
    expect(actions(wf)).toEqual(['web.fetch', 'text.summarize', 'output.file']);
    expect(wf.nodes.get('1')?.data).toEqual({ url: 'https://example.com/news' });
    expect(wf.nodes.get('2')?.data).toEqual({ sentences: 3 });
    expect(wf.nodes.get('3')?.data).toEqual({ path: 'out/news.md' });
    expect(wf.edges).toEqual([
      { from: '1', to: '2' },
      { from: '2', to: '3' },
    ]);
    expect(wf.description).toBe('Fetch https://example.com/news, summarise it in 3 sentences and save it to out/news.md');
    expect(errors(wf)).toEqual([]);
  });

  it('starts from the task text when the first step works on its input', () => {
    const wf = planner.plan('Summarise this and print it');
    expect(actions(wf)).toEqual(['input.text', 'text.summarize', 'output.console']);
    expect(wf.nodes.get('1')?.data).toBe('Summarise this and print it');
  });

  it('branches on a condition with the source action\'s boolean output', () => {
    const wf = planner.plan('Summarise the text, let me review it, and if I approve it, save it to out/ok.md, otherwise print it');
    expect(actions(wf)).toEqual(['input.text', 'text.summarize', 'confirm.edit', 'output.file', 'output.console']);
    expect(wf.edges.filter((e) => e.from === '3')).toEqual([
      { from: '3', to: '4', when: { path: 'approved', equals: true }, label: 'I approve it' },
      { from: '3', to: '5', when: { path: 'approved', equals: false }, label: 'otherwise' },
    ]);
    expect(errors(wf)).toEqual([]);
  });

  it('a clause that only adds a value to the step before joins it; two clauses with values stay two steps', () => {
    const joined = planner.plan('Save the summary to a file. Please save it as out/s.md');
    expect(actions(joined)).toEqual(['output.file']);
    expect(joined.nodes.get('1')?.data).toEqual({ path: 'out/s.md' });
    const twice = planner.plan('print "a" then print "b"');
    expect(actions(twice)).toEqual(['output.console', 'output.console']);
    expect([...twice.nodes.values()].map((n) => n.data)).toEqual(['a', 'b']);
  });

  it('falls back to input.text with the task when nothing matches', () => {
    const wf = planner.plan('zqxv wibble frobnicate');
    expect(actions(wf)).toEqual(['input.text']);
    expect(wf.nodes.get('1')?.data).toBe('zqxv wibble frobnicate');
  });

  it('with no actions at all: PLANNER_NO_ACTIONS', () => {
    expect(() => new OfflinePlanner(new ActionRegistry()).plan('anything')).toThrow(PlannerError);
  });

  it('always produces a workflow that validates, whatever the task (built-in actions)', () => {
    const builtins = new ActionRegistry();
    for (const action of builtinActions) builtins.register(action);
    const offline = new OfflinePlanner(builtins);
    const word = fc.constantFrom(
      'fetch', 'https://example.com/a.json', 'then', 'and', 'if', 'otherwise', 'save', 'to', 'out/x.md', 'print', '"hello"',
      'ask', 'me', 'review', 'it', 'wait', '5', 'seconds', ',', 'summarise', 'choose', 'between', 'a', 'b', 'post', 'when', 'approved',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 14 }), (parts) => {
        const task = parts.join(' ');
        if (task.trim() === '') return;
        const wf = offline.plan(task);
        expect(errors(wf, builtins)).toEqual([]);
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });
});
