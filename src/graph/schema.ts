// The workflow file format v1: zod schemas for nodes, edges, conditions and retry policies, and the
// in-memory Workflow type. Node ids live in a Map so that ids like `__proto__` never touch a prototype.
import { z } from 'zod';

export const FORMAT_VERSION = 1;

/** A JSON value, as it may appear in node data and conditions. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const ActionNameSchema = z
  .string()
  .regex(/^[A-Za-z][\w-]*(\.[A-Za-z_][\w-]*)+$/u, 'an action name is "namespace.name"');

export const NodeIdSchema = z.string().min(1, 'a node id is a non-empty string');

export const RetryPolicySchema = z
  .object({
    attempts: z.number().int().min(1).max(100).describe('total attempts, the first included'),
    backoffMs: z.number().min(0).optional().describe('wait before the second attempt'),
    factor: z.number().min(1).optional().describe('multiplier applied to the wait after each attempt'),
    maxBackoffMs: z.number().min(0).optional().describe('upper bound on one wait'),
    jitter: z.boolean().optional().describe('randomise each wait between half and all of it'),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

/**
 * `when`: a condition on the source node's output. Data, never code.
 * A leaf tests the value at `path` (dot path into the output; absent means the whole output).
 */
export type Condition =
  | {
      path?: string;
      equals?: Json;
      notEquals?: Json;
      in?: Json[];
      exists?: boolean;
      matches?: string;
      gt?: number;
      gte?: number;
      lt?: number;
      lte?: number;
    }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const JsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(JsonSchema), z.record(z.string(), JsonSchema)]),
);

const LeafConditionSchema = z
  .object({
    path: z.string().optional(),
    equals: JsonSchema.optional(),
    notEquals: JsonSchema.optional(),
    in: z.array(JsonSchema).optional(),
    exists: z.boolean().optional(),
    matches: z.string().optional().describe('a regular expression the value (as a string) must match'),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
  })
  .strict();

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
    LeafConditionSchema,
  ]),
);

export const OnErrorSchema = z.enum(['fail', 'continue']);

export const NodeSchema = z
  .object({
    action: z.string().describe('the action this node runs, "namespace.name"'),
    data: z.unknown().optional().describe("the action's data; checked against the action's data schema"),
    label: z.string().optional(),
    retry: RetryPolicySchema.optional(),
    timeoutMs: z.number().int().positive().optional(),
    onError: OnErrorSchema.optional().describe('"fail" stops the run; "continue" lets independent branches finish'),
  })
  .strict();
export type WorkflowNode = z.infer<typeof NodeSchema>;

export const EdgeSchema = z
  .object({
    from: NodeIdSchema,
    to: NodeIdSchema,
    when: ConditionSchema.optional(),
    label: z.string().optional(),
  })
  .strict();
export type WorkflowEdge = z.infer<typeof EdgeSchema>;

/** The known top-level fields other than nodes and edges. */
export const MetaSchema = z.object({
  $schema: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional().describe('the plain-text task this workflow answers'),
  version: z.union([z.string(), z.number()]).optional(),
});
export type WorkflowMeta = z.infer<typeof MetaSchema>;

/**
 * The file as JSON Schema sees it (used for `actiongraph schema` and editor completion).
 * Loading does not use it for `nodes`: z.record would drop a `__proto__` id.
 */
export const WorkflowFileSchema = MetaSchema.extend({
  nodes: z.record(NodeIdSchema, NodeSchema),
  edges: z.array(EdgeSchema),
}).loose();

/** A workflow in memory. `nodes` keeps file order; `extra` keeps unknown top-level keys for the round trip. */
export interface Workflow extends WorkflowMeta {
  nodes: Map<string, WorkflowNode>;
  edges: WorkflowEdge[];
  extra: Map<string, unknown>;
}

/** The smallest view of an action the graph layer needs, so `graph` need not import `actions`. */
export interface ActionCatalog {
  /** undefined when no action has this name. `data` is the action's zod data schema, when it has one. */
  lookup(name: string): { data?: z.ZodType | undefined } | undefined;
  names(): Iterable<string>;
}
