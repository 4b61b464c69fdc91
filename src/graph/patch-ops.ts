// Patch operations: the unit of editing for the planner and the TUI. Node ids are stable across edits.
import { z } from 'zod';
import { EdgeSchema, NodeIdSchema, NodeSchema, OnErrorSchema, RetryPolicySchema } from './schema.js';

export const AddNodeOpSchema = z
  .object({
    op: z.literal('addNode'),
    id: NodeIdSchema,
    node: NodeSchema,
    before: NodeIdSchema.optional().describe('insert before this node in file order (default: at the end)'),
  })
  .strict();

export const RemoveNodeOpSchema = z.object({ op: z.literal('removeNode'), id: NodeIdSchema }).strict();

/** The node fields an update may remove. */
export const NodeFieldSchema = z.enum(['data', 'label', 'retry', 'timeoutMs', 'onError']);

/**
 * Sets the given fields; label, retry, timeoutMs or onError set to null are removed from the node. `data` is any
 * JSON, so `data: null` sets it to null; `unset` lists fields to remove (data included).
 */
export const UpdateNodeOpSchema = z
  .object({
    op: z.literal('updateNode'),
    id: NodeIdSchema,
    set: z
      .object({
        action: z.string().optional(),
        data: z.unknown().optional(),
        label: z.string().nullable().optional(),
        retry: RetryPolicySchema.nullable().optional(),
        timeoutMs: z.number().int().positive().nullable().optional(),
        onError: OnErrorSchema.nullable().optional(),
      })
      .strict(),
    unset: z.array(NodeFieldSchema).optional().describe('fields to remove from the node'),
  })
  .strict();

export const AddEdgeOpSchema = z
  .object({
    op: z.literal('addEdge'),
    edge: EdgeSchema,
    index: z.number().int().min(0).optional().describe('position in the edge list (default: at the end)'),
  })
  .strict();

/** Removes the edge from→to (there is at most one: duplicate edges are invalid). */
export const RemoveEdgeOpSchema = z
  .object({ op: z.literal('removeEdge'), from: NodeIdSchema, to: NodeIdSchema })
  .strict();

export const PatchOpSchema = z.discriminatedUnion('op', [
  AddNodeOpSchema,
  RemoveNodeOpSchema,
  UpdateNodeOpSchema,
  AddEdgeOpSchema,
  RemoveEdgeOpSchema,
]);
export type PatchOp = z.infer<typeof PatchOpSchema>;
export const PatchSchema = z.array(PatchOpSchema);
