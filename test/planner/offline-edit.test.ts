// Simple edits without a model, applied with applyPatch; anything else asks for a model.
import { describe, expect, it } from 'vitest';
import { PlannerError } from '../../src/errors.js';
import { applyPatch } from '../../src/graph/patch.js';
import { parseWorkflow } from '../../src/graph/parse.js';
import { PlannerCatalog } from '../../src/planner/catalog-schema.js';
import { planOfflineEdit } from '../../src/planner/offline-edit.js';
import { testRegistry } from './helpers/fixtures.js';

const registry = testRegistry();
const catalog = PlannerCatalog.fromRegistry(registry);
const base = parseWorkflow(`{
  "nodes": {
    "1": { "action": "web.fetch", "data": { "url": "https://example.com/" } },
    "2": { "action": "text.summarize" },
    "3": { "action": "output.console" }
  },
  "edges": [{ "from": "1", "to": "2" }, { "from": "2", "to": "3" }]
}`);

const edit = (instruction: string) => applyPatch(base, planOfflineEdit(base, instruction, registry, catalog), { catalog: registry }).workflow;
const edgeList = (wf: typeof base) => wf.edges.map((e) => `${e.from}->${e.to}`);

describe('offline edits', () => {
  it('adds a step after a node, moving its outgoing edges', () => {
    const wf = edit('add a step that saves it to out/sum.md after node 2');
    expect(wf.nodes.get('4')).toEqual({ action: 'output.file', data: { path: 'out/sum.md' } });
    expect(edgeList(wf)).toEqual(['1->2', '2->4', '4->3']);
  });

  it('adds a step before a node, at the end, at the start', () => {
    expect(edgeList(edit('insert a review step before node 3'))).toEqual(['1->2', '2->4', '4->3']);
    expect(edgeList(edit('add a step that saves it to a.txt at the end'))).toEqual(['1->2', '2->3', '3->4']);
    const first = edit('add a step that asks me for a topic at the start');
    expect(first.nodes.get('4')?.action).toBe('input.text');
    expect([...first.nodes.keys()]).toEqual(['4', '1', '2', '3']);
    expect(edgeList(first)).toEqual(['1->2', '2->3', '4->1']);
  });

  it('removes a node and bridges the gap, by id or by what it does', () => {
    expect(edgeList(edit('remove node 2'))).toEqual(['1->3']);
    const wf = edit('delete the summarize step');
    expect(wf.nodes.has('2')).toBe(false);
    expect(edgeList(wf)).toEqual(['1->3']);
  });

  it('replaces a node, connects and disconnects, sets a data field', () => {
    const replaced = edit('replace node 3 with a step that saves it to out/final.md');
    expect(replaced.nodes.get('3')).toEqual({ action: 'output.file', data: { path: 'out/final.md' } });
    expect(edgeList(edit('connect 1 to 3'))).toEqual(['1->2', '2->3', '1->3']);
    expect(edgeList(edit('disconnect 3 from 2'))).toEqual(['1->2']);
    expect(edit('set the url of node 1 to "https://example.org/feed"').nodes.get('1')?.data).toEqual({ url: 'https://example.org/feed' });
    expect(edit('set the sentences of node 2 to 4').nodes.get('2')?.data).toEqual({ sentences: 4 });
  });

  it('says when it needs a model, or cannot tell which node is meant', () => {
    const codeOf = (instruction: string) => {
      try {
        planOfflineEdit(base, instruction, registry, catalog);
      } catch (error) {
        expect(error).toBeInstanceOf(PlannerError);
        expect((error as PlannerError).exitCode).toBe(2);
        return (error as PlannerError).code;
      }
      return undefined;
    };
    expect(codeOf('make it more robust')).toBe('PLANNER_EDIT_NEEDS_MODEL');
    expect(codeOf('add a step that frobnicates the wibble after node 1')).toBe('PLANNER_EDIT_NEEDS_MODEL');
    expect(codeOf('remove node 9')).toBe('PLANNER_EDIT_NODE_UNKNOWN');
  });
});
