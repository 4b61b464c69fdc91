// Property-based tests on random workflows with odd ids and random DAG edges: serialize/parse is the identity,
// patches apply all or nothing, and the inverse of a patch restores the original exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphValidationError } from '../../src/errors.js';
import { fromGraphology, toGraphology } from '../../src/graph/convert.js';
import { parseWorkflow, serializeWorkflow } from '../../src/graph/parse.js';
import { applyPatch } from '../../src/graph/patch.js';
import type { PatchOp } from '../../src/graph/patch-ops.js';
import type { Condition, Json, Workflow, WorkflowEdge, WorkflowNode } from '../../src/graph/schema.js';
import { validateWorkflow } from '../../src/graph/validate.js';
import { topologicalOrder } from '../../src/graph/order.js';

const ACTIONS = ['input.text', 'output.console', 'data.fetch', 'confirm.edit'];

const oddId = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '10', '2', '1', '0', 'ü', '😀', 'a b', '"q"', '\\', 'x'.repeat(300));
const id = fc.oneof(oddId, fc.string({ minLength: 1, maxLength: 6 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }));

/** JSON has no -0 (JSON.stringify writes 0), so generated values never hold one. */
function withoutNegativeZero(value: unknown): Json {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: withoutNegativeZero(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value as Json;
}

const json: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }).map(withoutNegativeZero);

const node: fc.Arbitrary<WorkflowNode> = fc.record(
  {
    action: fc.constantFrom(...ACTIONS),
    data: json,
    label: fc.string({ maxLength: 20 }),
    retry: fc.record(
      {
        attempts: fc.integer({ min: 1, max: 100 }),
        backoffMs: fc.integer({ min: 0, max: 10_000 }),
        factor: fc.integer({ min: 1, max: 4 }),
        jitter: fc.boolean(),
      },
      { requiredKeys: ['attempts'] },
    ),
    timeoutMs: fc.integer({ min: 1, max: 100_000 }),
    onError: fc.constantFrom('fail' as const, 'continue' as const),
  },
  { requiredKeys: ['action'] },
);

const leaf: fc.Arbitrary<Condition> = fc.record(
  {
    path: fc.string({ maxLength: 10 }),
    equals: json,
    in: fc.array(json, { maxLength: 3 }),
    exists: fc.boolean(),
    matches: fc.constantFrom('^a', 'b$', '[0-9]+', 'ok|yes'),
    gt: fc.integer(),
    lte: fc.integer(),
  },
  { requiredKeys: [] },
);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((all) => ({ all })) },
  { weight: 1, arbitrary: leaf.map((not) => ({ not })) },
);

/** A random DAG: node ids in file order, edges only from earlier to later nodes, each pair at most once. */
const workflow: fc.Arbitrary<Workflow> = fc
  .uniqueArray(id, { minLength: 1, maxLength: 8 })
  .chain((ids) =>
    fc.record({
      ids: fc.constant(ids),
      nodes: fc.array(node, { minLength: ids.length, maxLength: ids.length }),
      pairs:
        ids.length < 2
          ? fc.constant<[number, number][]>([])
          : fc.uniqueArray(
              fc
                .tuple(fc.nat(ids.length - 1), fc.nat(ids.length - 1))
                .filter(([a, b]) => a !== b)
                .map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]),
              { selector: ([a, b]) => `${a},${b}`, maxLength: 12 },
            ),
      edgeExtras: fc.array(fc.record({ when: condition, label: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }), {
        minLength: 12,
        maxLength: 12,
      }),
      meta: fc.record({ name: fc.string(), description: fc.string(), version: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
      extra: fc.uniqueArray(fc.tuple(fc.constantFrom('__proto__', 'x-editor', 'notes', '9', 'constructor'), json), {
        selector: ([key]) => key,
        maxLength: 3,
      }),
    }),
  )
  .map(({ ids, nodes, pairs, edgeExtras, meta, extra }) => ({
    ...meta,
    nodes: new Map(ids.map((nodeId, i) => [nodeId, nodes[i]!])),
    edges: pairs.map(([a, b], i): WorkflowEdge => ({ from: ids[a]!, to: ids[b]!, ...edgeExtras[i] })),
    extra: new Map(extra),
  }));

function patchOps(wf: Workflow): fc.Arbitrary<PatchOp[]> {
  const existing = [...wf.nodes.keys()];
  const anyId = fc.oneof(fc.constantFrom(...existing), id);
  const op: fc.Arbitrary<PatchOp> = fc.oneof(
    fc.record({ op: fc.constant('addNode' as const), id: anyId, node, before: anyId }, { requiredKeys: ['op', 'id', 'node'] }),
    fc.record({ op: fc.constant('removeNode' as const), id: anyId }),
    fc.record(
      {
        op: fc.constant('updateNode' as const),
        id: anyId,
        set: fc.record(
          {
            action: fc.constantFrom(...ACTIONS),
            data: json,
            label: fc.option(fc.string({ maxLength: 8 })),
            timeoutMs: fc.option(fc.integer({ min: 1, max: 1000 })),
            onError: fc.option(fc.constantFrom('fail' as const, 'continue' as const)),
          },
          { requiredKeys: [] },
        ),
        unset: fc.uniqueArray(fc.constantFrom('data' as const, 'retry' as const), { maxLength: 2 }),
      },
      { requiredKeys: ['op', 'id', 'set'] },
    ),
    fc.record(
      {
        op: fc.constant('addEdge' as const),
        edge: fc.record({ from: anyId, to: anyId, when: condition, label: fc.string({ maxLength: 5 }) }, { requiredKeys: ['from', 'to'] }),
        index: fc.nat(20),
      },
      { requiredKeys: ['op', 'edge'] },
    ),
    fc.record({ op: fc.constant('removeEdge' as const), from: anyId, to: anyId }),
  );
  return fc.array(op, { maxLength: 6 });
}

describe('properties', () => {
  it('parse after serialize is the identity (ids, node order, edge order, extra keys)', () => {
    fc.assert(
      fc.property(workflow, (wf) => {
        expect(validateWorkflow(wf).filter((p) => p.severity === 'error')).toEqual([]);
        const text = serializeWorkflow(wf);
        const back = parseWorkflow(text);
        expect(back).toEqual(wf);
        expect([...back.nodes.keys()]).toEqual([...wf.nodes.keys()]);
        expect([...back.extra.keys()]).toEqual([...wf.extra.keys()]);
        expect(serializeWorkflow(back)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('the compact form is the same workflow on one line (ids, node order, field order, extra keys)', () => {
    fc.assert(
      fc.property(workflow, (wf) => {
        const compact = serializeWorkflow(wf, { compact: true });
        expect(compact.trimEnd()).not.toContain('\n');
        const back = parseWorkflow(compact);
        expect(back).toEqual(wf);
        expect([...back.nodes.keys()]).toEqual([...wf.nodes.keys()]);
        expect([...back.extra.keys()]).toEqual([...wf.extra.keys()]);
        expect(serializeWorkflow(back)).toBe(serializeWorkflow(wf));
      }),
      { numRuns: 200 },
    );
  });

  it('graphology round trips are the identity', () => {
    fc.assert(
      fc.property(workflow, (wf) => {
        expect(serializeWorkflow(fromGraphology(toGraphology(wf)))).toBe(serializeWorkflow(wf));
      }),
      { numRuns: 100 },
    );
  });

  it('a topological order puts every edge forward', () => {
    fc.assert(
      fc.property(workflow, (wf) => {
        const order = topologicalOrder(wf);
        expect(order).toHaveLength(wf.nodes.size);
        const at = new Map(order.map((nodeId, i) => [nodeId, i]));
        for (const edge of wf.edges) expect(at.get(edge.from)!).toBeLessThan(at.get(edge.to)!);
      }),
      { numRuns: 100 },
    );
  });

  it('random patches apply all or nothing, and their inverse restores the original exactly', () => {
    let applied = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        workflow.chain((wf) => fc.tuple(fc.constant(wf), patchOps(wf))),
        ([wf, ops]) => {
          const before = serializeWorkflow(wf);
          const snapshot = { nodes: [...wf.nodes], edges: [...wf.edges] };
          let result;
          try {
            result = applyPatch(wf, ops);
          } catch (error) {
            expect(error).toBeInstanceOf(GraphValidationError);
            expect((error as GraphValidationError).problems.some((p) => p.severity === 'error')).toBe(true);
            refused++;
          }
          // Whatever happened, the input is untouched.
          expect(serializeWorkflow(wf)).toBe(before);
          expect([...wf.nodes]).toEqual(snapshot.nodes);
          expect(wf.edges).toEqual(snapshot.edges);
          if (!result) return;
          applied++;
          expect(validateWorkflow(result.workflow).filter((p) => p.severity === 'error')).toEqual([]);
          const undone = applyPatch(result.workflow, result.inverse);
          expect(serializeWorkflow(undone.workflow)).toBe(before);
          expect(undone.workflow).toEqual(wf);
          // Re-applying the same ops to the restored graph gives the same result again.
          expect(serializeWorkflow(applyPatch(undone.workflow, ops).workflow)).toBe(serializeWorkflow(result.workflow));
        },
      ),
      { numRuns: 400 },
    );
    // Both outcomes must really be exercised for the property to mean something.
    expect(applied).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
