// The model-facing schema compiled from the registry: strict-mode rules hold everywhere, optional fields are
// nullable and mapped back, each action's data schema is its own anyOf branch, and large catalogs go compact.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinActions } from '../../src/actions/builtin/index.js';
import { ActionRegistry } from '../../src/actions/registry.js';
import { PlannerCatalog, fitsStrictLimits } from '../../src/planner/catalog-schema.js';
import { answerToWorkflow } from '../../src/planner/answer.js';
import { validateWorkflow } from '../../src/graph/validate.js';
import { isPlainObject, type JsonSchema } from '../../src/planner/strict-schema.js';
import { generatedRegistry, testRegistry } from './helpers/fixtures.js';

/** Every object in a strict schema: additionalProperties false and every property required. */
function strictViolations(schema: unknown, path = '$'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((item, i) => strictViolations(item, `${path}[${i}]`));
  if (!isPlainObject(schema)) return [];
  const found: string[] = [];
  if (schema.type === 'object' || isPlainObject(schema.properties)) {
    const keys = Object.keys((schema.properties ?? {}) as object).sort();
    const required = [...((schema.required ?? []) as string[])].sort();
    if (schema.additionalProperties !== false) found.push(`${path}: additionalProperties is not false`);
    if (JSON.stringify(keys) !== JSON.stringify(required)) found.push(`${path}: required ${required} != properties ${keys}`);
  }
  for (const [key, value] of Object.entries(schema)) found.push(...strictViolations(value, `${path}.${key}`));
  return found;
}

const registry = testRegistry();
const catalog = PlannerCatalog.fromRegistry(registry);

describe('workflow schema (full)', () => {
  const schema = catalog.workflowSchema('full');

  it('obeys strict structured-output rules everywhere', () => {
    expect(schema.strict).toBe(true);
    expect(strictViolations(schema.schema)).toEqual([]);
  });

  it('has one node branch per action, tied to its name', () => {
    const items = ((schema.schema.properties as JsonSchema).nodes as JsonSchema).items as JsonSchema;
    const branches = items.anyOf as JsonSchema[];
    expect(branches).toHaveLength(registry.size);
    const names = branches.map((b) => ((b.properties as JsonSchema).action as JsonSchema).enum);
    expect(names).toEqual(registry.names().sort().map((n) => [n]));
  });

  it('turns optional fields into nullable ones and free-keyed maps into JSON text', () => {
    const items = ((schema.schema.properties as JsonSchema).nodes as JsonSchema).items as JsonSchema;
    const branch = (name: string) =>
      ((items.anyOf as JsonSchema[]).find((b) => ((b.properties as JsonSchema).action as JsonSchema).enum?.toString() === name)?.properties as JsonSchema)
        .data as JsonSchema;
    const fetch = branch('web.fetch');
    expect((fetch.properties as JsonSchema).timeoutMs).toEqual({ type: ['integer', 'null'], exclusiveMinimum: 0 });
    expect((fetch.properties as JsonSchema).url).toMatchObject({ type: 'string' });
    const post = branch('http.post');
    expect((post.properties as JsonSchema).headers).toEqual({ type: ['string', 'null'], description: 'JSON text of the value' });
    // A node whose data is optional may answer null.
    expect(JSON.stringify(branch('text.summarize'))).toContain('"null"');
  });

  it('a strict answer validates against the schema and decodes into a valid workflow', () => {
    const answer = {
      nodes: [
        { id: '1', action: 'web.fetch', data: { url: 'https://example.com/', timeoutMs: null } },
        { id: '2', action: 'text.summarize', data: null },
        { id: '3', action: 'confirm.edit', data: { prompt: null } },
        { id: '4', action: 'http.post', data: { url: 'https://hooks.example.com/x', headers: '{"x-token":"t"}' } },
      ],
      edges: [
        { from: '1', to: '2', when: null },
        { from: '2', to: '3', when: null },
        { from: '3', to: '4', when: { path: 'approved', op: 'equals', value: true } },
      ],
    };
    const check = z.fromJSONSchema(schema.schema as Parameters<typeof z.fromJSONSchema>[0]);
    expect(check.safeParse(answer).success).toBe(true);
    expect(check.safeParse({ ...answer, nodes: [{ id: '1', action: 'web.fetch', data: { url: 'x' } }] }).success).toBe(false);

    const { workflow, problems } = answerToWorkflow(answer, catalog, { name: 'x', description: 'task' });
    expect(problems).toEqual([]);
    expect(workflow?.nodes.get('1')).toEqual({ action: 'web.fetch', data: { url: 'https://example.com/' } });
    expect(workflow?.nodes.get('2')).toEqual({ action: 'text.summarize' });
    expect(workflow?.nodes.get('3')).toEqual({ action: 'confirm.edit', data: {} });
    expect(workflow?.nodes.get('4')).toEqual({ action: 'http.post', data: { url: 'https://hooks.example.com/x', headers: { 'x-token': 't' } } });
    expect(workflow?.edges[2]).toEqual({ from: '3', to: '4', when: { path: 'approved', equals: true } });
    expect(validateWorkflow(workflow!, { catalog: registry }).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('compiles the built-in actions into a strict schema', () => {
    const builtins = new ActionRegistry();
    for (const action of builtinActions) builtins.register(action);
    const compiled = PlannerCatalog.fromRegistry(builtins).workflowSchema('full');
    expect(strictViolations(compiled.schema)).toEqual([]);
    expect(fitsStrictLimits(compiled.schema)).toBe(true);
  });
});

describe('patch schema', () => {
  it('is strict, with the five operations and the node branches shared through $defs', () => {
    const schema = catalog.patchSchema('full');
    expect(strictViolations(schema.schema)).toEqual([]);
    const ops = (((schema.schema.properties as JsonSchema).ops as JsonSchema).items as JsonSchema).anyOf as JsonSchema[];
    expect(ops.map((op) => ((op.properties as JsonSchema).op as JsonSchema).enum)).toEqual([
      ['addNode'],
      ['removeNode'],
      ['updateNode'],
      ['addEdge'],
      ['removeEdge'],
    ]);
    expect(((schema.schema.$defs as JsonSchema).node as JsonSchema).anyOf).toHaveLength(registry.size);
  });
});

describe('choosing the variant', () => {
  it('auto keeps the full schema for a small catalog', () => {
    expect(catalog.workflowSchema('auto').variant).toBe('full');
  });

  it('auto goes compact for 200 actions: action is an enum of all names, data is free', () => {
    const big = PlannerCatalog.fromRegistry(generatedRegistry(200));
    const full = big.workflowSchema('full');
    const auto = big.workflowSchema('auto');
    expect(full.chars).toBeGreaterThan(auto.chars * 5);
    expect(auto.variant).toBe('compact');
    expect(auto.strict).toBe(false);
    const node = ((auto.schema.properties as JsonSchema).nodes as JsonSchema).items as JsonSchema;
    expect(((node.properties as JsonSchema).action as JsonSchema).enum).toHaveLength(200);
  });

  it('counts what strict mode limits', () => {
    const many = { type: 'object', properties: Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`p${i}`, { type: 'string' }])) };
    expect(fitsStrictLimits(many)).toBe(false);
    expect(fitsStrictLimits({ enum: Array.from({ length: 1001 }, (_, i) => i) })).toBe(false);
    expect(fitsStrictLimits({ type: 'object', properties: { a: { type: 'string' } } })).toBe(true);
  });
});
