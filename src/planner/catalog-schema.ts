// Compiles the registered actions into the schema the model answers in: nodes `{id, action, data}` whose data
// follows the named action's own schema (one anyOf branch per action), edges `{from, to, when}`. Strict structured
// output needs every field required, so optional fields are nullable here and mapped back by `decode*`.
// With many actions the full schema gets large; the compact variant keeps `action` as an enum of names and leaves
// `data` free (checked by the validator afterwards instead of by the decoder).
import type { ActionRegistry } from '../actions/registry.js';
import { conditionDefinition, decodeCondition } from './condition-form.js';
import {
  type JsonSchema,
  type StrictConversion,
  acceptsNull,
  decodeStrict,
  isPlainObject,
  makeNullable,
  toStrictSchema,
  zodToJsonSchema,
} from './strict-schema.js';

export type SchemaVariant = 'full' | 'compact';
export type SchemaChoice = SchemaVariant | 'auto';

export interface CompiledAction {
  name: string;
  description: string;
  examples: readonly string[];
  /** The data schema as JSON Schema, as the action declares it (for the prompt's catalog). */
  dataJson: JsonSchema;
  strict: StrictConversion;
  /** The action accepts a node without `data`. */
  dataOptional: boolean;
}

export interface PlannerSchema {
  kind: 'workflow' | 'patch';
  variant: SchemaVariant;
  /** The json_schema name sent to the endpoint. */
  name: string;
  schema: JsonSchema;
  /** Whether to ask for strict adherence (the compact variant has a free-form part, so it cannot be strict). */
  strict: boolean;
  /** Size of the schema as sent (characters of JSON). */
  chars: number;
}

/**
 * Beyond this many characters of schema (≈ 6.5k tokens: bench/planner-tokens.ts measures 4.2-4.4 characters per
 * token on these schemas with o200k_base; the built-ins plus the 40 TaskBench tools, 51 actions, still fit, 100 do
 * not) the compact variant is used under `auto`.
 */
export const DEFAULT_MAX_FULL_SCHEMA_CHARS = 28_000;
/** OpenAI's documented ceilings for strict schemas. */
const STRICT_MAX_PROPERTIES = 5000;
const STRICT_MAX_ENUM_VALUES = 1000;

export class PlannerCatalog {
  readonly actions: readonly CompiledAction[];
  readonly #byName: Map<string, CompiledAction>;
  readonly #schemas = new Map<string, PlannerSchema>();

  constructor(actions: CompiledAction[]) {
    this.actions = actions;
    this.#byName = new Map(actions.map((action) => [action.name, action]));
  }

  static fromRegistry(registry: ActionRegistry): PlannerCatalog {
    return new PlannerCatalog(
      registry.list().map(({ definition }) => {
        const dataJson = zodToJsonSchema(definition.data);
        return {
          name: definition.name,
          description: definition.description,
          examples: definition.examples,
          dataJson,
          strict: toStrictSchema(dataJson),
          dataOptional: definition.data.safeParse(undefined).success,
        };
      }),
    );
  }

  get(name: string): CompiledAction | undefined {
    return this.#byName.get(name);
  }

  names(): string[] {
    return this.actions.map((action) => action.name);
  }

  /** The schema for a whole workflow. */
  workflowSchema(choice: SchemaChoice = 'auto', maxFullChars = DEFAULT_MAX_FULL_SCHEMA_CHARS): PlannerSchema {
    return this.#pick('workflow', choice, maxFullChars);
  }

  /** The schema for an edit: `{ops: [...]}` of patch operations. */
  patchSchema(choice: SchemaChoice = 'auto', maxFullChars = DEFAULT_MAX_FULL_SCHEMA_CHARS): PlannerSchema {
    return this.#pick('patch', choice, maxFullChars);
  }

  #pick(kind: 'workflow' | 'patch', choice: SchemaChoice, maxFullChars: number): PlannerSchema {
    if (choice !== 'auto') return this.#build(kind, choice);
    const full = this.#build(kind, 'full');
    return fitsStrictLimits(full.schema) && full.chars <= maxFullChars ? full : this.#build(kind, 'compact');
  }

  #build(kind: 'workflow' | 'patch', variant: SchemaVariant): PlannerSchema {
    const key = `${kind}:${variant}`;
    const cached = this.#schemas.get(key);
    if (cached) return cached;
    const schema = kind === 'workflow' ? this.#workflowJson(variant) : this.#patchJson(variant);
    const built: PlannerSchema = {
      kind,
      variant,
      name: kind === 'workflow' ? 'actiongraph_workflow' : 'actiongraph_patch',
      schema,
      strict: variant === 'full',
      chars: JSON.stringify(schema).length,
    };
    this.#schemas.set(key, built);
    return built;
  }

  /** The `data` schema for one action's node, nullable when the action takes no data. */
  #dataSchema(action: CompiledAction): JsonSchema {
    return action.dataOptional ? makeNullable(action.strict.schema) : action.strict.schema;
  }

  #nodeBranches(withId: boolean): JsonSchema {
    if (this.actions.length === 0) return { type: 'null' };
    return {
      anyOf: this.actions.map((action) => ({
        type: 'object',
        properties: {
          ...(withId ? { id: { type: 'string' } } : {}),
          action: { type: 'string', enum: [action.name] },
          data: this.#dataSchema(action),
        },
        required: withId ? ['id', 'action', 'data'] : ['action', 'data'],
        additionalProperties: false,
      })),
    };
  }

  #compactNode(withId: boolean): JsonSchema {
    return {
      type: 'object',
      properties: {
        ...(withId ? { id: { type: 'string' } } : {}),
        action: { type: 'string', enum: this.names() },
        data: { description: "the action's data, as its entry in the catalog describes; null when it takes none" },
      },
      required: withId ? ['id', 'action', 'data'] : ['action', 'data'],
      additionalProperties: false,
    };
  }

  #workflowJson(variant: SchemaVariant): JsonSchema {
    return {
      type: 'object',
      properties: {
        nodes: { type: 'array', items: variant === 'full' ? this.#nodeBranches(true) : this.#compactNode(true) },
        edges: { type: 'array', items: edgeSchema() },
      },
      required: ['nodes', 'edges'],
      additionalProperties: false,
      $defs: { condition: conditionDefinition() },
    };
  }

  #patchJson(variant: SchemaVariant): JsonSchema {
    const nodeRef = { $ref: '#/$defs/node' };
    const op = (name: string, properties: JsonSchema): JsonSchema => ({
      type: 'object',
      properties: { op: { type: 'string', enum: [name] }, ...properties },
      required: ['op', ...Object.keys(properties)],
      additionalProperties: false,
    });
    return {
      type: 'object',
      properties: {
        ops: {
          type: 'array',
          items: {
            anyOf: [
              op('addNode', { id: { type: 'string' }, node: nodeRef }),
              op('removeNode', { id: { type: 'string' } }),
              op('updateNode', { id: { type: 'string' }, node: nodeRef }),
              op('addEdge', edgeProperties()),
              op('removeEdge', { from: { type: 'string' }, to: { type: 'string' } }),
            ],
          },
        },
      },
      required: ['ops'],
      additionalProperties: false,
      $defs: {
        node: variant === 'full' ? this.#nodeBranches(false) : this.#compactNode(false),
        condition: conditionDefinition(),
      },
    };
  }

  /**
   * Maps a node's data from the model's form back to the action's: nulls for optional fields become absent,
   * JSON text for parts strict mode could not express is parsed. Unknown actions are left for the validator.
   */
  decodeData(actionName: string, data: unknown): { present: boolean; value: unknown } {
    const action = this.#byName.get(actionName);
    if (!action) return data === null || data === undefined ? { present: false, value: undefined } : { present: true, value: data };
    if (data === undefined) return { present: false, value: undefined };
    // null means "no data" unless the action's own schema gives null a meaning.
    if (data === null && !acceptsNull(action.dataJson)) {
      return action.dataOptional ? { present: false, value: undefined } : { present: true, value: null };
    }
    return { present: true, value: decodeStrict(data, action.strict.decoder) };
  }
}

function edgeProperties(): JsonSchema {
  return {
    from: { type: 'string' },
    to: { type: 'string' },
    when: { anyOf: [{ $ref: '#/$defs/condition' }, { type: 'null' }] },
  };
}

function edgeSchema(): JsonSchema {
  return { type: 'object', properties: edgeProperties(), required: ['from', 'to', 'when'], additionalProperties: false };
}

/** Edge `when` from the model's form to the file's; null means no condition. */
export function decodeWhen(when: unknown): { present: boolean; value: unknown } {
  if (when === null || when === undefined) return { present: false, value: undefined };
  return { present: true, value: decodeCondition(when) };
}

/** Counts what OpenAI limits in strict schemas: object properties and enum values. */
export function fitsStrictLimits(schema: JsonSchema): boolean {
  let properties = 0;
  let enumValues = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isPlainObject(node)) return;
    if (isPlainObject(node.properties)) properties += Object.keys(node.properties).length;
    if (Array.isArray(node.enum)) enumValues += node.enum.length;
    for (const value of Object.values(node)) visit(value);
  };
  visit(schema);
  return properties <= STRICT_MAX_PROPERTIES && enumValues <= STRICT_MAX_ENUM_VALUES;
}
