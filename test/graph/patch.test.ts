import { describe, expect, it } from 'vitest';
import { GraphValidationError } from '../../src/errors.js';
import { serializeWorkflow } from '../../src/graph/parse.js';
import { applyPatch, emptyWorkflow } from '../../src/graph/patch.js';
import type { PatchOp } from '../../src/graph/patch-ops.js';
import type { Workflow } from '../../src/graph/schema.js';
import { catalog, codesAndPaths, makeWorkflow } from './helpers.js';

function seed(): Workflow {
  return makeWorkflow(
    [
      ['1', { action: 'input.text', data: 'Post a tweet about the weather' }],
      ['2', { action: 'data.wolfram_alpha', label: 'facts' }],
      ['3', { action: 'confirm.edit' }],
      ['4', { action: 'output.tweet' }],
    ],
    [
      { from: '1', to: '2' },
      { from: '2', to: '3' },
      { from: '3', to: '4' },
    ],
    { name: 'weather-tweet' },
    [['custom', true]],
  );
}

function rejected(wf: Workflow, ops: PatchOp[]): GraphValidationError {
  const before = serializeWorkflow(wf);
  try {
    applyPatch(wf, ops, { catalog });
  } catch (error) {
    expect(serializeWorkflow(wf)).toBe(before);
    if (error instanceof GraphValidationError) return error;
    throw error;
  }
  throw new Error('expected the patch to be rejected');
}

function roundTrip(wf: Workflow, ops: PatchOp[]): ReturnType<typeof applyPatch> {
  const before = serializeWorkflow(wf);
  const result = applyPatch(wf, ops, { catalog });
  expect(serializeWorkflow(wf)).toBe(before);
  const undone = applyPatch(result.workflow, result.inverse, { catalog });
  expect(serializeWorkflow(undone.workflow)).toBe(before);
  expect(undone.workflow).toEqual(wf);
  return result;
}

describe('applyPatch', () => {
  it('adds a node and an edge, with a diff and an undo', () => {
    const result = roundTrip(seed(), [
      { op: 'addNode', id: '5', node: { action: 'output.console', label: 'log it' } },
      { op: 'addEdge', edge: { from: '3', to: '5', when: { path: 'approved', equals: false } } },
    ]);
    expect([...result.workflow.nodes.keys()]).toEqual(['1', '2', '3', '4', '5']);
    expect(result.diff).toEqual(['+ node "5" output.console "log it"', '+ edge 3 -> 5 when approved == false']);
    expect(result.inverse).toEqual([
      { op: 'removeEdge', from: '3', to: '5' },
      { op: 'removeNode', id: '5' },
    ]);
  });

  it('removes a node with its edges and restores both in place on undo', () => {
    const result = roundTrip(seed(), [
      { op: 'removeNode', id: '3' },
      { op: 'addEdge', edge: { from: '2', to: '4' } },
    ]);
    expect([...result.workflow.nodes.keys()]).toEqual(['1', '2', '4']);
    expect(result.workflow.edges).toEqual([
      { from: '1', to: '2' },
      { from: '2', to: '4' },
    ]);
    expect(result.diff).toEqual(['- node "3" confirm.edit', '- edge 2 -> 3', '- edge 3 -> 4', '+ edge 2 -> 4']);
    expect(result.inverse[1]).toEqual({ op: 'addNode', id: '3', node: { action: 'confirm.edit' }, before: '4' });
  });

  it('updates fields, removing with null (label, retry, ...) or unset (data), and undoes it exactly', () => {
    const result = roundTrip(seed(), [
      { op: 'updateNode', id: '2', set: { label: null, data: { query: 'weather in SF' }, retry: { attempts: 3 } } },
      { op: 'updateNode', id: '1', set: {}, unset: ['data'] },
    ]);
    expect(result.workflow.nodes.get('2')).toEqual({ action: 'data.wolfram_alpha', data: { query: 'weather in SF' }, retry: { attempts: 3 } });
    expect(result.workflow.nodes.get('1')).toEqual({ action: 'input.text' });
    expect(result.diff).toEqual([
      '~ node "2" data: (none) -> {"query":"weather in SF"}',
      '~ node "2" label: "facts" -> (none)',
      '~ node "2" retry: (none) -> {"attempts":3}',
      '~ node "1" data: "Post a tweet about the weather" -> (none)',
    ]);
  });

  it('sets data to null only when asked with data: null, and restores null data on undo', () => {
    const wf = seed();
    wf.nodes.set('4', { action: 'output.tweet', data: null });
    const result = roundTrip(wf, [{ op: 'updateNode', id: '4', set: { data: { text: 'x' } } }]);
    expect(result.inverse).toEqual([{ op: 'updateNode', id: '4', set: { data: null } }]);
  });

  it('removes and re-adds edges at their index', () => {
    const result = roundTrip(seed(), [
      { op: 'removeEdge', from: '2', to: '3' },
      { op: 'addEdge', edge: { from: '2', to: '3', label: 'again' }, index: 0 },
    ]);
    expect(result.workflow.edges[0]).toEqual({ from: '2', to: '3', label: 'again' });
    expect(result.diff).toEqual(['- edge 2 -> 3', '+ edge 2 -> 3 "again"']);
  });

  it('inserts a node before another', () => {
    const result = roundTrip(seed(), [{ op: 'addNode', id: '1b', node: { action: 'output.console' }, before: '2' }, { op: 'addEdge', edge: { from: '1', to: '1b' } }]);
    expect([...result.workflow.nodes.keys()]).toEqual(['1', '1b', '2', '3', '4']);
  });

  it('never changes the input, even when it fails half-way', () => {
    const wf = seed();
    const error = rejected(wf, [
      { op: 'addNode', id: '5', node: { action: 'output.console' } },
      { op: 'removeNode', id: '9' },
      { op: 'addNode', id: '1', node: { action: 'output.console' } },
      { op: 'removeEdge', from: '1', to: '4' },
      { op: 'addEdge', edge: { from: '1', to: '2' } },
      { op: 'addEdge', edge: { from: 'x', to: '2' } },
      { op: 'updateNode', id: 'nope', set: { label: 'x' } },
      { op: 'addNode', id: '6', node: { action: 'output.console' }, before: 'ghost' },
      { op: 'updateNode', id: '2', set: { label: 'x' }, unset: ['label'] },
    ]);
    expect(codesAndPaths(error.problems)).toEqual([
      ['PATCH_NODE_MISSING', [1, 'id']],
      ['PATCH_NODE_EXISTS', [2, 'id']],
      ['PATCH_EDGE_MISSING', [3]],
      ['PATCH_EDGE_EXISTS', [4, 'edge']],
      ['PATCH_NODE_MISSING', [5, 'edge', 'from']],
      ['PATCH_NODE_MISSING', [6, 'id']],
      ['PATCH_NODE_MISSING', [7, 'before']],
      ['PATCH_OP_INVALID', [8, 'unset']],
    ]);
  });

  it('rejects malformed operations (from a model) with paths into the op list', () => {
    const error = rejected(seed(), [
      { op: 'addNode', id: '5', node: { action: 'output.console', lable: 'x' } } as never,
      { op: 'renameNode', id: '1' } as never,
      { op: 'updateNode', id: '1', set: { timeoutMs: -5 } },
    ]);
    expect(error.problems.map((p) => p.code)).toEqual(['PATCH_OP_INVALID', 'PATCH_OP_INVALID', 'PATCH_OP_INVALID']);
    expect(error.problems.map((p) => p.path[0])).toEqual([0, 1, 2]);
    expect(error.problems[0]?.path).toEqual([0, 'node', 'lable']);
    const notAList = rejected(seed(), { op: 'removeNode', id: '1' } as never);
    expect(codesAndPaths(notAList.problems)).toEqual([['PATCH_OP_INVALID', []]]);
  });

  it('rejects a result that is invalid, with paths into the result', () => {
    const cycle = rejected(seed(), [{ op: 'addEdge', edge: { from: '4', to: '1' } }]);
    expect(codesAndPaths(cycle.problems.filter((p) => p.severity === 'error'))).toEqual([['GRAPH_CYCLE', ['edges', 3]]]);
    const unknown = rejected(seed(), [{ op: 'updateNode', id: '3', set: { action: 'confirm.edti' } }]);
    expect(codesAndPaths(unknown.problems)).toEqual([['ACTION_UNKNOWN', ['nodes', '3', 'action']]]);
    const loop = rejected(seed(), [{ op: 'addEdge', edge: { from: '2', to: '2' } }]);
    expect(loop.problems.map((p) => p.code)).toContain('EDGE_SELF_LOOP');
  });

  it('builds a workflow from nothing', () => {
    const result = roundTrip(emptyWorkflow(), [
      { op: 'addNode', id: 'a', node: { action: 'input.text' } },
      { op: 'addNode', id: 'b', node: { action: 'output.console' } },
      { op: 'addEdge', edge: { from: 'a', to: 'b' } },
    ]);
    expect(serializeWorkflow(result.workflow)).toContain('"a"');
  });

  it('does not share objects with the ops it was given', () => {
    const data = { query: 'q' };
    const result = applyPatch(seed(), [{ op: 'updateNode', id: '2', set: { data } }], { catalog });
    data.query = 'changed';
    expect(result.workflow.nodes.get('2')?.data).toEqual({ query: 'q' });
  });

  it('handles odd ids in ops', () => {
    const result = roundTrip(seed(), [
      { op: 'addNode', id: '__proto__', node: { action: 'output.console' } },
      { op: 'addNode', id: 'constructor', node: { action: 'output.console' }, before: '__proto__' },
      { op: 'addEdge', edge: { from: '4', to: 'constructor' } },
      { op: 'addEdge', edge: { from: 'constructor', to: '__proto__' } },
    ]);
    expect([...result.workflow.nodes.keys()]).toEqual(['1', '2', '3', '4', 'constructor', '__proto__']);
    expect(result.diff[0]).toBe('+ node "__proto__" output.console');
  });
});
