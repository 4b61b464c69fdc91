// JSON Schema (draft-07, the draft editors support best) of the workflow file, generated from WorkflowFileSchema so
// there is one source of truth. With a catalog, `action` lists the known actions and each action's `data` schema
// applies to the nodes that use it, so editors check graphs/*.json through `$schema` as they are typed.
import { z } from 'zod';
import { WorkflowFileSchema, type ActionCatalog } from './schema.js';

type JsonSchema = Record<string, unknown>;

const OPTIONS = { target: 'draft-7', unrepresentable: 'any', io: 'input' } as const;

export function workflowJsonSchema(catalog?: ActionCatalog): JsonSchema {
  const schema = z.toJSONSchema(WorkflowFileSchema, OPTIONS) as JsonSchema;
  const out: JsonSchema = {
    $schema: schema.$schema,
    title: 'actiongraph workflow',
    description: 'A workflow of actions: nodes keyed by id, and edges saying what runs after what.',
    ...schema,
  };
  if (!catalog) return out;

  const nodeSchema = ((out.properties as JsonSchema | undefined)?.nodes as JsonSchema | undefined)?.additionalProperties as
    | JsonSchema
    | undefined;
  const properties = nodeSchema?.properties as JsonSchema | undefined;
  if (!nodeSchema || !properties) return out;
  const names = [...catalog.names()].sort();
  properties.action = { ...(properties.action as JsonSchema), enum: names };

  const definitions = (out.definitions ??= {}) as JsonSchema;
  const rules: JsonSchema[] = [];
  for (const name of names) {
    const data = catalog.lookup(name)?.data;
    if (!data) continue;
    let dataSchema: JsonSchema;
    try {
      dataSchema = z.toJSONSchema(data, OPTIONS) as JsonSchema;
    } catch {
      // A schema JSON Schema cannot express (e.g. a custom type) is simply not offered to editors.
      continue;
    }
    const key = `data:${name}`;
    const { $schema: _drop, definitions: local, ...body } = dataSchema;
    definitions[key] = rewriteRefs(body, key);
    for (const [localKey, value] of Object.entries((local as JsonSchema | undefined) ?? {})) {
      definitions[`${key}:${localKey}`] = rewriteRefs(value, key);
    }
    rules.push({
      if: { properties: { action: { const: name } }, required: ['action'] },
      then: { properties: { data: { $ref: `#/definitions/${key}` } } },
    });
  }
  if (rules.length > 0) nodeSchema.allOf = rules;
  return out;
}

/** Points an action's own `#` and `#/definitions/x` references at where its schema now lives. */
function rewriteRefs(value: unknown, key: string): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const copy: JsonSchema = {};
    for (const [k, v] of Object.entries(node)) {
      const next =
        k === '$ref' && typeof v === 'string'
          ? v === '#'
            ? `#/definitions/${key}`
            : v.replace(/^#\/definitions\//u, `#/definitions/${key}:`)
          : walk(v);
      // A data field may be called "__proto__": define it, never assign it.
      Object.defineProperty(copy, k, { value: next, writable: true, enumerable: true, configurable: true });
    }
    return copy;
  };
  return walk(value) as JsonSchema;
}
