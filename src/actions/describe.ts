// What people (`actiongraph actions`) and tools see of an action: its schemas as JSON Schema, its secrets and
// examples, and a ready node snippet. Conversion is robust: a schema zod cannot express becomes a note, not a crash.
import { z } from 'zod';
import type { AnyActionDefinition } from './define.js';
import { sampleFromSchema } from './sample.js';

export type JsonSchema = Record<string, unknown>;

export interface ActionSummary {
  name: string;
  description: string;
  effects: AnyActionDefinition['effects'];
  secrets: string[];
  source: string;
}

export interface ActionDescription extends ActionSummary {
  examples: string[];
  /** JSON Schema of what a graph may write in `data` (the schema's input side). */
  data: JsonSchema;
  input: JsonSchema;
  /** JSON Schema of what the handler returns (the schema's output side). */
  output: JsonSchema;
  /** A node that uses the action, with sample data for the required fields. */
  node: { action: string; data?: unknown };
}

export function summarizeAction(definition: AnyActionDefinition, source: string): ActionSummary {
  return {
    name: definition.name,
    description: definition.description,
    effects: definition.effects,
    secrets: [...definition.secrets],
    source,
  };
}

export function describeAction(definition: AnyActionDefinition, source: string): ActionDescription {
  const data = toJsonSchema(definition.data, 'input');
  // Data that may be left out (the seed's nodes 2-4 have none) gives the shortest snippet: no data at all;
  // otherwise the least a graph must write (required fields, valid values).
  const sample = acceptsUndefined(definition.data) ? undefined : sampleFromSchema(definition.data, { minimal: true });
  return {
    ...summarizeAction(definition, source),
    examples: [...definition.examples],
    data,
    input: toJsonSchema(definition.input, 'input'),
    output: toJsonSchema(definition.output, 'output'),
    node: sample === undefined ? { action: definition.name } : { action: definition.name, data: sample },
  };
}

/**
 * The JSON Schema of a zod schema. Parts JSON Schema cannot express (transforms, custom checks, dates) become
 * `{}`; a schema that cannot be converted at all (not zod 4, a throwing getter) becomes `{ "x-unconvertible": why }`.
 */
export function toJsonSchema(schema: unknown, io: 'input' | 'output'): JsonSchema {
  try {
    const converted = z.toJSONSchema(schema as z.ZodType, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    delete converted.$schema;
    return converted;
  } catch (error) {
    return { 'x-unconvertible': error instanceof Error ? error.message : String(error) };
  }
}

function acceptsUndefined(schema: AnyActionDefinition['data']): boolean {
  try {
    return (schema as z.ZodType).safeParse(undefined).success;
  } catch {
    return false;
  }
}
