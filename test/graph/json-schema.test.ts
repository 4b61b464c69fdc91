import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { workflowJsonSchema } from '../../src/graph/json-schema.js';
import type { ActionCatalog } from '../../src/graph/schema.js';
import { catalog } from './helpers.js';

type Schema = Record<string, any>;

function nodeSchema(schema: Schema): Schema {
  return schema.properties.nodes.additionalProperties;
}

/** Follows `#/definitions/x` references, checking that each one resolves. */
function resolveRefs(schema: Schema): string[] {
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.push(value);
        else walk(value);
      }
    }
  };
  walk(schema);
  for (const ref of refs) {
    expect(ref.startsWith('#/definitions/')).toBe(true);
    expect(schema.definitions[ref.slice('#/definitions/'.length)]).toBeDefined();
  }
  return refs;
}

describe('workflowJsonSchema', () => {
  it('describes the file format as draft-07 JSON Schema', () => {
    const schema = workflowJsonSchema() as Schema;
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['nodes', 'edges']);
    expect(nodeSchema(schema).required).toEqual(['action']);
    expect(nodeSchema(schema).additionalProperties).toBe(false);
    expect(Object.keys(nodeSchema(schema).properties)).toEqual(['action', 'data', 'label', 'retry', 'timeoutMs', 'onError']);
    expect(schema.properties.edges.items.required).toEqual(['from', 'to']);
    expect(resolveRefs(schema).length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('with a catalog, lists the action names and applies each action data schema', () => {
    const schema = workflowJsonSchema(catalog) as Schema;
    const node = nodeSchema(schema);
    expect(node.properties.action.enum).toEqual([...catalog.names()].sort());
    const rule = node.allOf.find((r: Schema) => r.if.properties.action.const === 'http.get');
    const ref: string = rule.then.properties.data.$ref;
    const dataSchema = schema.definitions[ref.slice('#/definitions/'.length)];
    expect(dataSchema.required).toEqual(['url']);
    expect(dataSchema.properties.url.format).toBe('uri');
    resolveRefs(schema);
  });

  it('moves recursive action schemas under definitions, references included', () => {
    type Tree = { name: string; children?: Tree[] };
    const TreeSchema: z.ZodType<Tree> = z.lazy(() => z.object({ name: z.string(), children: z.array(TreeSchema).optional() }));
    const recursive: ActionCatalog = {
      lookup: (name) => (name === 'tree.walk' ? { data: z.object({ root: TreeSchema }) } : name === 'odd.type' ? { data: z.custom<string>(() => true) } : undefined),
      names: () => ['tree.walk', 'odd.type'],
    };
    const schema = workflowJsonSchema(recursive) as Schema;
    const refs = resolveRefs(schema);
    expect(refs.some((ref) => ref.startsWith('#/definitions/data:tree.walk'))).toBe(true);
  });
});
