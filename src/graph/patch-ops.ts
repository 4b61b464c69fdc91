// Patch operations: the unit of editing for the planner and the TUI. Node ids are stable across edits.
import { z } from 'zod';
import { EdgeSchema, NodeIdSchema, NodeSchema, OnErrorSchema, RetryPolicySchema } from './schema.js';

export const AddNodeOpSchema = z.object({ op: z.literal('addNode'), id: NodeIdSchema, node: NodeSchema }).strict();

export const RemoveNodeOpSchema = z.object({ op: z.literal('removeNode'), id: NodeIdSchema }).strict();

/** Sets the given fields; a field set to null is removed from the node. */
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
  })
  .strict();

export const AddEdgeOpSchema = z.object({ op: z.literal('addEdge'), edge: EdgeSchema }).strict();

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
